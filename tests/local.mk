# tests: shared test support
EXTRA_DIST += tests/unit/tap.h

# The README's demo, run end to end with the built binary.
TESTS += tests/integration/demo.py
EXTRA_DIST += tests/integration/demo.py
