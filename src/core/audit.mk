# src/core/audit.mk - the audit log (chain, gate, verify, shipping to S3
# and its spool), salvage's config file, on-demand backups and snapshots:
# their svc calls, CLI commands, tests and fuzzer.
libsalvage_a_SOURCES += \
	src/core/audit.c src/core/audit.h \
	src/core/audit-session.c src/core/audit-session.h \
	src/core/backup.c src/core/backup.h \
	src/core/conf.c src/core/conf.h \
	src/core/ship.c src/core/ship.h \
	src/svc/s3-write.c src/svc/s3-write.h \
	src/svc/ddb-backup.c src/svc/ddb-backup.h \
	src/svc/rds-snapshot.c src/svc/rds-snapshot.h

libsalvage_ui_a_SOURCES += \
	src/cli/cmd-audit.c \
	src/cli/cmd-backup.c src/cli/cmd-backup.h \
	src/cli/cmd-snapshot.c

check_PROGRAMS += tests/unit/test-audit
tests_unit_test_audit_SOURCES = tests/unit/test-audit.c tests/unit/tap.h
tests_unit_test_audit_LDADD = $(SV_UNIT_LIBS)

# End to end against moto, the fault proxy and aws-cli.
TESTS += tests/unit/test-audit tests/integration/audit.py
EXTRA_DIST += tests/integration/audit.py

# The verifier reads logs from anywhere (an S3 copy): fuzz it.
if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-audit-verify
endif
tests_fuzz_fuzz_audit_verify_SOURCES = tests/fuzz/fuzz-audit-verify.c
tests_fuzz_fuzz_audit_verify_LDADD = $(SV_UNIT_LIBS)
tests_fuzz_fuzz_audit_verify_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
EXTRA_DIST += tests/fuzz/corpus/audit-verify
