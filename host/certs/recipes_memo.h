/* The recipe file parsed once per process: every certs_ensure() and
 * certs_root_pem() opened a session that parsed and validated the whole
 * YAML file again (four times before a run's first handshake). A parse is
 * shared while the file (inode, size, time) is unchanged; a changed file is
 * parsed again, and the old parse lives on until its last user puts it
 * back. Errors are those of recipes_load(), never remembered. */
#ifndef TLSRIG_RECIPES_MEMO_H
#define TLSRIG_RECIPES_MEMO_H

#include <stddef.h>

#include "recipes.h"

/* The parsed recipe file (read-only), held until recipes_memo_put(). */
recipe_file_t *recipes_memo_get(const char *path, char *err, size_t errlen);
void recipes_memo_put(recipe_file_t *rf);

/* How many times a recipe file was parsed (tests). */
unsigned long recipes_memo_parses(void);

#endif
