# src/aws/sigv4.mk - SigV4 signing, the suite runner over tests/sigv4 (cases
# in aws-c-auth's v4 layout) and the unit test.
libsalvage_a_SOURCES += src/aws/sigv4.c src/aws/sigv4.h

check_PROGRAMS += tests/sigv4-suite tests/unit/test-sigv4
tests_sigv4_suite_SOURCES = tests/sigv4-suite.c
tests_sigv4_suite_LDADD = $(SV_UNIT_LIBS)
tests_unit_test_sigv4_SOURCES = tests/unit/test-sigv4.c tests/unit/tap.h
tests_unit_test_sigv4_LDADD = $(SV_UNIT_LIBS)

TESTS += tests/sigv4-suite.sh tests/unit/test-sigv4
EXTRA_DIST += tests/sigv4-suite.sh tests/sigv4
