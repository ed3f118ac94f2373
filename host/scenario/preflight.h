/* Completes every selected scenario's plan before anything is built, started
 * or written: the server profile with the overrides applied, the client's
 * trust list (certificates generated or taken from the cache). A mistake
 * stops the run with exit 2 and a message naming the file, line and key,
 * instead of surfacing halfway through. Running a scenario then only reads
 * its plan. */
#ifndef TLSRIG_PREFLIGHT_H
#define TLSRIG_PREFLIGHT_H

#include <stddef.h>

#include "scenario.h"

/* recipes_path and certs_cache may be NULL (the defaults of certs.h). */
int preflight_check(scenario_t *const *items, size_t n, const char *profiles_dir,
                    const char *recipes_path, const char *certs_cache, char *err, size_t errlen);

#endif
