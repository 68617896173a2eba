# src/cli: the non-interactive front end, one file per subcommand.
libsalvage_ui_a_SOURCES += \
	src/cli/cli.h src/cli/cli.c \
	src/cli/cmd.c \
	src/cli/output.c src/cli/output.h \
	src/cli/fanout.c src/cli/fanout.h \
	src/cli/cmd-whoami.c \
	src/cli/cmd-ls.c \
	src/cli/cmd-versions.c \
	src/cli/cmd-points.c

# The read-only commands end to end, against moto (and through the fault
# proxy).
TESTS += tests/integration/cli-reads.py tests/integration/cli-faults.py \
	tests/integration/backup.py
EXTRA_DIST += tests/integration/cli-reads.py tests/integration/cli-faults.py \
	tests/integration/backup.py

check_PROGRAMS += tests/unit/test-output
TESTS += tests/unit/test-output
tests_unit_test_output_SOURCES = tests/unit/test-output.c tests/unit/tap.h
tests_unit_test_output_LDADD = $(SV_UI_UNIT_LIBS)
