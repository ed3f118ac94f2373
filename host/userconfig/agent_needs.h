/* What the tlsrig agent itself needs from an mbedTLS configuration, read from the agent's
 * code (target/core, target/crypto/selftest): the modules it calls without a guard, the
 * platform hooks it installs, and what would break its debug log. Checked on the
 * configuration as mbedTLS sees it (config_header.h's effective macros) before any build. */
#ifndef TLSRIG_AGENT_NEEDS_H
#define TLSRIG_AGENT_NEEDS_H

#include <stddef.h>

#include "config_header.h"

typedef enum agent_need_kind {
    NEED_DEFINED,   /* macro (or alt) must be defined */
    NEED_UNDEFINED, /* macro must not be defined */
} agent_need_kind_t;

typedef struct agent_need {
    const char *macro;
    const char *alt;   /* another macro that satisfies the need, or NULL */
    const char *when;  /* only when this macro is defined, or NULL */
    const char *stack; /* only for this stack, or NULL for both */
    agent_need_kind_t kind;
    const char *why; /* what in the agent needs it (file: function) */
} agent_need_t;

size_t agent_needs_count(void);
const agent_need_t *agent_need_at(size_t i);

/* Every need c's effective configuration does not meet, one line each ("  - MACRO is not
 * defined: WHY") appended to msg. Returns how many. */
size_t agent_needs_check(const user_config_t *c, char *msg, size_t cap);

#endif
