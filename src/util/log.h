/* log.h - diagnostics. --debug sends a trace to a sink (stderr by default;
 * the TUI installs its own). Callers must never pass secrets. */
#ifndef SALVAGE_UTIL_LOG_H
#define SALVAGE_UTIL_LOG_H

#include <stdbool.h>

typedef void (*sv_log_sink)(void *, const char *line);

void	sv_log_set_debug(bool);
bool	sv_log_debug_enabled(void);
void	sv_log_set_sink(sv_log_sink, void *);
void	sv_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
/* Warnings always reach the sink (stderr in the CLI). */
void	sv_warn(const char *, ...) __attribute__((format(printf, 1, 2)));

#endif
