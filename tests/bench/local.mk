# tests/bench: benchmarks that print figures (not tests; not in TESTS).
# Run: tests/bench/versions-vs-awscli.sh BUILDDIR and tests/bench/parse-versions
noinst_PROGRAMS += tests/bench/parse-versions
tests_bench_parse_versions_SOURCES = tests/bench/parse-versions.c
tests_bench_parse_versions_LDADD = $(SV_UNIT_LIBS)
EXTRA_DIST += tests/bench/versions-vs-awscli.sh
noinst_PROGRAMS += tests/bench/peak-rss
tests_bench_peak_rss_SOURCES = tests/bench/peak-rss.c
