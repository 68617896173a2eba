/* buf.c - size-capped dynamic buffers. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xalloc.h"

void
buf_init(struct buf *b, size_t max)
{
	b->ptr = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

void
buf_free(struct buf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = 0;
	b->cap = 0;
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->ptr != NULL)
		b->ptr[0] = '\0';
}

sv_result
buf_add(struct buf *b, const void *p, size_t n)
{
	size_t	need;

	if (n > b->max || b->len > b->max - n)
		return SV_E_TOOLARGE;
	need = b->len + n + 1;
	if (need > b->cap) {
		size_t	cap = b->cap ? b->cap : 64;

		while (cap < need)
			cap *= 2;
		if (cap > b->max + 1)
			cap = b->max + 1;
		b->ptr = xrealloc(b->ptr, cap);
		b->cap = cap;
	}
	if (n > 0)
		memcpy(b->ptr + b->len, p, n);
	b->len += n;
	b->ptr[b->len] = '\0';
	return SV_OK;
}

sv_result
buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

sv_result
buf_addc(struct buf *b, char c)
{
	return buf_add(b, &c, 1);
}

sv_result
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;
	char	 small[256], *p;
	int	 n;
	sv_result result;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return SV_E_IO;
	if ((size_t)n < sizeof small)
		return buf_add(b, small, (size_t)n);
	p = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	result = buf_add(b, p, (size_t)n);
	free(p);
	return result;
}

const char *
buf_str(const struct buf *b)
{
	return b->ptr != NULL ? b->ptr : "";
}

char *
buf_detach(struct buf *b)
{
	char	*p = b->ptr != NULL ? b->ptr : xstrdup("");

	b->ptr = NULL;
	b->len = 0;
	b->cap = 0;
	return p;
}

sv_result
buf_read_file(struct buf *b, const char *path)
{
	char		chunk[8192];
	ssize_t		n;
	sv_result	result = SV_OK;
	int		fd, saved;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return errno == ENOENT || errno == ENOTDIR ? SV_E_NOTFOUND : SV_E_IO;
	for (;;) {
		n = read(fd, chunk, sizeof chunk);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == -1)
				result = SV_E_IO;	/* EISDIR too */
			break;
		}
		if (buf_add(b, chunk, (size_t)n) != SV_OK) {
			result = SV_E_TOOLARGE;
			break;
		}
	}
	saved = errno;
	explicit_bzero(chunk, sizeof chunk);	/* it may have held secrets */
	close(fd);
	errno = saved;
	return result;
}
