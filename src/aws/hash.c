/* hash.c - SHA-256 over OpenSSL's EVP interface (see hash.h). */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "aws/hash.h"
#include "util/xalloc.h"

struct sv_sha256 {
	EVP_MD_CTX	*ctx;
};

static void
sha256_init(struct sv_sha256 *h)
{
	if (EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL) != 1)
		abort();
}

struct sv_sha256 *
sv_sha256_new(void)
{
	struct sv_sha256	*h = xmalloc(sizeof *h);

	if ((h->ctx = EVP_MD_CTX_new()) == NULL)
		abort();
	sha256_init(h);
	return h;
}

void
sv_sha256_update(struct sv_sha256 *h, const void *p, size_t len)
{
	if (len > 0 && EVP_DigestUpdate(h->ctx, p, len) != 1)
		abort();
}

void
sv_sha256_final(struct sv_sha256 *h, unsigned char out[SV_SHA256_LEN])
{
	unsigned int	len = 0;

	if (EVP_DigestFinal_ex(h->ctx, out, &len) != 1 || len != SV_SHA256_LEN)
		abort();
}

void
sv_sha256_reset(struct sv_sha256 *h)
{
	sha256_init(h);
}

void
sv_sha256_free(struct sv_sha256 *h)
{
	if (h == NULL)
		return;
	EVP_MD_CTX_free(h->ctx);
	free(h);
}

void
sv_sha256(const void *p, size_t len, unsigned char out[SV_SHA256_LEN])
{
	unsigned int	mdlen = 0;

	if (EVP_Digest(p != NULL ? p : "", len, out, &mdlen, EVP_sha256(),
	    NULL) != 1 || mdlen != SV_SHA256_LEN)
		abort();
}

void
sv_sha256_hex(const unsigned char md[SV_SHA256_LEN], char out[SV_SHA256_HEX_LEN])
{
	static const char	hex[] = "0123456789abcdef";

	for (size_t i = 0; i < SV_SHA256_LEN; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 0xf];
	}
	out[2 * SV_SHA256_LEN] = '\0';
}

void
sv_sha256_base64(const unsigned char md[SV_SHA256_LEN], char out[SV_SHA256_B64_LEN])
{
	if (EVP_EncodeBlock((unsigned char *)out, md, SV_SHA256_LEN) != 44)
		abort();
	out[44] = '\0';
}
