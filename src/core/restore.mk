# src/core/restore.mk - restores of DynamoDB tables and RDS instances and
# clusters (the shared plan contract in core/restore.h, which the S3
# kinds plug into), the typed restore time, the svc calls, the
# `salvage restore` command, the CLI's confirmation helpers, and tests.
libsalvage_a_SOURCES += \
	src/core/timespec.c src/core/timespec.h \
	src/core/restore.c src/core/restore.h \
	src/core/restore-ddb.c \
	src/core/restore-rds.c \
	src/core/restore-backup.c \
	src/svc/backup-restore.c src/svc/backup-restore.h \
	src/svc/ddb-restore.c src/svc/ddb-restore.h \
	src/svc/rds-restore.c src/svc/rds-restore.h

libsalvage_ui_a_SOURCES += \
	src/cli/confirm.c src/cli/confirm.h \
	src/cli/cmd-restore.c src/cli/cmd-restore.h

check_PROGRAMS += tests/unit/test-timespec
TESTS += tests/unit/test-timespec
tests_unit_test_timespec_SOURCES = tests/unit/test-timespec.c tests/unit/tap.h
tests_unit_test_timespec_LDADD = $(SV_UNIT_LIBS)

check_PROGRAMS += tests/unit/test-restore-plan
TESTS += tests/unit/test-restore-plan
tests_unit_test_restore_plan_SOURCES = tests/unit/test-restore-plan.c tests/unit/tap.h
tests_unit_test_restore_plan_LDADD = $(SV_UNIT_LIBS)

# End to end against moto through the fault proxy: every DynamoDB and RDS
# restore kind, read-only refusal, refusals, --json, waiting, audit.
TESTS += tests/integration/restore-ddb.py tests/integration/restore-rds.py \
	tests/integration/restore-backup.py
EXTRA_DIST += tests/integration/restore-ddb.py tests/integration/restore-rds.py \
	tests/integration/restore-backup.py
