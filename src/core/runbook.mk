# src/core/runbook.mk - guided runbooks: the format and its loader, the
# built-in runbooks, sessions (the step state machine, persistence,
# resume), evidence reports, their CLI commands, the man page, tests and
# the fuzzer.
libsalvage_a_SOURCES += \
	src/core/runbook.c src/core/runbook.h \
	src/core/session.c src/core/session.h \
	src/core/report.c src/core/report.h \
	src/svc/rehearsal.c src/svc/rehearsal.h

libsalvage_ui_a_SOURCES += \
	src/cli/cmd-run.c src/cli/cmd-run.h \
	src/cli/cmd-resume.c \
	src/cli/cmd-sessions.c \
	src/cli/cmd-runbooks.c \
	src/cli/cmd-report.c

# The built-in runbooks: $(pkgdatadir)/runbooks (PKGDATADIR in
# AM_CPPFLAGS; SALVAGE_RUNBOOK_DIR overrides it, as the tests do).
runbooksdir = $(pkgdatadir)/runbooks
dist_runbooks_DATA = \
	runbooks/dynamodb-accidental-deletion.json \
	runbooks/dynamodb-old-corruption.json \
	runbooks/dynamodb-table-loss.json \
	runbooks/s3-document-recovery.json \
	runbooks/s3-prefix-point-in-time.json \
	runbooks/rds-point-in-time.json \
	runbooks/rds-snapshot-restore.json \
	runbooks/aurora-snapshot-restore.json \
	runbooks/quarterly-dr-rehearsal.json

dist_man_MANS += man/salvage-runbook.5

check_PROGRAMS += tests/unit/test-runbook
tests_unit_test_runbook_SOURCES = tests/unit/test-runbook.c tests/unit/tap.h
tests_unit_test_runbook_LDADD = $(SV_UNIT_LIBS)

TESTS += tests/unit/test-runbook \
	tests/integration/runbooks-rehearsal.py \
	tests/integration/runbooks-plain.py \
	tests/integration/runbooks-resume.py \
	tests/integration/runbooks-tableloss.py \
	tests/integration/runbooks-aurora.py
EXTRA_DIST += \
	tests/integration/runbooks-rehearsal.py \
	tests/integration/runbooks-plain.py \
	tests/integration/runbooks-resume.py \
	tests/integration/runbooks-tableloss.py \
	tests/integration/runbooks-aurora.py \
	tests/fixtures/runbooks

# The loader reads files anyone can write: fuzz it.
if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-runbook
endif
tests_fuzz_fuzz_runbook_SOURCES = tests/fuzz/fuzz-runbook.c
tests_fuzz_fuzz_runbook_LDADD = $(SV_UNIT_LIBS)
tests_fuzz_fuzz_runbook_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
EXTRA_DIST += tests/fuzz/corpus/runbook
