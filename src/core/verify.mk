# src/core/verify.mk - verify (is the restored copy what it should be?)
# and drift (the settings a restore does not carry over): their core,
# svc calls, hashing, CLI commands and tests.
libsalvage_a_SOURCES += \
	src/core/verify.c src/core/verify.h \
	src/core/drift.c src/core/drift.h \
	src/svc/ddb-scan.c src/svc/ddb-scan.h \
	src/svc/ddb-settings.c src/svc/ddb-settings.h \
	src/svc/rds-modify.c src/svc/rds-modify.h \
	src/svc/s3-get.c src/svc/s3-get.h \
	src/aws/hash.c src/aws/hash.h

libsalvage_ui_a_SOURCES += \
	src/cli/cmd-verify.c \
	src/cli/cmd-drift.c

check_PROGRAMS += tests/unit/test-verify
tests_unit_test_verify_SOURCES = tests/unit/test-verify.c tests/unit/tap.h
tests_unit_test_verify_LDADD = $(SV_UNIT_LIBS)

# End to end against moto (and the fault proxy).
TESTS += tests/unit/test-verify tests/integration/verify.py \
	tests/integration/drift.py
EXTRA_DIST += tests/integration/verify.py tests/integration/drift.py
