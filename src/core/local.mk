# src/core: the recovery domain (resources, restore points).
libsalvage_a_SOURCES += \
	src/core/resource.c src/core/resource.h \
	src/core/points.c src/core/points.h \
	src/core/points-load.c

check_PROGRAMS += tests/unit/test-resource tests/unit/test-points
TESTS += tests/unit/test-resource tests/unit/test-points
tests_unit_test_resource_SOURCES = tests/unit/test-resource.c tests/unit/tap.h
tests_unit_test_resource_LDADD = $(SV_UNIT_LIBS)
tests_unit_test_points_SOURCES = tests/unit/test-points.c tests/unit/tap.h
tests_unit_test_points_LDADD = $(SV_UNIT_LIBS)
