/* client.h - what src/svc uses to talk to AWS: a typed call (operation,
 * path, query, headers, body) goes in; the client resolves the endpoint,
 * signs every attempt (SigV4, with skew correction), enforces the
 * read-only/audit gate from the operation table, classifies errors by
 * protocol and retries through the HTTP engine. */
#ifndef SALVAGE_AWS_CLIENT_H
#define SALVAGE_AWS_CLIENT_H

#include <stdbool.h>
#include <stdint.h>

#include "aws/config.h"
#include "aws/creds.h"
#include "aws/http.h"
#include "aws/ops.h"

struct aws_kv {
	char	*name;
	char	*value;
};

struct aws_kvlist {
	struct aws_kv	*v;
	size_t		 n, cap;
};

void	aws_kvlist_add(struct aws_kvlist *, const char *name, const char *value);
void	aws_kvlist_addf(struct aws_kvlist *, const char *name, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	aws_kvlist_free(struct aws_kvlist *);

struct aws_call {
	enum aws_op_id		 op;
	const char		*method;	/* NULL: "GET" for rest, "POST" for json/query */
	/* S3: the bucket (the client chooses virtual-hosted or path style)
	 * and the key, raw (unencoded; the client encodes it once). */
	const char		*bucket;
	const char		*key;
	/* Other rest services: the path as sent, already encoded; NULL: "/". */
	const char		*path;
	/* URL query parameters, raw (the client encodes). Names without a
	 * value (S3 "?versions") use value NULL. */
	struct aws_kvlist	 query;
	/* Query protocol (RDS, STS): form parameters besides Action and
	 * Version, raw. */
	struct aws_kvlist	 params;
	struct aws_kvlist	 headers;	/* extra request headers */
	const char		*body;		/* json/rest body, borrowed */
	size_t			 body_len;
	const char		*region;	/* override (S3 bucket region) or NULL */
	/* What the audit gate records as the call's target ("s3://b/k"). */
	const char		*target;
	/* Time the server may need beyond the usual per-attempt timeout
	 * before it answers (a server-side copy); 0: none. */
	long			 timeout_extra_ms;
};

struct aws_response {
	long			 status;
	struct http_headers	 headers;
	struct buf		 body;
	const char		*request_id;	/* x-amzn-RequestId / x-amz-request-id, or NULL */
	/* SV_OK: 2xx (and, for S3, no <Error> in a 200). Otherwise a
	 * classified error: SV_E_NOTFOUND, SV_E_DENIED, SV_E_CREDS,
	 * SV_E_THROTTLED, SV_E_NET, SV_E_PARSE, SV_E_AWS ... with a message
	 * that names the operation, the AWS code and what to do. */
	sv_result		 result;
	struct sv_err		 err;
	char			 aws_code[128];	/* "NoSuchBucket", "" if none */
	int			 attempts;
};

typedef void (*aws_done_fn)(void *, struct aws_response *);

/* The audit gate: called for every mutating call after --operate is
 * checked and before the request is sent; returns SV_OK only when an
 * intent record for it is durable. With no gate set, mutating calls are
 * refused. result() is called after the call completes. */
struct aws_gate {
	sv_result	(*intent)(void *, const struct aws_op *, const struct aws_call *,
			    uint64_t *intent_id, struct sv_err *);
	void		(*result)(void *, const struct aws_op *, uint64_t intent_id,
			    const struct aws_response *);
	void		*data;
	/* Optional (NULL: no exemption). The audit log's own upload: when
	 * exempt() returns true for a mutating call (only PutObject of the
	 * log under the configured audit destination qualifies; core/audit.c
	 * decides, in one place), the client sends it without --operate and
	 * without intent()/result(): it is what records the intents, and a
	 * read-only session ships its log too. */
	bool		(*exempt)(void *, const struct aws_op *, const struct aws_call *);
};

struct aws_client;
struct aws_pending;

struct aws_client	*aws_client_new(const struct aws_options *, struct sv_err *);
void			 aws_client_free(struct aws_client *);
void			 aws_client_set_operate(struct aws_client *, bool);
bool			 aws_client_operate(const struct aws_client *);
void			 aws_client_set_gate(struct aws_client *, const struct aws_gate *);
const struct aws_config	*aws_client_config(const struct aws_client *);
struct http_engine	*aws_client_engine(struct aws_client *);
/* Resolves credentials now (so errors surface early); see creds.h. */
sv_result		 aws_client_creds(struct aws_client *, const struct aws_creds **,
			    struct sv_err *);
/* Region in effect ("us-east-1" default when none configured). */
const char		*aws_client_region(const struct aws_client *);
/* Endpoint base URL used for a service ("https://s3.us-east-1.amazonaws.com"). */
const char		*aws_client_endpoint(struct aws_client *, enum aws_service);
bool			 aws_client_custom_endpoint(const struct aws_client *, enum aws_service);

/* Asynchronous: done() is called once (from the engine's processing,
 * never from inside aws_send). The call is copied; the caller may free it
 * after aws_send returns. A refused call (read-only, gate) completes with
 * SV_E_READONLY / SV_E_AUDIT without any request being sent. */
struct aws_pending	*aws_send(struct aws_client *, const struct aws_call *,
			    aws_done_fn, void *);
void			 aws_cancel(struct aws_pending *);
/* Synchronous: runs the engine until the call completes. */
sv_result		 aws_call_sync(struct aws_client *, const struct aws_call *,
			    struct aws_response *out);
void			 aws_call_init(struct aws_call *, enum aws_op_id);
void			 aws_call_free(struct aws_call *);	/* frees the kvlists */
void			 aws_response_init(struct aws_response *);
void			 aws_response_free(struct aws_response *);

#endif
