/* One libcyaml configuration for the host's loaders whose log callback
 * collects error text, so a loader's message can name the key and line that
 * libcyaml complained about. Not thread-safe (loaders run on the main thread). */
#ifndef TLSRIG_CYAML_ERRORS_H
#define TLSRIG_CYAML_ERRORS_H

#include <cyaml/cyaml.h>

extern const cyaml_config_t tlsrig_cyaml_config;

/* Forget what was collected; call before each load. */
void cyaml_errors_reset(void);
/* What libcyaml logged since the reset (error level), trailing newlines cut. */
const char *cyaml_errors_text(void);

#endif
