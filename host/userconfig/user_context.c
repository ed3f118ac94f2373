#include "user_context.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "stacks.h"

static void copy_str(const json_t *o, const char *key, char *out, size_t cap)
{
    const char *v = json_string_value(json_object_get(o, key));
    snprintf(out, cap, "%s", v ? v : "");
}

int user_context_load(const char *build_dir, user_context_t *ctx, char *err, size_t errlen)
{
    memset(ctx, 0, sizeof *ctx);
    snprintf(ctx->build_dir, sizeof ctx->build_dir, "%s", build_dir);
    char path[4200];
    snprintf(path, sizeof path, "%s/userconfig/context.json", build_dir);
    json_error_t jerr;
    json_t *j = json_load_file(path, 0, &jerr);
    if (!j) {
        snprintf(err, errlen,
                 "--config-file: %s: %s (this build predates --config-file: run cmake again)", path,
                 jerr.text);
        return 2;
    }
    copy_str(j, "root", ctx->root, sizeof ctx->root);
    copy_str(j, "c_compiler", ctx->cc, sizeof ctx->cc);
    copy_str(j, "build_type", ctx->build_type, sizeof ctx->build_type);
    copy_str(j, "cache_dir", ctx->cache_dir, sizeof ctx->cache_dir);
    ctx->sanitize = json_is_true(json_object_get(j, "sanitize"));
    /* A context written before the key existed: the option's default, debug information on. */
    const json_t *tp_debug = json_object_get(j, "third_party_debug_info");
    ctx->third_party_debug_info = !tp_debug || json_is_true(tp_debug);
    copy_str(j, "rule_messages", ctx->rule_messages, sizeof ctx->rule_messages);
    if (strcmp(ctx->rule_messages, "ON") != 0 && strcmp(ctx->rule_messages, "OFF") != 0) {
        ctx->rule_messages[0] = '\0';
    }
    const json_t *cross = json_object_get(j, "cross");
    copy_str(cross, "arm_gcc", ctx->arm_gcc, sizeof ctx->arm_gcc);
    copy_str(cross, "toolchain_file", ctx->toolchain_file, sizeof ctx->toolchain_file);
    copy_str(cross, "nucleo_baud", ctx->nucleo_baud, sizeof ctx->nucleo_baud);
    ctx->cross = json_is_true(json_object_get(cross, "enabled")) && ctx->arm_gcc[0] &&
                 ctx->toolchain_file[0];
    const json_t *stacks = json_object_get(j, "stacks");
    for (size_t i = 0; i < STACK_ALL_MBEDTLS; i++) { /* mbedTLS headers only */
        const json_t *s = json_object_get(stacks, stack_names[i]);
        copy_str(s, "source_dir", ctx->source_dir[i], sizeof ctx->source_dir[i]);
        copy_str(s, "version", ctx->version[i], sizeof ctx->version[i]);
        if (ctx->source_dir[i][0]) {
            snprintf(ctx->include_dir[i], sizeof ctx->include_dir[i], "%s/include",
                     ctx->source_dir[i]);
        }
    }
    json_decref(j);
    if (!ctx->root[0] || !ctx->cc[0]) {
        snprintf(err, errlen, "--config-file: %s lacks root or c_compiler: run cmake again", path);
        return 2;
    }
    return 0;
}

void user_context_toolchain(const user_context_t *ctx, config_toolchain_t *tc)
{
    memset(tc, 0, sizeof *tc);
    tc->cc = ctx->cc;
    for (size_t i = 0; i < STACK_ALL_MBEDTLS; i++) { /* mbedTLS headers only */
        tc->include_dir[i] = ctx->include_dir[i];
        tc->version[i] = ctx->version[i];
    }
}
