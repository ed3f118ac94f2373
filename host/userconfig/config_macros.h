/* The macros of an mbedTLS configuration as the compiler sees them: the output of
 * `cc -dM -E` (one `#define NAME VALUE` per line) as a sorted table. Everything that
 * asks "does this configuration define X" or "how large is Y" reads this table, never
 * the header's text. */
#ifndef TLSRIG_CONFIG_MACROS_H
#define TLSRIG_CONFIG_MACROS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct config_macro {
    char *name;
    char *value; /* replacement list, "" when empty; function-like macros keep "(args) body" */
} config_macro_t;

typedef struct config_macros {
    config_macro_t *items; /* sorted by name */
    size_t n;
} config_macros_t;

/* Parses -dM output (len bytes, need not be NUL-terminated). Lines that are not
 * `#define NAME ...` are ignored. 0, or -1 when out of memory. */
int config_macros_parse(const char *text, size_t len, config_macros_t *out);
void config_macros_free(config_macros_t *m);

const config_macro_t *config_macros_find(const config_macros_t *m, const char *name);
bool config_macros_defined(const config_macros_t *m, const char *name);

/* Integer value of an object-like macro: a decimal, hex or octal literal (with u/l
 * suffixes), possibly in parentheses, or the name of another macro with such a value
 * (followed up to 8 times). 0 with *out; -1 not defined; -2 defined but not a plain
 * integer (an expression the rig does not evaluate). */
int config_macros_int(const config_macros_t *m, const char *name, long long *out);

#endif
