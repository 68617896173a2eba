/* fuzz-audit-verify.c - libFuzzer target for the audit log verifier: any
 * bytes must give a verdict (intact or the first bad record) without
 * crashing, leaking or reading out of bounds; an intact verdict must be
 * consistent (head of the last record, count, open intents). */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct audit_verify	v;
	char			*copy;
	sv_result		r;

	/* An exact-size copy: ASan catches any read past the end. */
	copy = malloc(size ? size : 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	r = audit_verify_mem(copy, size, &v);
	if (r == SV_OK) {
		if (v.bad != AUDIT_OK || v.records == 0 || strlen(v.head) != AUDIT_HASH_LEN)
			abort();
	} else {
		if (r != SV_E_MISMATCH || v.bad == AUDIT_OK || v.why[0] == '\0' ||
		    v.bad_seq == 0 || v.bad_line == 0)
			abort();
	}
	audit_verify_free(&v);
	free(copy);
	return 0;
}
