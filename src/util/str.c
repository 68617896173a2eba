/* str.c - string helpers. */
#include <config.h>

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

#include "util/str.h"

static const char hexdig_upper[] = "0123456789ABCDEF";
static const char hexdig_lower[] = "0123456789abcdef";

static bool
unreserved(unsigned char c)
{
	/* ASCII only: isalnum() would follow the locale. */
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
}

sv_result
str_uri_encode(struct buf *b, const char *s, size_t n, bool keep_slash)
{
	sv_result result = SV_OK;
	size_t	  i;

	for (i = 0; i < n && result == SV_OK; i++) {
		unsigned char c = (unsigned char)s[i];

		if (unreserved(c) || (keep_slash && c == '/'))
			result = buf_addc(b, (char)c);
		else {
			char	esc[3] = { '%', hexdig_upper[c >> 4], hexdig_upper[c & 15] };

			result = buf_add(b, esc, 3);
		}
	}
	return result;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

sv_result
str_uri_decode(struct buf *b, const char *s, size_t n, bool plus_is_space)
{
	sv_result result = SV_OK;
	size_t	  i;

	for (i = 0; i < n && result == SV_OK; i++) {
		char	c = s[i];

		if (c == '%') {
			int	hi, lo;

			if (n - i < 3)
				return SV_E_PARSE;
			hi = hexval(s[i + 1]);
			lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0)
				return SV_E_PARSE;
			result = buf_addc(b, (char)(hi << 4 | lo));
			i += 2;
		} else if (c == '+' && plus_is_space)
			result = buf_addc(b, ' ');
		else
			result = buf_addc(b, c);
	}
	return result;
}

void
str_hex(char *out, const unsigned char *p, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hexdig_lower[p[i] >> 4];
		out[2 * i + 1] = hexdig_lower[p[i] & 15];
	}
	out[2 * n] = '\0';
}

bool
str_starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool
str_ends(const char *s, const char *suffix)
{
	size_t	ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && memcmp(s + ls - lx, suffix, lx) == 0;
}

bool
str_ieq(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}

char *
str_trim(char *s)
{
	char	*start = s, *end;

	while (*start != '\0' && isspace((unsigned char)*start))
		start++;
	end = start + strlen(start);
	while (end > start && isspace((unsigned char)end[-1]))
		end--;
	*end = '\0';
	if (start != s)
		memmove(s, start, (size_t)(end - start) + 1);
	return s;
}

size_t
str_lcpy(char *dst, const char *src, size_t size)
{
	size_t	len = strlen(src);

	if (size > 0) {
		size_t	n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

void
str_human_size(char *out, size_t outsz, long long bytes)
{
	static const char *units[] = { "KiB", "MiB", "GiB", "TiB", "PiB" };
	double	v = (double)bytes;
	int	u = -1;

	if (bytes < 1024) {
		snprintf(out, outsz, "%lld B", bytes);
		return;
	}
	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	snprintf(out, outsz, "%.1f %s", v, units[u]);
}

int
str_width(const char *s)
{
	mbstate_t ps;
	wchar_t	  wc;
	size_t	  n, len = strlen(s);
	int	  w = 0, cw;

	memset(&ps, 0, sizeof ps);
	while (len > 0) {
		n = mbrtowc(&wc, s, len, &ps);
		if (n == (size_t)-1 || n == (size_t)-2) {
			memset(&ps, 0, sizeof ps);
			w++;	/* shown as one replacement cell */
			s++;
			len--;
			continue;
		}
		if (n == 0)
			break;
		cw = wcwidth(wc);
		w += cw > 0 ? cw : 0;
		s += n;
		len -= n;
	}
	return w;
}

bool
str_valid_utf8(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;

	while (p < end) {
		unsigned char c = *p;
		size_t	 need;
		uint32_t cp;

		if (c < 0x80) {
			p++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			need = 1;
			cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			need = 2;
			cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			need = 3;
			cp = c & 0x07;
		} else
			return false;
		if ((size_t)(end - p) < need + 1)
			return false;
		for (size_t i = 1; i <= need; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (p[i] & 0x3f);
		}
		if ((need == 1 && cp < 0x80) || (need == 2 && cp < 0x800) ||
		    (need == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		p += need + 1;
	}
	return true;
}
