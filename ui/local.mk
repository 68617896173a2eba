# ui: the ncurses front end (the only code that includes curses.h and
# readline). One view per file; one list widget; the keymap is data.
libsalvage_ui_a_SOURCES += \
	ui/ui.h ui/ui-int.h ui/ui.c \
	ui/tty.c ui/tty.h \
	ui/list.c ui/list.h \
	ui/keymap.c ui/keymap.h \
	ui/prompt.c ui/prompt.h \
	ui/fmt.c ui/fmt.h \
	ui/load.c \
	ui/timeline.c \
	ui/detail.c ui/detail.h \
	ui/view-home.c \
	ui/view-help.c \
	ui/reslist.c ui/reslist.h \
	ui/view-tables.c ui/view-table.c \
	ui/view-instances.c ui/view-instance.c \
	ui/view-clusters.c ui/view-cluster.c \
	ui/view-vaults.c ui/view-vault.c \
	ui/view-buckets.c ui/view-prefix.c ui/view-versions.c \
	ui/actions.c ui/view-audit.c ui/view-backup.c \
	ui/view-timeline.c ui/view-plan.c ui/view-wait.c ui/view-result.c \
	ui/view-runbooks.c ui/view-checklist.c \
	src/cli/cmd-tui.c

# Unit tests of the widget and the keymap: no terminal needed (the list
# draws into a newterm() on /dev/null).
check_PROGRAMS += tests/unit/test-list tests/unit/test-keymap
TESTS += tests/unit/test-list tests/unit/test-keymap
tests_unit_test_list_SOURCES = tests/unit/test-list.c tests/unit/tap.h
tests_unit_test_list_LDADD = $(SV_UI_UNIT_LIBS)
tests_unit_test_keymap_SOURCES = tests/unit/test-keymap.c tests/unit/tap.h
tests_unit_test_keymap_LDADD = $(SV_UI_UNIT_LIBS)

# The console driven through tmux against moto, one moto per file.
TUI_TESTS = tests/tui/browse-s3.py tests/tui/browse-ddb.py \
	tests/tui/browse-rds.py tests/tui/browse-backup.py tests/tui/keys.py \
	tests/tui/operate-backup-restore.py \
	tests/tui/faults.py \
	tests/tui/operate-backup.py tests/tui/operate-timeline.py \
	tests/tui/operate-restore.py tests/tui/operate-s3.py \
	tests/tui/operate-prefix.py tests/tui/operate-rds.py \
	tests/tui/runbook-checklist.py tests/tui/runbook-run.py
TESTS += $(TUI_TESTS)
EXTRA_DIST += $(TUI_TESTS) tests/tui/tuilib.py

# Not a test: prints figures (peak RSS, filter time, keystroke to frame)
# for a million rows. Run: tests/bench/list-1m
noinst_PROGRAMS += tests/bench/list-1m
tests_bench_list_1m_SOURCES = tests/bench/list-1m.c
tests_bench_list_1m_LDADD = $(SV_UI_UNIT_LIBS)
