/* One libcyaml configuration for the host's loaders whose log callback
 * collects error text, so a loader's message can name the key and line that
 * libcyaml complained about. Not thread-safe (loaders run on the main thread). */
#ifndef TLSRIG_CYAML_ERRORS_H
#define TLSRIG_CYAML_ERRORS_H

#include <cyaml/cyaml.h>
#include <stddef.h>

#include "config_yaml.h"

extern const cyaml_config_t tlsrig_cyaml_config;

/* Forget what was collected; call before each load. */
void cyaml_errors_reset(void);
/* What libcyaml logged since the reset (error level), trailing newlines cut. */
const char *cyaml_errors_text(void);

/* After a failed cyaml load of cy's text: "file:line: key 'PREFIXkey':
 * what libcyaml said (error)", the line from libcyaml's backtrace or, for an
 * unknown key (which libcyaml places at its mapping), from the document. */
void cyaml_errors_describe(const config_yaml_t *cy, cyaml_err_t e, const char *prefix, char *err,
                           size_t errlen);

#endif
