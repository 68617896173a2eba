/* svc-internal.h - what the service modules share and nothing above
 * src/svc sees: the operation machinery (one request per page, the
 * pagination loop, cancellation, error context), a per-page string arena,
 * growable arrays and the XML page reader that recognizes error bodies. */
#ifndef SALVAGE_SVC_SVC_INTERNAL_H
#define SALVAGE_SVC_SVC_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "aws/client.h"
#include "svc/svc.h"
#include "util/err.h"
#include "util/time.h"
#include "util/xml.h"

/* ---- string arena: blocks that never move, reset once per page ---- */

struct svc_arena_block;

struct svc_arena {
	struct svc_arena_block	*head;
	struct svc_arena_block	*cur;
};

/* Copies n bytes and a NUL; the copy lives until reset or free. */
char	*svc_arena_strndup(struct svc_arena *, const char *, size_t);
char	*svc_arena_strdup(struct svc_arena *, const char *);
void	 svc_arena_reset(struct svc_arena *);	/* keeps the memory */
void	 svc_arena_free(struct svc_arena *);

/* Grows *arr (of elem-size items, capacity *cap) to hold at least need. */
void	*svc_grow(void *arr, size_t *cap, size_t need, size_t elem);
#define SVC_PUSH(arr, n, cap) \
	((arr) = svc_grow((arr), &(cap), (n) + 1, sizeof *(arr)), &(arr)[(n)++])

/* ---- operations ---- */

/* What one page's handling reports back to the loop. */
struct svc_page_out {
	bool	more;		/* there is another page: prepare() again */
	bool	stop;		/* the caller's callback returned false */
	size_t	items;		/* delivered in this page, for progress messages */
};

struct svc_op_type {
	/* "versions": used in "after 3 pages, 2871 versions"; NULL for a
	 * single-result call. */
	const char	*noun;
	/* Fills the call for the next page from the state. */
	sv_result	(*prepare)(void *state, struct aws_call *, struct sv_err *);
	/* Handles a 2xx response: parse, deliver, say whether more follows. */
	sv_result	(*page)(void *state, struct aws_response *,
			    struct svc_page_out *, struct sv_err *);
	/* Optional: a failed response that is really a result (a missing
	 * Object Lock configuration, a delete marker). Returns SV_OK when it
	 * delivered a result; otherwise the error stands (return the
	 * response's code, or set err). Wrong-region redirects are the
	 * client's business, not this hook's. */
	sv_result	(*error)(void *state, struct aws_response *,
			    struct svc_page_out *, struct sv_err *);
	void		(*free)(void *state);
};

/* Starts an operation: prepare() and send the first page. state is owned
 * by the op (type->free). context ("listing versions of s3://b/p") is
 * prefixed to error messages. On a prepare failure, done() is called
 * before this returns and NULL is returned. */
struct svc_op	*svc_op_start(struct aws_client *, const struct svc_op_type *,
		    void *state, const char *context, svc_done_fn, void *data);
/* Fails an operation before anything is sent: frees state, calls done()
 * with the error and returns NULL. */
struct svc_op	*svc_op_fail(const struct svc_op_type *, void *state, svc_done_fn,
		    void *data, sv_result, const char *, ...)
		    __attribute__((format(printf, 6, 7)));

/* ---- errors carried in bodies ---- */

/* Maps an AWS error code to a result class (NoSuchBucket -> NOTFOUND,
 * AccessDenied -> DENIED, ...). */
sv_result	 svc_code_result(const char *code);

/* ---- XML pages ----
 * svc_xml_parse runs a page body through util/xml.h, checking the root
 * element: one of the expected roots goes to the handler; <Error> (S3)
 * or <ErrorResponse> (query) becomes an error naming Code and Message;
 * anything else is SV_E_PARSE. The handler's own errors go to the
 * struct sv_err it was given (first wins). */
sv_result	 svc_xml_parse(const char *, size_t, const char *op,
		    const char *const *roots, const struct xml_handler *, void *,
		    struct sv_err *);

/* Field helpers for parsers: convert text, record SV_E_PARSE (naming the
 * element) in err when malformed. */
long long	 svc_parse_ll(const char *text, const char *what, struct sv_err *);
sv_time		 svc_parse_time(const char *text, const char *what, struct sv_err *);
bool		 svc_parse_bool(const char *text, const char *what, struct sv_err *);

/* ---- JSON members (svc-json.c) ----
 * A wrong type is SV_E_PARSE in err naming the member; an absent or null
 * member is NULL / false / -1 / SV_TIME_NONE. Times are epoch seconds. */
struct cJSON;
const struct cJSON *svc_jget(const struct cJSON *, const char *);
const struct cJSON *svc_jobj(const struct cJSON *, const char *, struct sv_err *);
const struct cJSON *svc_jarr(const struct cJSON *, const char *, struct sv_err *);
const char	*svc_jstr(const struct cJSON *, const char *, struct sv_err *);
bool		 svc_jnum(const struct cJSON *, const char *, double *,
		    struct sv_err *);
long long	 svc_jll(const struct cJSON *, const char *, struct sv_err *);
sv_time		 svc_jtime(const struct cJSON *, const char *, struct sv_err *);
bool		 svc_jbool(const struct cJSON *, const char *, struct sv_err *);

#endif
