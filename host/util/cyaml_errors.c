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

/* The word after `marker` in text, up to a space, ';' or quote. */
static void word_after(const char *text, const char *marker, char *out, size_t cap)
{
    out[0] = '\0';
    const char *at = strstr(text, marker);
    if (!at) {
        return;
    }
    at += strlen(marker);
    size_t n = strcspn(at, " ;'\n");
    snprintf(out, cap, "%.*s", (int)(n < cap ? n : cap - 1), at);
}

void cyaml_errors_describe(const config_yaml_t *cy, cyaml_err_t e, const char *prefix, char *err,
                           size_t errlen)
{
    char flat[1024];
    size_t j = 0;
    const char *msg = cyaml_errors_text();
    for (size_t i = 0; msg[i] && j < sizeof flat - 1; i++) {
        char c = msg[i] == '\n' ? ';' : msg[i];
        if (c == ';' && (j == 0 || flat[j - 1] == ';' || flat[j - 1] == ' ')) {
            continue;
        }
        flat[j++] = c;
    }
    while (j > 0 && (flat[j - 1] == ';' || flat[j - 1] == ' ')) {
        j--;
    }
    flat[j] = '\0';
    char key[128];
    unsigned line = 0;
    const char *what = flat[0] ? flat : cyaml_strerror(e);
    word_after(flat, "Missing required mapping field: ", key, sizeof key);
    if (key[0]) {
        what = "required key is missing";
    } else {
        word_after(flat, "Unexpected key: ", key, sizeof key);
        if (key[0]) {
            line = config_yaml_key_line(cy, key);
        } else {
            word_after(flat, "field '", key, sizeof key);
        }
    }
    /* libcyaml's backtrace: "(line: N, column: M)" of the innermost value. */
    const char *at = strstr(flat, "(line: ");
    unsigned cy_line = 0;
    if (line == 0 && at && sscanf(at, "(line: %u", &cy_line) == 1 && cy_line > 0) {
        line = cy_line + cy->first_line - 1u;
    }
    if (line == 0 && key[0]) {
        line = config_yaml_key_line(cy, key);
    }
    char where[32] = "";
    if (line > 0) {
        snprintf(where, sizeof where, ":%u", line);
    }
    if (key[0]) {
        snprintf(err, errlen, "%s%s: key '%s%s': %s (%s)", cy->file, where, prefix ? prefix : "",
                 key, what, cyaml_strerror(e));
    } else {
        snprintf(err, errlen, "%s%s: %s (%s)", cy->file, where, what, cyaml_strerror(e));
    }
}
