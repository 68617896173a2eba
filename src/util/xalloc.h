/* xalloc.h - allocation wrappers that abort on out-of-memory (as tmux's
 * xmalloc does): callers never check for NULL. */
#ifndef SALVAGE_UTIL_XALLOC_H
#define SALVAGE_UTIL_XALLOC_H

#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));
/* Frees and sets the pointer to NULL. */
#define xfree(p) do { free(p); (p) = NULL; } while (0)

#endif
