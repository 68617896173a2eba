# src/cli: the non-interactive front end, one file per subcommand.
libsalvage_ui_a_SOURCES += \
	src/cli/cli.h \
	src/cli/cmd.c
