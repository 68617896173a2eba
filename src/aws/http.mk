# src/aws/http.mk - the HTTP engine and its retry policy, endpoints, AWS
# error handling and the AWS client; their unit tests, the aws-probe check
# program and the wire-level integration test.
libsalvage_a_SOURCES += \
	src/aws/http.c src/aws/http.h \
	src/aws/retry.c src/aws/retry.h \
	src/aws/endpoint.c src/aws/endpoint.h \
	src/aws/errors.c src/aws/errors.h \
	src/aws/client.c src/aws/client.h

check_PROGRAMS += tests/unit/test-http tests/unit/test-awserr tests/aws-probe
TESTS += tests/unit/test-http tests/unit/test-awserr tests/integration/wire.py

# test-http serves HTTP from a thread of its own on 127.0.0.1.
tests_unit_test_http_SOURCES = tests/unit/test-http.c tests/unit/tap.h
tests_unit_test_http_LDADD = $(SV_UNIT_LIBS) -lpthread
tests_unit_test_awserr_SOURCES = tests/unit/test-awserr.c tests/unit/tap.h
tests_unit_test_awserr_LDADD = $(SV_UNIT_LIBS)
# aws-probe: one AWS call from the command line, for tests/integration.
tests_aws_probe_SOURCES = tests/aws-probe.c
tests_aws_probe_LDADD = $(SV_UNIT_LIBS)

EXTRA_DIST += tests/integration/wire.py
