#include "stack_compare.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diagnose.h"
#include "report_model.h"
#include "stacks.h"
#include "tls_names.h"

const char *const stack_compare_classes[SC_CLASSES] = {
    SC_NEWLY_FAILING, SC_CHANGED, SC_NEWLY_PASSING, SC_ONE_STACK, SC_NOT_COMPARED, SC_UNCHANGED};

/* key "scenario|backend|board|config" -> {scenario, backend, board, config, base [], new []}:
 * the stack is the axis compared, so it is not part of the key. */
static void add_samples(json_t *groups, const json_t *results, const char *stack, const char *side)
{
    size_t i;
    const json_t *r;
    json_array_foreach(results, i, r)
    {
        if (!stack_result_of(r, stack)) {
            continue;
        }
        const char *sc = rm_str(r, "scenario", "?"), *be = rm_str(r, "backend", "?");
        const char *bo = rm_str(r, "board", ""), *co = rm_str(r, "config", "");
        char key[1024];
        snprintf(key, sizeof key, "%s|%s|%s|%s", sc, be, bo, co);
        json_t *g = json_object_get(groups, key);
        if (!g) {
            g = json_pack("{ss ss ss ss s[] s[]}", "scenario", sc, "backend", be, "board", bo,
                          "config", co, "base", "new");
            json_object_set_new(groups, key, g);
        }
        json_array_append(json_object_get(g, side), (json_t *)r);
    }
}

static bool ran(const json_t *r)
{
    return rm_is(r, "pass") || rm_is(r, "fail");
}

/* The sample whose facts a side shows: the latest (started_us) that ran, else the latest;
 * by time rather than by line, so the order of the lines does not matter. */
static const json_t *facts_sample(const json_t *g)
{
    const json_t *best = NULL, *r;
    size_t i;
    json_array_foreach(g, i, r)
    {
        bool better =
            !best || (ran(r) && !ran(best)) ||
            (ran(r) == ran(best) && rm_num(r, "started_us", 0) >= rm_num(best, "started_us", 0));
        best = better ? r : best;
    }
    return best;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of a field over the samples that ran; null when none has it. */
static json_t *median_of(const json_t *g, const char *field)
{
    size_t n = json_array_size(g), k = 0, i;
    double *v = calloc(n ? n : 1, sizeof *v);
    if (!v) {
        return json_null();
    }
    const json_t *r;
    json_array_foreach(g, i, r)
    {
        if (ran(r) && rm_has_num(r, field)) {
            v[k++] = rm_num(r, field, 0);
        }
    }
    json_t *out = json_null();
    if (k > 0) {
        qsort(v, k, sizeof *v, cmp_double);
        out = json_real(k % 2 ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2.0);
    }
    free(v);
    return out;
}

static json_t *str_or_null(const char *s)
{
    return s && s[0] ? json_string(s) : json_null();
}

/* The group: a result's own `group` when it has one, else the group the server chose
 * (server.decision.group_id), by its IANA name. */
static json_t *group_of(const json_t *r)
{
    const char *named = rm_str(r, "group", NULL);
    if (named) {
        return str_or_null(named);
    }
    const json_t *id =
        json_object_get(json_object_get(json_object_get(r, "server"), "decision"), "group_id");
    if (!json_is_integer(id) || json_integer_value(id) <= 0 || json_integer_value(id) > 0xffff) {
        return json_null();
    }
    const char *name = tls_group_name((uint16_t)json_integer_value(id));
    char hex[16];
    snprintf(hex, sizeof hex, "0x%04llx", (long long)json_integer_value(id));
    return json_string(name ? name : hex);
}

static json_t *alert_of(const json_t *r, const char *field, const char *name_field, json_t *side)
{
    const json_t *a = json_object_get(r, field);
    if (!json_is_integer(a) || json_integer_value(a) < 0 || json_integer_value(a) > 255) {
        json_object_set_new(side, name_field, json_null());
        return json_null();
    }
    const char *name = tls_alert_name((uint8_t)json_integer_value(a));
    json_object_set_new(side, name_field, str_or_null(name));
    return json_integer(json_integer_value(a));
}

/* Why a side did not run or missed its expectation, in the result's own words. */
static json_t *detail_of(const json_t *r)
{
    if (rm_is(r, "skipped")) {
        return str_or_null(rm_str(r, "skip_reason", ""));
    }
    if (rm_is(r, "infra-error")) {
        return str_or_null(rm_str(r, "infra_error", ""));
    }
    if (rm_is(r, "not-run")) {
        return str_or_null(rm_str(r, "not_run_reason", ""));
    }
    return rm_met(r) ? json_null() : str_or_null(rm_str(r, "expect_detail", ""));
}

/* One stack's side of a row; null when the stack has no result for the key. Error codes
 * are named as the result's own mbedTLS release names them: 3.0 renumbered and reused SSL
 * codes, so a number alone means different things on the two stacks. */
static json_t *side_of(const json_t *g, const char *stack)
{
    size_t n = json_array_size(g), i, n_ran = 0, n_pass = 0, n_met = 0;
    if (n == 0) {
        return json_null();
    }
    const json_t *r;
    json_array_foreach(g, i, r)
    {
        n_ran += ran(r);
        n_pass += rm_is(r, "pass");
        n_met += ran(r) && rm_met(r);
    }
    r = facts_sample(g);
    const char *outcome = n_ran == 0        ? rm_str(r, "outcome", "?")
                          : n_pass == n_ran ? "pass"
                          : n_pass == 0     ? "fail"
                                            : "mixed";
    const char *version =
        rm_str(r, "mbedtls_version", rm_str(json_object_get(r, "agent"), "mbedtls_version", NULL));
    json_t *s = json_pack("{sI ss sb}", "samples", (json_int_t)n, "outcome", outcome, "met",
                          n_ran > 0 && n_met == n_ran);
    json_object_set_new(s, "mbedtls_version", str_or_null(version));
    json_object_set_new(s, "version", str_or_null(rm_str(r, "version", NULL)));
    json_object_set_new(s, "suite", str_or_null(rm_str(r, "suite", NULL)));
    json_object_set_new(s, "group", group_of(r));
    const json_t *ret = json_object_get(r, "mbedtls_ret");
    if (json_is_integer(ret)) {
        json_object_set_new(s, "mbedtls_ret", json_integer(json_integer_value(ret)));
    } else {
        json_object_set_new(s, "mbedtls_ret", json_null());
    }
    json_t *error = json_null();
    if (json_is_integer(ret) && json_integer_value(ret) != 0) {
        char name[200];
        /* A result without the agent's version is named by its stack's release line. */
        const char *v = version ? version : strcmp(stack, STACK_DEFAULT) == 0 ? "2.28.0" : "3.6.0";
        error =
            json_string(diagnose_error_name((int)json_integer_value(ret), v, name, sizeof name));
    }
    json_object_set_new(s, "error", error);
    json_object_set_new(s, "verdict", str_or_null(rm_str(r, "verdict", NULL)));
    json_object_set_new(s, "alert_sent", alert_of(r, "alert_sent", "alert_sent_name", s));
    json_object_set_new(s, "alert_received",
                        alert_of(r, "alert_received", "alert_received_name", s));
    json_object_set_new(s, "handshake_us", median_of(g, "target_duration_us"));
    json_object_set_new(s, "heap_peak", median_of(g, "heap_peak"));
    json_object_set_new(s, "detail", detail_of(r));
    return s;
}

/* A verdict that says what went wrong (the diagnosis's cause id). */
static bool meaningful(const json_t *verdict)
{
    const char *v = json_string_value(verdict);
    return v && v[0] && strcmp(v, "undetermined") != 0;
}

/* What differs between two sides that both ran. A failure is compared by its meaning: the
 * diagnosis's verdict when both have one, else the error names (each by its release).
 * A different error code with the same verdict is no behaviour change; it is flagged. */
static json_t *changes_of(const json_t *b, const json_t *n, bool *code_differs)
{
    json_t *changes = json_array();
    static const char *const fields[] = {"outcome", "version",    "suite",
                                         "group",   "alert_sent", "alert_received"};
    bool same_outcome = json_equal(json_object_get(b, "outcome"), json_object_get(n, "outcome"));
    for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++) {
        const json_t *bf = json_object_get(b, fields[k]), *nf = json_object_get(n, fields[k]);
        /* A handshake that now fails negotiated nothing: its missing version is no news. */
        bool one_missing = json_is_null(bf) != json_is_null(nf);
        if (!json_equal(bf, nf) && (same_outcome || !one_missing)) {
            json_array_append_new(changes, json_string(fields[k]));
        }
    }
    bool both_failed = !rm_is(b, "pass") && !rm_is(n, "pass");
    const json_t *bv = json_object_get(b, "verdict"), *nv = json_object_get(n, "verdict");
    if (both_failed && meaningful(bv) && meaningful(nv)) {
        if (!json_equal(bv, nv)) {
            json_array_append_new(changes, json_string("verdict"));
        }
    } else if (both_failed &&
               !json_equal(json_object_get(b, "error"), json_object_get(n, "error"))) {
        json_array_append_new(changes, json_string("error"));
    }
    *code_differs =
        !json_equal(json_object_get(b, "error"), json_object_get(n, "error")) ||
        !json_equal(json_object_get(b, "mbedtls_ret"), json_object_get(n, "mbedtls_ret"));
    return changes;
}

static bool all_skipped(const json_t *g)
{
    size_t i;
    const json_t *r;
    json_array_foreach(g, i, r)
    {
        if (!rm_is(r, "skipped")) {
            return false;
        }
    }
    return true; /* also when the stack has no result at all */
}

static bool any_ran(const json_t *g)
{
    size_t i;
    const json_t *r;
    json_array_foreach(g, i, r)
    {
        if (ran(r)) {
            return true;
        }
    }
    return false;
}

static const char *row_class(const json_t *bg, const json_t *ng, const json_t *b, const json_t *n,
                             const json_t *changes)
{
    bool b_ran = any_ran(bg), n_ran = any_ran(ng);
    if (b_ran && n_ran) {
        if (rm_is(b, "pass") && rm_is(n, "fail")) {
            return SC_NEWLY_FAILING;
        }
        if (rm_is(b, "fail") && rm_is(n, "pass")) {
            return SC_NEWLY_PASSING;
        }
        return json_array_size(changes) ? SC_CHANGED : SC_UNCHANGED;
    }
    if ((b_ran && all_skipped(ng)) || (n_ran && all_skipped(bg))) {
        return SC_ONE_STACK;
    }
    return SC_NOT_COMPARED;
}

/* The regression rule of `tlsrig compare`, across stacks: a key whose expectation is not
 * met on the new stack, where the base stack met it, did not run it or skipped it. A
 * change the scenario expects on the new stack (expect_stacks) meets its expectation. */
static void judge(json_t *row, const json_t *bg, const json_t *ng, const char *base_stack,
                  const char *new_stack, size_t *regressions)
{
    rm_state_t bs = rm_group_state(bg), ns = rm_group_state(ng);
    bool regression = ns == RM_UNMET && bs != RM_UNMET;
    json_t *why = json_null();
    if (regression) {
        const json_t *n = json_object_get(row, "new");
        const char *detail = rm_str(n, "detail", "");
        char text[1024];
        snprintf(text, sizeof text, "%s on %s, not as expected on %s%s%s",
                 bs == RM_MET          ? "as expected"
                 : bs == RM_INFRA      ? "an infrastructure error"
                 : json_array_size(bg) ? "skipped"
                                       : "not run",
                 base_stack, new_stack, detail[0] ? ": " : "", detail);
        why = json_string(text);
        (*regressions)++;
    }
    json_object_set_new(row, "regression", json_boolean(regression));
    json_object_set_new(row, "regression_why", why);
    const char *known = NULL;
    size_t i;
    const json_t *r;
    json_array_foreach(ng, i, r)
    {
        known = rm_str(r, "expect_stack_why", known);
    }
    json_object_set_new(row, "known_why", str_or_null(known));
}

static int cmp_key(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* An object's values in the order of its keys: output that does not depend on input order. */
static json_t *sorted_values(const json_t *obj)
{
    size_t n = json_object_size(obj), k = 0;
    const char **keys = calloc(n ? n : 1, sizeof *keys);
    json_t *out = json_array();
    const char *key;
    json_t *v;
    if (!keys) {
        return out;
    }
    json_object_foreach((json_t *)obj, key, v)
    {
        keys[k++] = key;
    }
    qsort(keys, k, sizeof *keys, cmp_key);
    for (size_t i = 0; i < k; i++) {
        json_array_append(out, json_object_get(obj, keys[i]));
    }
    free(keys);
    return out;
}

/* The results of one stack (borrowed into a new array). */
static json_t *subset(const json_t *results, const char *stack)
{
    json_t *out = json_array();
    size_t i;
    const json_t *r;
    json_array_foreach(results, i, r)
    {
        if (stack_result_of(r, stack)) {
            json_array_append(out, (json_t *)r);
        }
    }
    return out;
}

/* hw/sw parity within each stack: a pair that matched on the base stack and does not on
 * the new one is a regression, as in `tlsrig compare`. Listed by scenario, board, config. */
static json_t *parity_changes(const json_t *base, const json_t *cur, size_t *regressions)
{
    json_t *bp = rm_parity_rows(base), *np = rm_parity_rows(cur), *by_key = json_object();
    size_t i, j;
    const json_t *b, *n;
    json_array_foreach(np, i, n)
    {
        json_array_foreach(bp, j, b)
        {
            if (strcmp(rm_str(b, "scenario", ""), rm_str(n, "scenario", "")) != 0 ||
                strcmp(rm_str(b, "board", ""), rm_str(n, "board", "")) != 0 ||
                strcmp(rm_str(b, "config", ""), rm_str(n, "config", "")) != 0) {
                continue;
            }
            bool bm = json_is_true(json_object_get(b, "match"));
            bool nm = json_is_true(json_object_get(n, "match"));
            if (bm != nm) {
                char key[1024];
                snprintf(key, sizeof key, "%s|%s|%s", rm_str(n, "scenario", ""),
                         rm_str(n, "board", ""), rm_str(n, "config", ""));
                *regressions += bm && !nm;
                json_object_set_new(
                    by_key, key,
                    json_pack("{ss ss ss sb sb ss}", "scenario", rm_str(n, "scenario", ""), "board",
                              rm_str(n, "board", ""), "config", rm_str(n, "config", ""),
                              "base_match", bm, "new_match", nm, "reason",
                              rm_str(nm ? b : n, "reason", "")));
            }
            break;
        }
    }
    json_t *out = sorted_values(by_key);
    json_decref(by_key);
    json_decref(bp);
    json_decref(np);
    return out;
}

static void heap_max(json_t *acc, const char *side, const json_t *s)
{
    const json_t *h = json_object_get(s, "heap_peak");
    const json_t *cur = json_object_get(acc, side);
    if (json_is_number(h) &&
        (!json_is_number(cur) || json_number_value(h) > json_number_value(cur))) {
        json_object_set_new(acc, side, json_real(json_number_value(h)));
    }
}

json_t *stack_compare(const json_t *base_results, const char *base_stack, const json_t *new_results,
                      const char *new_stack)
{
    json_t *groups = json_object();
    add_samples(groups, base_results, base_stack, "base");
    add_samples(groups, new_results, new_stack, "new");
    size_t n_keys = json_object_size(groups), k = 0, regressions = 0;
    const char **keys = calloc(n_keys ? n_keys : 1, sizeof *keys);
    json_t *rows = json_array(), *counts = json_object();
    json_t *heap = json_pack("{snsn}", "base", "new");
    for (size_t c = 0; c < SC_CLASSES; c++) {
        json_object_set_new(counts, stack_compare_classes[c], json_integer(0));
    }
    const char *key;
    json_t *g;
    json_object_foreach(groups, key, g)
    {
        if (keys) {
            keys[k++] = key;
        }
    }
    qsort(keys, k, sizeof *keys, cmp_key); /* rows in key order: the output is deterministic */
    for (size_t i = 0; i < k; i++) {
        g = json_object_get(groups, keys[i]);
        const json_t *bg = json_object_get(g, "base"), *ng = json_object_get(g, "new");
        json_t *b = side_of(bg, base_stack), *n = side_of(ng, new_stack);
        bool code_differs = false;
        json_t *changes =
            json_is_object(b) && json_is_object(n) ? changes_of(b, n, &code_differs) : json_array();
        const char *cls = row_class(bg, ng, b, n, changes);
        if (strcmp(cls, SC_UNCHANGED) == 0 || strcmp(cls, SC_CHANGED) == 0 ||
            strcmp(cls, SC_NEWLY_FAILING) == 0 || strcmp(cls, SC_NEWLY_PASSING) == 0) {
            heap_max(heap, "base", b);
            heap_max(heap, "new", n);
        }
        json_t *row = json_pack("{ss sO sO sO sO ss so sb so so}", "key", keys[i], "scenario",
                                json_object_get(g, "scenario"), "backend",
                                json_object_get(g, "backend"), "board", json_object_get(g, "board"),
                                "config", json_object_get(g, "config"), "class", cls, "changes",
                                changes, "error_code_differs", code_differs, "base", b, "new", n);
        judge(row, bg, ng, base_stack, new_stack, &regressions);
        json_t *count = json_object_get(counts, cls);
        json_integer_set(count, json_integer_value(count) + 1);
        json_array_append_new(rows, row);
    }
    free(keys);
    json_t *bs = subset(base_results, base_stack), *ns = subset(new_results, new_stack);
    json_t *parity = parity_changes(bs, ns, &regressions);
    json_t *out =
        json_pack("{ss ss so so sb sI so so so so}", "base_stack", base_stack, "new_stack",
                  new_stack, "base_versions", rm_distinct(bs, "mbedtls_version"), "new_versions",
                  rm_distinct(ns, "mbedtls_version"), "regression", regressions > 0, "regressions",
                  (json_int_t)regressions, "counts", counts, "heap_peak_max", heap,
                  "parity_changes", parity, "rows", rows);
    json_decref(bs);
    json_decref(ns);
    json_decref(groups);
    return out;
}
