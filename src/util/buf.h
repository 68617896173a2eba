/* buf.h - size-capped dynamic buffers (after curl's dynbuf). The content
 * is always NUL-terminated; each use names its maximum. */
#ifndef SALVAGE_UTIL_BUF_H
#define SALVAGE_UTIL_BUF_H

#include <stddef.h>

#include "util/err.h"

/* Named maxima, one per kind of use. */
#define BUF_MAX_HTTP_BODY	(64u * 1024 * 1024)	/* a whole non-streamed response */
#define BUF_MAX_HTTP_HEADER	(64u * 1024)		/* one response header block */
#define BUF_MAX_REQUEST_BODY	(16u * 1024 * 1024)	/* a request body we build */
#define BUF_MAX_SIGV4		(256u * 1024)		/* canonical request, string to sign */
#define BUF_MAX_XML_TEXT	(1u * 1024 * 1024)	/* text of one XML element */
#define BUF_MAX_LINE		(64u * 1024)		/* one line of a config file */
#define BUF_MAX_SMALL		(8u * 1024)		/* names, URIs, short strings */
#define BUF_MAX_FILE		(64u * 1024 * 1024)	/* a local file read whole */

struct buf {
	char	*ptr;	/* NULL until the first add */
	size_t	 len;
	size_t	 cap;
	size_t	 max;
};

void		 buf_init(struct buf *, size_t max);
void		 buf_free(struct buf *);
void		 buf_reset(struct buf *);	/* len = 0, keeps memory */
sv_result	 buf_add(struct buf *, const void *, size_t);
sv_result	 buf_adds(struct buf *, const char *);
sv_result	 buf_addc(struct buf *, char);
sv_result	 buf_addf(struct buf *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
/* The content ("" when empty); valid until the next add or free. */
const char	*buf_str(const struct buf *);
/* Hands the allocation to the caller ("" allocated when empty); the
 * buffer is left empty and reusable. */
char		*buf_detach(struct buf *);
/* Appends the whole file at path (up to the buffer's max). SV_E_NOTFOUND
 * when it does not exist, SV_E_TOOLARGE over the max, SV_E_IO otherwise;
 * errno then says why, for the caller's message. Holding secrets, the
 * caller wipes the buffer. */
sv_result	 buf_read_file(struct buf *, const char *path);

#endif
