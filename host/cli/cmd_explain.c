/* `tlsrig explain`: read a log (file or stdin), parse it, diagnose it, print the verdict for
 * a human or as JSON. Client side only: no server view, no agent result. */
#include "cmd_explain.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "diagnose.h"
#include "logparse.h"

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
    fprintf(err, "usage: tlsrig explain LOGFILE|- [--json]\n");
}

/* A TLS debug log has lines the parser recognises as mbedTLS output; a text
 * match alone (a note such as "timed out") does not make a file a log. */
static bool holds_tls_lines(const logparse_result_t *log)
{
    for (size_t i = 0; i < logparse_event_count(log); i++) {
        if (logparse_event_at(log, i)->type != LP_EV_NOTE)
            return true;
    }
    return false;
}

static void print_human(FILE *out, const diagnosis_t *d, const logparse_clienthello_t *ch)
{
    fprintf(out, "verdict: %s (confidence %.2f)\n\n", d->verdict, d->confidence);
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
    /* The ranking stays useful when a verdict is named: the next causes to check. */
    if (d->n_candidates > 1 || (strcmp(d->verdict, "undetermined") == 0 && d->n_candidates > 0)) {
        fprintf(out, "\ncandidates:\n");
        for (size_t i = 0; i < d->n_candidates; i++)
            fprintf(out, "  %.2f  %s\n", d->candidates[i].confidence, d->candidates[i].id);
    }
}

int explain_run(int argc, char **argv, FILE *in, FILE *out, FILE *err)
{
    const char *path = NULL;
    bool json = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            json = true;
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
    logparse_result_t *log = logparse_text(text, len);
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
                "explain: %s holds no mbedTLS debug lines: nothing to diagnose (capture the "
                "client's log with mbedtls_debug_set_threshold(3) and a debug callback)\n",
                path);
        logparse_free(log);
        free(d);
        return 2;
    }
    diagnose_input_t di = {.log = log, .agent_alert_received = -1, .agent_alert_sent = -1};
    diagnose(&di, d);
    const logparse_clienthello_t *ch = logparse_clienthello(log);
    if (json) {
        json_t *j = diagnosis_to_json(d);
        if (j && ch && ch->present)
            json_object_set_new(j, "clienthello", logparse_clienthello_to_json(ch));
        if (j && logparse_version(log))
            json_object_set_new(j, "mbedtls_version", json_string(logparse_version(log)));
        /* Confidences are the only reals: two significant digits = two decimals. */
        char *s =
            j ? json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(2)) : NULL;
        if (s)
            fprintf(out, "%s\n", s);
        free(s);
        json_decref(j);
    } else {
        print_human(out, d, ch);
    }
    logparse_free(log);
    free(d);
    return 0;
}

int cmd_explain(int argc, char **argv)
{
    return explain_run(argc, argv, stdin, stdout, stderr);
}
