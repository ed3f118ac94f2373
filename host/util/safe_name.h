/* Names that become parts of file paths (scenario, board, profile names):
 * letters, digits, '-', '_' and '.', not starting with '.', 1..64 bytes. A
 * name like "../../x" or "a/b" can then never leave its output folder. */
#ifndef TLSRIG_SAFE_NAME_H
#define TLSRIG_SAFE_NAME_H

#include <stdbool.h>
#include <stddef.h>

#define SAFE_NAME_MAX 64

bool safe_name_valid(const char *name);

/* Why a name is refused, for an error message ("" when it is valid). */
const char *safe_name_problem(const char *name);

/* Every name of a NULL-terminated list is valid; else the first bad one in *bad. */
bool names_valid(const char *const *names, size_t n, const char **bad);

#endif
