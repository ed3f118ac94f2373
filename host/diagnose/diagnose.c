/* Runs the rule families, ranks the candidates and writes verdict, explanation, evidence, fix.
 * A verdict is named only when its candidate is strong and clearly ahead; otherwise the result
 * is "undetermined" with the ranking and what would decide. */
#include "diagnose_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VERDICT_MIN 0.6
#define VERDICT_MARGIN 0.15

const char *dg_ev(const logparse_event_t *e, char *buf, size_t cap)
{
    if (!e)
        snprintf(buf, cap, "client log: (no line)");
    else
        snprintf(buf, cap, "client log line %zu: %.200s", e->line, e->text ? e->text : "");
    return buf;
}

void dg_add(dg_cands_t *c, const char *id, double score, const char *fmt, ...)
{
    dg_cand_t *cand = NULL;
    for (size_t i = 0; i < c->n; i++) {
        if (strcmp(c->c[i].id, id) == 0)
            cand = &c->c[i];
    }
    if (!cand) {
        if (c->n == sizeof c->c / sizeof c->c[0])
            return;
        cand = &c->c[c->n++];
        memset(cand, 0, sizeof *cand);
        cand->id = id;
    }
    if (score > cand->score)
        cand->score = score;
    if (!fmt || cand->n_ev == sizeof cand->ev / sizeof cand->ev[0])
        return;
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    for (size_t i = 0; i < cand->n_ev; i++) {
        if (strcmp(cand->ev[i], line) == 0)
            return;
    }
    memcpy(cand->ev[cand->n_ev++], line, sizeof line);
}

void dg_cap(dg_cands_t *c, const char *id, double score)
{
    for (size_t i = 0; i < c->n; i++) {
        if (strcmp(c->c[i].id, id) == 0 && c->c[i].score > score)
            c->c[i].score = score;
    }
}

static int by_score(const void *a, const void *b)
{
    const dg_cand_t *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return strcmp(x->id, y->id); /* stable, deterministic order */
}

static void add_evidence(diagnosis_t *out, const char *s)
{
    for (size_t i = 0; i < out->n_evidence; i++) {
        if (strcmp(out->evidence[i], s) == 0)
            return;
    }
    if (out->n_evidence < DIAG_MAX_EVIDENCE)
        snprintf(out->evidence[out->n_evidence++], sizeof out->evidence[0], "%s", s);
}

static void hello_summary(const dg_facts_t *f, diagnosis_t *out)
{
    if (!f->hello_detail && !f->suites_known)
        return;
    char s[256];
    int n = snprintf(s, sizeof s, "client log ClientHello: ");
    if (f->suites_known)
        n += snprintf(s + n, sizeof s - (size_t)n, "%d suite%s%s; ", f->n_suites,
                      f->n_suites == 1 ? "" : "s", f->ecc_suites ? " (ECDHE among them)" : "");
    if (f->hello_detail && n > 0 && (size_t)n < sizeof s)
        n += snprintf(s + n, sizeof s - (size_t)n, "supported_groups %s; server_name %.120s",
                      f->groups_ext ? "present" : "MISSING", f->sni_sent ? f->sni : "MISSING");
    add_evidence(out, s);
}

/* issue 18 wolfdiag: evidence names its source truthfully: the rules' "client log ..." lines
 * of a wolfSSL log become "wolfSSL client log ...". Only the rules' own prefix is rewritten. */
static void name_wolfssl_log(diagnosis_t *out)
{
    static const char from[] = "client log";
    for (size_t i = 0; i < out->n_evidence; i++) {
        char *e = out->evidence[i];
        if (strncmp(e, from, sizeof from - 1) != 0)
            continue;
        char tmp[sizeof out->evidence[0]];
        snprintf(tmp, sizeof tmp, "wolfSSL %.240s", e);
        memcpy(e, tmp, sizeof tmp);
    }
}

static void what_would_decide(const diagnose_input_t *in, const dg_facts_t *f, char *buf,
                              size_t cap)
{
    size_t n = 0;
    buf[0] = '\0';
    if (!f->have_log)
        n += (size_t)snprintf(buf + n, cap - n, " a client debug log;");
    else if (f->wolfssl && !f->hello_detail && n < cap)
        n += (size_t)snprintf(buf + n, cap - n,
                              " the whole wolfSSL log from wolfSSL_connect() on (DEBUG_WOLFSSL, "
                              "wolfSSL_Debugging_ON()) to see the extensions it writes;");
    else if (!f->wolfssl && f->max_level < 3 && n < cap)
        n += (size_t)snprintf(buf + n, cap - n,
                              " the client log at debug level 3 (mbedtls_debug_set_threshold(3)) "
                              "to see the offered suites, extensions and certificates;");
    bool verify_failed = false;
    for (size_t i = 0; i < f->n_codes && !f->wolfssl; i++)
        verify_failed |= f->codes[i] == -0x2700;
    /* A verification failure is the client's own decision: the flags name the check. */
    if (verify_failed && !f->flags && n < cap)
        n += (size_t)snprintf(buf + n, cap - n,
                              " the verification flags (mbedtls_ssl_get_verify_result(), or "
                              "the whole log up to the alert the client sends);");
    if (!in->server && !(verify_failed && !f->flags) && n < cap)
        snprintf(buf + n, cap - n,
                 " the server's side (tlsrig serve --capture DIR, or a pcap) to see what it "
                 "refused;");
}

int diagnose(const diagnose_input_t *in, diagnosis_t *out)
{
    if (!in || !out)
        return -1;
    memset(out, 0, sizeof *out);
    dg_facts_t *f = malloc(sizeof *f);
    dg_cands_t *c = calloc(1, sizeof *c);
    if (!f || !c) {
        free(f);
        free(c);
        return -1;
    }
    dg_collect_facts(in, f);
    const char *stack = f->wolfssl ? "wolfssl" : NULL;
    dg_rules_client(in, f, c);
    dg_rules_server(in, f, c);
    dg_rules_tls13(in, f, c);
    dg_rules_agent(in, f, c, out->primitive, sizeof out->primitive);
    dg_rules_config(in, c);
    qsort(c->c, c->n, sizeof c->c[0], by_score);

    for (size_t i = 0; i < c->n && out->n_candidates < DIAG_MAX_CANDIDATES; i++) {
        if (c->c[i].score < 0.1)
            continue;
        out->candidates[out->n_candidates].id = c->c[i].id;
        out->candidates[out->n_candidates++].confidence = c->c[i].score;
    }
    const dg_cand_t *top = c->n ? &c->c[0] : NULL;
    double second = c->n > 1 ? c->c[1].score : 0.0;
    bool decided = top && top->score >= VERDICT_MIN && top->score - second >= VERDICT_MARGIN;
    char ev[256];
    if (decided) {
        out->verdict = top->id;
        out->confidence = top->score;
        int n = snprintf(out->explanation, sizeof out->explanation, "%s",
                         diagnose_verdict_meaning_for(top->id, stack));
        if (out->primitive[0] && n > 0 && (size_t)n < sizeof out->explanation)
            snprintf(out->explanation + n, sizeof out->explanation - (size_t)n,
                     " Primitive in question: %s.", out->primitive);
        snprintf(out->fix, sizeof out->fix, "%s", diagnose_verdict_fix_for(top->id, stack));
        for (size_t i = 0; i < top->n_ev; i++)
            add_evidence(out, top->ev[i]);
    } else {
        out->verdict = "undetermined";
        out->confidence = top ? top->score : 0.0;
        char decide[600];
        what_would_decide(in, f, decide, sizeof decide);
        size_t n = (size_t)snprintf(out->explanation, sizeof out->explanation,
                                    "The evidence cannot decide the cause.");
        if (out->n_candidates > 0 && n < sizeof out->explanation) {
            n += (size_t)snprintf(out->explanation + n, sizeof out->explanation - n,
                                  " Most likely:");
            for (size_t i = 0; i < out->n_candidates && i < 3 && n < sizeof out->explanation; i++)
                n += (size_t)snprintf(out->explanation + n, sizeof out->explanation - n,
                                      "%s %s (%.2f)", i ? "," : "", out->candidates[i].id,
                                      out->candidates[i].confidence);
            if (n < sizeof out->explanation)
                n += (size_t)snprintf(out->explanation + n, sizeof out->explanation - n, ".");
        }
        if (decide[0] && n < sizeof out->explanation)
            snprintf(out->explanation + n, sizeof out->explanation - n, " What would decide:%s",
                     decide);
        if (top && top->score >= 0.1)
            snprintf(out->fix, sizeof out->fix, "If it is %s: %s", top->id,
                     diagnose_verdict_fix_for(top->id, stack));
        else
            snprintf(out->fix, sizeof out->fix, "%s", diagnose_verdict_fix("undetermined"));
        for (size_t k = 0; k < c->n && k < 3; k++) {
            for (size_t i = 0; i < c->c[k].n_ev; i++)
                add_evidence(out, c->c[k].ev[i]);
        }
    }
    if (in->config)
        dg_config_check(in, out, decided ? top->id : (top && top->score >= 0.1 ? top->id : NULL),
                        decided);
    if (f->final_ev && strcmp(out->verdict, "handshake-ok") != 0)
        add_evidence(out, dg_ev(f->final_ev, ev, sizeof ev));
    if (strcmp(out->verdict, "handshake-ok") != 0)
        hello_summary(f, out);
    if (f->wolfssl)
        name_wolfssl_log(out);
    free(f);
    free(c);
    return 0;
}

double diagnose_round2(double x)
{
    return (double)(long long)(x * 100.0 + (x >= 0 ? 0.5 : -0.5)) / 100.0;
}

json_t *diagnosis_to_json(const diagnosis_t *d)
{
    if (!d)
        return json_null();
    json_t *o = json_object();
    json_t *cands = json_array();
    json_t *evs = json_array();
    if (!o || !cands || !evs) {
        json_decref(o);
        json_decref(cands);
        json_decref(evs);
        return NULL;
    }
    json_object_set_new(o, "verdict", json_string(d->verdict ? d->verdict : "undetermined"));
    json_object_set_new(o, "confidence", json_real(diagnose_round2(d->confidence)));
    for (size_t i = 0; i < d->n_candidates; i++) {
        json_t *c = json_object();
        json_object_set_new(c, "id", json_string(d->candidates[i].id));
        json_object_set_new(c, "confidence",
                            json_real(diagnose_round2(d->candidates[i].confidence)));
        json_array_append_new(cands, c);
    }
    json_object_set_new(o, "candidates", cands);
    json_object_set_new(o, "explanation", json_string(d->explanation));
    for (size_t i = 0; i < d->n_evidence; i++)
        json_array_append_new(evs, json_string(d->evidence[i]));
    json_object_set_new(o, "evidence", evs);
    json_object_set_new(o, "fix", json_string(d->fix));
    if (d->primitive[0])
        json_object_set_new(o, "primitive", json_string(d->primitive));
    if (d->config_checked) {
        json_t *checks = json_array();
        for (size_t i = 0; i < d->n_config_checks; i++) {
            const diagnosis_config_check_t *k = &d->config_checks[i];
            json_array_append_new(checks, json_pack("{ss ss ss sb}", "macro", k->macro, "wanted",
                                                    k->wanted, "found", k->found, "met", k->met));
        }
        json_object_set_new(o, "config_check", checks);
        json_object_set_new(o, "config_fix_applies", json_boolean(d->config_fix_applies));
    }
    return o;
}
