/* One table of the `tlsrig` commands: synopsis, summary, operands, every
 * option with one line each, exit codes. */
#ifndef TLSRIG_CLI_HELP_H
#define TLSRIG_CLI_HELP_H

#include <stddef.h>
#include <stdio.h>

typedef struct cli_option {
    const char *flag; /* "--out DIR"; NULL ends a list */
    const char *help;
} cli_option_t;

typedef struct cli_help {
    const char *name;
    const char *synopsis;
    const char *summary;
    const char *operands; /* NULL: none */
    const cli_option_t *options;
    const char *exits;
} cli_help_t;

const cli_help_t *cli_help_all(size_t *count);
const cli_help_t *cli_help_find(const char *name);
void cli_help_print(FILE *out, const cli_help_t *h);
/* Every command with its summary. */
void cli_help_overview(FILE *out);
void cli_version(FILE *out);

#endif
