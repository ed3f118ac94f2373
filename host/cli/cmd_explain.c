/* `tlsrig explain`: read a log (file or stdin), parse it, diagnose it, print the verdict for
 * a human or as JSON. Client side only: no server view, no agent result. The stack that wrote
 * the log (mbedTLS 2.28 / 3.6, wolfSSL) is detected from its line shapes, or forced with
 * --stack; a wolfSSL log's fix names wolfSSL's build options and API calls. With
 * --config-file, the fix is checked against the device's own mbedTLS configuration header
 * (preprocessed with this build's compiler and mbedTLS headers: host/userconfig). */
#include "cmd_explain.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "config_header.h"
#include "diagnose.h"
#include "logparse.h"
#include "stacks.h"
#include "user_context.h"

/* Refuse absurd inputs instead of exhausting memory: real logs are far below this. */
#define EXPLAIN_MAX_LOG (64u * 1024u * 1024u)

static char *read_all(FILE *f, size_t *len)
{
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    if (!buf)
        return NULL;
    for (;;) {
        if (n == cap) {
            if (cap >= EXPLAIN_MAX_LOG) {
                free(buf);
                return NULL;
            }
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                return NULL;
            }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

static void usage(FILE *err)
{
    fprintf(err, "usage: tlsrig explain LOGFILE|- [--json] [--stack "
                 "mbedtls-2.28|mbedtls-3.6|wolfssl] [--config-file HEADER]\n");
}

/* A TLS debug log has lines the parser recognises as mbedTLS or wolfSSL output; a text
 * match alone (a note such as "timed out") does not make a file a log. */
static bool holds_tls_lines(const logparse_result_t *log)
{
    for (size_t i = 0; i < logparse_event_count(log); i++) {
        if (logparse_event_at(log, i)->type != LP_EV_NOTE)
            return true;
    }
    return false;
}

static void print_human(FILE *out, const diagnosis_t *d, const logparse_clienthello_t *ch,
                        const char *stack, bool forced)
{
    fprintf(out, "verdict: %s (confidence %.2f)\n", d->verdict, d->confidence);
    fprintf(out, "log written by: %s (%s)\n\n", stack, forced ? "--stack" : "detected");
    fprintf(out, "%s\n\n", d->explanation);
    if (d->n_evidence > 0) {
        fprintf(out, "evidence:\n");
        for (size_t i = 0; i < d->n_evidence; i++)
            fprintf(out, "  - %s\n", d->evidence[i]);
        fprintf(out, "\n");
    }
    if (ch && ch->present) {
        fprintf(out, "ClientHello (hex dump at line %zu): %zu extension%s:", ch->source_line,
                ch->n_extensions, ch->n_extensions == 1 ? "" : "s");
        for (size_t i = 0; i < ch->n_extensions; i++)
            fprintf(out, " %s", logparse_extension_name(ch->extensions[i]));
        fprintf(out, "; groups:");
        for (size_t i = 0; i < ch->n_groups; i++)
            fprintf(out, " %s", logparse_group_name(ch->groups[i]));
        if (ch->has_suites)
            fprintf(out, "; %zu cipher suites", ch->n_suites);
        fprintf(out, "; SNI: %s\n\n", ch->has_sni ? ch->sni : "(none)");
    }
    fprintf(out, "fix: %s\n", d->fix);
    if (d->config_checked) {
        fprintf(out, "\nconfiguration check:\n");
        for (size_t i = 0; i < d->n_config_checks; i++)
            fprintf(out, "  %-44s wanted %-8s found %s\n", d->config_checks[i].macro,
                    d->config_checks[i].wanted, d->config_checks[i].found);
    }
    /* The ranking stays useful when a verdict is named: the next causes to check. */
    if (d->n_candidates > 1 || (strcmp(d->verdict, "undetermined") == 0 && d->n_candidates > 0)) {
        fprintf(out, "\ncandidates:\n");
        for (size_t i = 0; i < d->n_candidates; i++)
            fprintf(out, "  %.2f  %s\n", d->candidates[i].confidence, d->candidates[i].id);
    }
}

static const char *default_build_dir(void)
{
    const char *e = getenv("TLSRIG_BUILD_DIR");
    if (e && *e)
        return e;
#ifdef TLSRIG_DEFAULT_BUILD_DIR
    return TLSRIG_DEFAULT_BUILD_DIR;
#else
    return NULL;
#endif
}

/* --config-file: the header for the stack given, or the log's, or the default. */
static int load_config(const char *file, const char *stack_opt, const logparse_result_t *log,
                       user_config_t *uc, FILE *err)
{
    const char *stack = stack_opt ? stack_canonical(stack_opt) : NULL;
    logparse_stack_t written_by = logparse_stack(log);
    if (!stack && (written_by == LP_STACK_MBEDTLS_2_28 || written_by == LP_STACK_MBEDTLS_3_6))
        stack = stack_canonical(logparse_stack_name(written_by));
    if (!stack)
        stack = stack_of_version(logparse_version(log));
    if (!stack)
        stack = STACK_DEFAULT;
    const char *build = default_build_dir();
    static char msg[8192];
    user_context_t *ctx = malloc(sizeof *ctx);
    int rc = !ctx     ? 3
             : !build ? (snprintf(msg, sizeof msg,
                                  "--config-file: no build directory (set "
                                  "TLSRIG_BUILD_DIR)"),
                         2)
                      : user_context_load(build, ctx, msg, sizeof msg);
    if (rc == 0) {
        config_toolchain_t tc;
        user_context_toolchain(ctx, &tc);
        rc = user_config_load(file, stack, &tc, uc, msg, sizeof msg);
    }
    if (rc != 0)
        fprintf(err, "explain: %s\n", ctx ? msg : "out of memory");
    free(ctx);
    return rc;
}

int explain_run(int argc, char **argv, FILE *in, FILE *out, FILE *err)
{
    const char *path = NULL, *config_file = NULL, *stack_opt = NULL;
    bool json = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            json = true;
        } else if (strcmp(argv[i], "--config-file") == 0 && i + 1 < argc) {
            config_file = argv[++i];
        } else if (strcmp(argv[i], "--stack") == 0 && i + 1 < argc) {
            stack_opt = argv[++i];
        } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(out);
            return 0;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(err, "explain: unknown option %s\n", argv[i]);
            usage(err);
            return 2;
        } else if (path) {
            fprintf(err, "explain: only one log file\n");
            usage(err);
            return 2;
        } else {
            path = argv[i];
        }
    }
    if (!path) {
        usage(err);
        return 2;
    }
    logparse_stack_t forced;
    if (stack_opt && !logparse_stack_from_name(stack_opt, &forced)) {
        fprintf(err,
                "explain: --stack %s: unknown stack (known: mbedtls-2.28, mbedtls-3.6, "
                "wolfssl)\n",
                stack_opt);
        return 2;
    }
    if (stack_opt && config_file && forced == LP_STACK_WOLFSSL) {
        fprintf(err, "explain: --config-file checks an mbedTLS configuration header; it does not "
                     "apply to --stack wolfssl\n");
        return 2;
    }
    FILE *f = strcmp(path, "-") == 0 ? in : fopen(path, "rb");
    if (!f) {
        fprintf(err, "explain: cannot open %s\n", path);
        return 2;
    }
    size_t len = 0;
    char *text = read_all(f, &len);
    if (f != in)
        fclose(f);
    if (!text) {
        fprintf(err, "explain: cannot read %s\n", path);
        return 2;
    }
    logparse_result_t *log = logparse_text_as(text, len, stack_opt);
    free(text);
    diagnosis_t *d = malloc(sizeof *d);
    if (!log || !d) {
        fprintf(err, "explain: out of memory\n");
        logparse_free(log);
        free(d);
        return 2;
    }
    if (!holds_tls_lines(log)) {
        fprintf(err,
                "explain: %s holds no mbedTLS or wolfSSL debug lines: nothing to diagnose "
                "(capture the client's log with mbedtls_debug_set_threshold(3) and a debug "
                "callback, or wolfSSL's DEBUG_WOLFSSL with wolfSSL_Debugging_ON())\n",
                path);
        logparse_free(log);
        free(d);
        return 2;
    }
    const char *written_by = logparse_stack_name(logparse_stack(log));
    diagnose_input_t di = {.log = log,
                           .agent_alert_received = -1,
                           .agent_alert_sent = -1,
                           .agent_sni = -1,
                           .stack = written_by};
    user_config_t uc;
    memset(&uc, 0, sizeof uc);
    char label[4300] = "";
    if (config_file && logparse_stack(log) == LP_STACK_WOLFSSL) {
        fprintf(err,
                "explain: %s is a wolfSSL log; --config-file checks an mbedTLS "
                "configuration header\n",
                path);
        logparse_free(log);
        free(d);
        return 2;
    }
    if (config_file) {
        int rc = load_config(config_file, stack_opt, log, &uc, err);
        if (rc != 0) {
            logparse_free(log);
            free(d);
            return rc;
        }
        snprintf(label, sizeof label, "%s, sha256 %.16s...", uc.path, uc.sha256);
        di.config = &uc.effective;
        di.config_label = label;
        di.config_stack = uc.stack;
    }
    diagnose(&di, d);
    const logparse_clienthello_t *ch = logparse_clienthello(log);
    if (json) {
        json_t *j = diagnosis_to_json(d);
        if (j && ch && ch->present)
            json_object_set_new(j, "clienthello", logparse_clienthello_to_json(ch));
        if (j && logparse_version(log))
            json_object_set_new(j, "mbedtls_version", json_string(logparse_version(log)));
        if (j)
            json_object_set_new(j, "stack", json_string(written_by));
        if (j && config_file)
            json_object_set_new(
                j, "config_file",
                json_pack("{ss ss ss}", "path", uc.path, "sha256", uc.sha256, "stack", uc.stack));
        /* Confidences are the only reals: two significant digits = two decimals. */
        char *s =
            j ? json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(2)) : NULL;
        if (s)
            fprintf(out, "%s\n", s);
        free(s);
        json_decref(j);
    } else {
        print_human(out, d, ch, written_by, stack_opt != NULL);
        if (config_file)
            fprintf(out, "configuration: %s, sha256 %s, %s\n", uc.path, uc.sha256, uc.stack);
    }
    user_config_free(&uc);
    logparse_free(log);
    free(d);
    return 0;
}

int cmd_explain(int argc, char **argv)
{
    return explain_run(argc, argv, stdin, stdout, stderr);
}
