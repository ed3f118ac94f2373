#define _POSIX_C_SOURCE 200809L
#include "result_diagnosis.h"

#include <stdio.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>

#include "diagnose.h"
#include "stacks.h"
#include "file_read.h"
#include "logparse.h"

static const char *str(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static bool same(const json_t *a, const json_t *b, const char *k)
{
    return strcmp(str(a, k), str(b, k)) == 0;
}

static int alert_of(const json_t *r, const char *k)
{
    const json_t *a = json_object_get(r, k);
    return json_is_integer(a) ? (int)json_integer_value(a) : -1;
}

/* The other backend's result for this scenario and this image's self-test,
 * from the results recorded so far (sw runs before hw; an image's self-test
 * before its scenarios). Strings point into prior. */
static void context_from(const json_t *prior, const json_t *r, diagnose_context_t *ctx)
{
    memset(ctx, 0, sizeof *ctx);
    size_t i;
    const json_t *p;
    json_array_foreach(prior, i, p)
    {
        /* Evidence from the same image kind only: another stack's run says nothing. */
        if (!same(p, r, "board") || !same(p, r, "config") ||
            strcmp(stack_or_default(json_string_value(json_object_get(p, "stack"))),
                   stack_or_default(json_string_value(json_object_get(r, "stack")))) != 0)
            continue;
        if (strcmp(str(p, "kind"), "selftest") == 0 && same(p, r, "backend")) {
            ctx->selftest_known = true;
            ctx->n_selftest_failed = 0;
            size_t k;
            const json_t *name;
            json_array_foreach(json_object_get(p, "failed_primitives"), k, name)
            {
                if (json_is_string(name) && ctx->n_selftest_failed < 8)
                    ctx->selftest_failed[ctx->n_selftest_failed++] = json_string_value(name);
            }
        } else if (strcmp(str(p, "kind"), "target") == 0 && same(p, r, "scenario") &&
                   !same(p, r, "backend") && json_is_integer(json_object_get(p, "mbedtls_ret"))) {
            ctx->other_known = true;
            ctx->other_backend = json_string_value(json_object_get(p, "backend"));
            ctx->other_ret = (int)json_integer_value(json_object_get(p, "mbedtls_ret"));
            ctx->other_passed = ctx->other_ret == 0;
        }
    }
}

int result_add_diagnosis(json_t *result, const char *log_path, const server_view_t *server,
                         const json_t *prior)
{
    return result_add_diagnosis_ex(result, log_path, server, prior, NULL);
}

int result_add_diagnosis_ex(json_t *result, const char *log_path, const server_view_t *server,
                            const json_t *prior, const result_diag_extra_t *extra)
{
    size_t len = 0;
    char *text = log_path ? file_read_all(log_path, 64u << 20, &len) : NULL;
    logparse_result_t *log = text ? logparse_text(text, len) : NULL;
    server_view_t *edge = NULL;
    if (!server && json_is_object(json_object_get(result, "server"))) {
        edge = malloc(sizeof *edge);
        if (edge && server_view_from_json(json_object_get(result, "server"), edge) == 0)
            server = edge;
    }
    diagnose_context_t ctx;
    context_from(prior, result, &ctx);

    diagnose_input_t in;
    memset(&in, 0, sizeof in);
    in.log = log;
    in.server = server;
    in.context = &ctx;
    /* A wolfSSL result carries wolfSSL's error code (wolfssl_ret); the rules read it as
     * such when told the stack (diagnose.h). */
    in.stack = json_string_value(json_object_get(result, "stack"));
    bool wolf = in.stack && strcmp(in.stack, "wolfssl") == 0;
    if (!wolf) {
        in.stack = NULL; /* mbedTLS: the release the log and the agent name decide */
    }
    json_t *ret = json_object_get(result, wolf ? "wolfssl_ret" : "mbedtls_ret");
    in.has_ret = json_is_integer(ret);
    in.mbedtls_ret = (int)json_integer_value(ret);
    in.agent_alert_received = alert_of(result, "alert_received");
    in.agent_alert_sent = alert_of(result, "alert_sent");
    in.mbedtls_version =
        json_string_value(json_object_get(json_object_get(result, "agent"), "mbedtls_version"));
    if (strcmp(str(result, "kind"), "target") == 0)
        in.backend = json_string_value(json_object_get(result, "backend"));
    in.suite = server ? server->chosen_suite : 0;
    in.infra = infra_cause_from_id(str(result, "infra_cause"));
    in.infra_detail = json_string_value(json_object_get(result, "infra_error"));
    in.agent_sni = -1;
    json_t *resumed = json_object_get(result, "resumed");
    in.has_resumed = json_is_boolean(resumed);
    in.resumed = json_is_true(resumed);
    if (extra) {
        in.config = extra->config;
        in.config_label = extra->config_label;
        in.config_stack = extra->config_stack;
        in.requested_sni = extra->requested_sni;
        in.agent_sni = extra->agent_sni;
    }
    if (in.infra == INFRA_NONE && json_object_get(result, "infra_error"))
        in.infra = INFRA_HOST_ERROR; /* an infra error nobody classified */
    diagnosis_t *d = malloc(sizeof *d);
    int rc = d ? diagnose(&in, d) : -1;
    if (rc == 0) {
        json_t *dj = diagnosis_to_json(d);
        json_object_update(result, dj);
        json_decref(dj);
    }
    free(d);
    free(edge);
    logparse_free(log);
    free(text);
    return rc;
}

void result_set_infra(json_t *result, infra_cause_t cause, const char *detail)
{
    json_object_set_new(result, "outcome", json_string("infra-error"));
    json_object_set_new(result, "infra_error", json_string(detail ? detail : ""));
    json_object_set_new(result, "infra_cause", json_string(infra_cause_id(cause)));
    result_add_diagnosis(result, NULL, NULL, NULL);
}
