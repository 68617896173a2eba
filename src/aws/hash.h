/* hash.h - SHA-256, one-shot and incremental, for the layers above the
 * wire that must not touch OpenSSL themselves (content verification of
 * S3 objects streamed in ranges). */
#ifndef SALVAGE_AWS_HASH_H
#define SALVAGE_AWS_HASH_H

#include <stddef.h>

#define SV_SHA256_LEN		32
#define SV_SHA256_HEX_LEN	65	/* 64 hex digits and a NUL */
#define SV_SHA256_B64_LEN	45	/* 44 base64 characters and a NUL */

struct sv_sha256;

/* Never NULL (aborts when OpenSSL cannot allocate a context). */
struct sv_sha256	*sv_sha256_new(void);
void			 sv_sha256_update(struct sv_sha256 *, const void *, size_t);
/* Ends the digest; the context may be started again with
 * sv_sha256_reset. */
void			 sv_sha256_final(struct sv_sha256 *, unsigned char out[SV_SHA256_LEN]);
void			 sv_sha256_reset(struct sv_sha256 *);
void			 sv_sha256_free(struct sv_sha256 *);

/* One shot. */
void			 sv_sha256(const void *, size_t, unsigned char out[SV_SHA256_LEN]);
/* Lower-case hex and standard base64 (the form of x-amz-checksum-sha256). */
void			 sv_sha256_hex(const unsigned char md[SV_SHA256_LEN],
			    char out[SV_SHA256_HEX_LEN]);
void			 sv_sha256_base64(const unsigned char md[SV_SHA256_LEN],
			    char out[SV_SHA256_B64_LEN]);

#endif
