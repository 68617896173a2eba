# src/core/restore-s3.mk - S3 restores: a version made current again
# (CopyObject, multipart UploadPartCopy), undelete (removing delete
# markers, never a version), a prefix back to its state at a time (the
# point-in-time algorithm in s3-pit.c), `salvage undelete`, and tests.
libsalvage_a_SOURCES += \
	src/svc/s3-copy.c src/svc/s3-copy.h \
	src/core/s3-pit.c src/core/s3-pit.h \
	src/core/restore-s3.c src/core/restore-s3.h

libsalvage_ui_a_SOURCES += \
	src/cli/cmd-undelete.c

check_PROGRAMS += tests/unit/test-s3-pit
TESTS += tests/unit/test-s3-pit
tests_unit_test_s3_pit_SOURCES = tests/unit/test-s3-pit.c tests/unit/tap.h
tests_unit_test_s3_pit_LDADD = $(SV_UNIT_LIBS)

# End to end against moto, the fault proxy and aws-cli.
TESTS += tests/integration/restore-s3.py
EXTRA_DIST += tests/integration/restore-s3.py
