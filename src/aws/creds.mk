# src/aws/creds.mk - AWS configuration (shared config/credentials files,
# profile, region, endpoints, retries) and the credential chain.
libsalvage_a_SOURCES += \
	src/aws/config.c src/aws/config.h \
	src/aws/creds.c src/aws/creds.h

check_PROGRAMS += tests/unit/test-config tests/unit/test-creds
TESTS += tests/unit/test-config tests/unit/test-creds
tests_unit_test_config_SOURCES = tests/unit/test-config.c tests/unit/tap.h
tests_unit_test_config_LDADD = $(SV_UNIT_LIBS)
# test-creds builds creds.c itself with SV_UNITTEST (to reach its static
# command-line splitter) and a 2 s credential_process timeout, and stubs
# out the HTTP engine: no network.
tests_unit_test_creds_SOURCES = tests/unit/test-creds.c tests/unit/tap.h \
	src/aws/creds.c
tests_unit_test_creds_CPPFLAGS = $(AM_CPPFLAGS) -DSV_UNITTEST \
	-DCREDS_PROCESS_TIMEOUT_MS=2000
tests_unit_test_creds_LDADD = $(SV_UNIT_LIBS)

# creds-probe: resolves credentials through the real chain (real HTTP and
# SigV4) for tests/integration/credentials.py.
check_PROGRAMS += tests/creds-probe
tests_creds_probe_SOURCES = tests/creds-probe.c
tests_creds_probe_LDADD = $(SV_UNIT_LIBS)
TESTS += tests/integration/credentials.py
EXTRA_DIST += tests/integration/credentials.py
