# tests/self: the harness's own self-tests
TESTS += tests/self/moto.py tests/self/tui.py tests/self/faultproxy.py
EXTRA_DIST += tests/self/moto.py tests/self/tui.py tests/self/faultproxy.py \
	tests/harness/tap.py tests/harness/moto.py tests/harness/tui.py \
	tests/harness/faultproxy.py tests/harness/fakebackup.py
