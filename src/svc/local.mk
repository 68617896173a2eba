# src/svc: one file per AWS service. Typed requests in, typed results out,
# page by page; svc.c holds the machinery they share.
libsalvage_a_SOURCES += \
	src/svc/svc.c src/svc/svc.h src/svc/svc-internal.h \
	src/svc/s3.c src/svc/s3.h \
	src/svc/dynamodb.c src/svc/dynamodb.h \
	src/svc/svc-json.c \
	src/svc/backup.c src/svc/backup.h \
	src/svc/autoscaling.c src/svc/autoscaling.h \
	src/svc/rds.c src/svc/rds.h \
	src/svc/sts.c src/svc/sts.h

# Parsers against hand-written fixtures (read from $SALVAGE_SRCDIR).
check_PROGRAMS += tests/unit/test-svc-parse
TESTS += tests/unit/test-svc-parse
tests_unit_test_svc_parse_SOURCES = tests/unit/test-svc-parse.c tests/unit/tap.h
tests_unit_test_svc_parse_LDADD = $(SV_UNIT_LIBS)
EXTRA_DIST += tests/fixtures

# svc-probe: one svc call through svc_sync_wait, printed as JSON lines, for
# tests/integration/svc-probe.py (checked against boto3 on moto).
check_PROGRAMS += tests/svc-probe
tests_svc_probe_SOURCES = tests/svc-probe.c
tests_svc_probe_LDADD = $(SV_UNIT_LIBS)
TESTS += tests/integration/svc-probe.py
EXTRA_DIST += tests/integration/svc-probe.py

# libFuzzer targets for the parsers (./configure CC=clang --enable-fuzzing);
# seed them with tests/fixtures.
EXTRA_DIST += tests/fuzz/fuzz-s3-versions.c tests/fuzz/fuzz-ddb-json.c \
	tests/fuzz/fuzz-rds-xml.c
if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-s3-versions tests/fuzz/fuzz-ddb-json \
	tests/fuzz/fuzz-rds-xml
tests_fuzz_fuzz_s3_versions_SOURCES = tests/fuzz/fuzz-s3-versions.c
tests_fuzz_fuzz_s3_versions_LDADD = $(SV_UNIT_LIBS)
tests_fuzz_fuzz_s3_versions_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_ddb_json_SOURCES = tests/fuzz/fuzz-ddb-json.c
tests_fuzz_fuzz_ddb_json_LDADD = $(SV_UNIT_LIBS)
tests_fuzz_fuzz_ddb_json_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_rds_xml_SOURCES = tests/fuzz/fuzz-rds-xml.c
tests_fuzz_fuzz_rds_xml_LDADD = $(SV_UNIT_LIBS)
tests_fuzz_fuzz_rds_xml_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
endif
