# tests/fuzz: the wire layer's config, credential_process and error-body
# parsers (the other parsers' targets live with their code's fragments).
# scripts/check builds every target with clang and runs each briefly.
if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-aws-config
endif
tests_fuzz_fuzz_aws_config_SOURCES = tests/fuzz/fuzz-aws-config.c
tests_fuzz_fuzz_aws_config_LDADD = $(SV_UNIT_LIBS)
tests_fuzz_fuzz_aws_config_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
EXTRA_DIST += tests/fuzz/corpus/aws-config
