# src/util: buffers, strings, time, JSON/XML helpers, logging.
libsalvage_a_SOURCES += \
	src/util/buf.c src/util/buf.h \
	src/util/err.c src/util/err.h \
	src/util/jsonw.c src/util/jsonw.h \
	src/util/log.c src/util/log.h \
	src/util/str.c src/util/str.h \
	src/util/time.c src/util/time.h \
	src/util/xalloc.c src/util/xalloc.h \
	src/util/xml.c src/util/xml.h \
	src/util/xml-scan.c src/util/xml-scan.h

check_PROGRAMS += tests/unit/test-util
TESTS += tests/unit/test-util
tests_unit_test_util_SOURCES = tests/unit/test-util.c tests/unit/tap.h
tests_unit_test_util_LDADD = $(SV_UNIT_LIBS)

check_PROGRAMS += tests/unit/test-xml-scan
TESTS += tests/unit/test-xml-scan
tests_unit_test_xml_scan_SOURCES = tests/unit/test-xml-scan.c tests/unit/tap.h \
	tests/xml-agree.h
tests_unit_test_xml_scan_LDADD = $(SV_UNIT_LIBS)

# libFuzzer: the XML fast path against expat (scripts/check runs it).
EXTRA_DIST += tests/fuzz/fuzz-xml.c tests/xml-agree.h
if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-xml
endif
tests_fuzz_fuzz_xml_SOURCES = tests/fuzz/fuzz-xml.c
tests_fuzz_fuzz_xml_LDADD = $(SV_UNIT_LIBS)
tests_fuzz_fuzz_xml_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
