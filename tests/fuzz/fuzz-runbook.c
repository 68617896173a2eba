/* fuzz-runbook.c - libFuzzer target for the runbook loader: any bytes
 * must either load into a runbook whose every step, variable and
 * reference is consistent, or be rejected with a message naming the
 * place (line:column or a field path), without crashing, leaking or
 * reading out of bounds. Templates of what loads are expanded too. */
#include <config.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/runbook.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *
lookup(void *data, const char *name)
{
	(void)data;
	return strcmp(name, "missing") == 0 ? NULL : "v";
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct runbook	*rb;
	struct sv_err	 err;
	char		*copy, *out = NULL, *missing = NULL;

	/* An exact-size copy: ASan catches any read past the end. */
	copy = malloc(size ? size : 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	sv_err_init(&err);
	rb = runbook_load_mem(copy, size, "fuzz.json", &err);
	if (rb == NULL) {
		/* Every rejection says where. */
		if (err.code != SV_E_PARSE || strncmp(err.msg, "fuzz.json", 9) != 0)
			abort();
	} else {
		if (rb->nsteps == 0 || rb->id == NULL || rb->title == NULL)
			abort();
		for (size_t i = 0; i < rb->nsteps; i++) {
			const struct rb_step *st = &rb->steps[i];

			if (st->id == NULL || st->title == NULL ||
			    (unsigned)st->type >= RB_STEP__COUNT ||
			    runbook_step_index(rb, st->id) != (int)i)
				abort();
			if (st->text != NULL) {
				sv_err_init(&err);
				if (runbook_expand(st->text, lookup, NULL, &out, &missing,
				    &err) == SV_OK && out == NULL)
					abort();
				free(out);
				free(missing);
				out = missing = NULL;
			}
		}
		runbook_free(rb);
	}
	free(copy);
	return 0;
}
