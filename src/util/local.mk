# src/util: buffers, strings, time, JSON/XML helpers, logging.
libsalvage_a_SOURCES += \
	src/util/buf.c src/util/buf.h \
	src/util/err.c src/util/err.h \
	src/util/jsonw.c src/util/jsonw.h \
	src/util/log.c src/util/log.h \
	src/util/str.c src/util/str.h \
	src/util/time.c src/util/time.h \
	src/util/xalloc.c src/util/xalloc.h \
	src/util/xml.c src/util/xml.h

check_PROGRAMS += tests/unit/test-util
TESTS += tests/unit/test-util
tests_unit_test_util_SOURCES = tests/unit/test-util.c tests/unit/tap.h
tests_unit_test_util_LDADD = $(SV_UNIT_LIBS)
