/* str.h - string helpers: RFC 3986 encoding, decoding, hex, comparisons. */
#ifndef SALVAGE_UTIL_STR_H
#define SALVAGE_UTIL_STR_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

/* RFC 3986: everything but unreserved (A-Z a-z 0-9 - . _ ~) becomes %XX
 * (uppercase hex). With keep_slash, '/' is left as is (S3 keys, paths). */
sv_result	 str_uri_encode(struct buf *, const char *, size_t, bool keep_slash);
/* Percent-decoding; with plus_is_space, '+' decodes to ' ' (form / S3
 * encoding-type=url). Fails with SV_E_PARSE on a malformed escape. */
sv_result	 str_uri_decode(struct buf *, const char *, size_t, bool plus_is_space);
/* Lowercase hex of n bytes into out (2n+1 bytes). */
void		 str_hex(char *out, const unsigned char *, size_t n);
bool		 str_starts(const char *, const char *prefix);
bool		 str_ends(const char *, const char *suffix);
bool		 str_ieq(const char *, const char *);
/* Trims leading/trailing ASCII white space in place; returns s. */
char		*str_trim(char *s);
/* Copies at most size-1 bytes and terminates; returns strlen(src). */
size_t		 str_lcpy(char *dst, const char *src, size_t size);
/* Human size: 1023 B, 1.0 KiB, 12.3 MiB ... into out (>= 16 bytes). */
void		 str_human_size(char *out, size_t outsz, long long bytes);
/* Display width of a UTF-8 string in terminal columns (wcwidth). */
int		 str_width(const char *);
/* Returns true if s is valid UTF-8. */
bool		 str_valid_utf8(const char *, size_t);

#endif
