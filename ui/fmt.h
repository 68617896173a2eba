/* fmt.h - how the console shows times: UTC with 'Z' by default, local
 * time with the zone spelled out after 't'. One switch for every view. */
#ifndef SALVAGE_UI_FMT_H
#define SALVAGE_UI_FMT_H

#include <stdbool.h>
#include <stddef.h>

#include "util/time.h"

void	ui_time_set_local(bool);
bool	ui_time_local(void);
/* "2024-01-02T03:04:05Z" or "2024-01-02 04:04:05 CET (+01:00)"; "-" for
 * SV_TIME_NONE. */
void	ui_time_format(sv_time, char *out, size_t outsz);
/* Columns a formatted time takes in the current mode. */
int	ui_time_width(void);

#endif
