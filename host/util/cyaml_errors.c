#include "cyaml_errors.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static char g_text[1024];

static void collect(cyaml_log_t level, void *ctx, const char *fmt, va_list args)
{
    (void)ctx;
    if (level < CYAML_LOG_ERROR) {
        return;
    }
    size_t used = strlen(g_text);
    if (used < sizeof g_text - 1) {
        vsnprintf(g_text + used, sizeof g_text - used, fmt, args);
    }
}

const cyaml_config_t tlsrig_cyaml_config = {
    .log_fn = collect,
    .mem_fn = cyaml_mem,
    .log_level = CYAML_LOG_ERROR,
    .flags = CYAML_CFG_NO_ALIAS, /* billion laughs: config_yaml refuses them first */
};

void cyaml_errors_reset(void)
{
    g_text[0] = '\0';
}

const char *cyaml_errors_text(void)
{
    size_t n = strlen(g_text);
    while (n > 0 && g_text[n - 1] == '\n') {
        g_text[--n] = '\0';
    }
    return g_text;
}
