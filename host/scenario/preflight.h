/* Check every selected scenario's configuration before anything is built,
 * started or written: server profile and overrides, client settings, replay
 * files. A mistake stops the run with exit 2 and a message naming the file,
 * line and key, instead of surfacing halfway through. */
#ifndef TLSRIG_PREFLIGHT_H
#define TLSRIG_PREFLIGHT_H

#include <stddef.h>

#include "scenario.h"

int preflight_check(scenario_t *const *items, size_t n, const char *profiles_dir, char *err,
                    size_t errlen);

#endif
