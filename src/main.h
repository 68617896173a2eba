/* main.h - program entry: global option parsing and dispatch. */
#ifndef SALVAGE_MAIN_H
#define SALVAGE_MAIN_H

struct cli;

/* Parses the global options wherever they stand on the line, removing
 * them from argv; returns the new argc, or -1 after printing a usage
 * error. Exposed for unit tests. */
int	main_parse_globals(struct cli *, int argc, char **argv, int *exit_status);

#endif
