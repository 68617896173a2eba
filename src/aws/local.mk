# src/aws: the wire. The only code that touches libcurl and OpenSSL.
libsalvage_a_SOURCES += \
	src/aws/ops.c src/aws/ops.h
