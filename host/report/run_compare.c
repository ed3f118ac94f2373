#include "run_compare.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "report_model.h"
#include "results_log.h"

void compare_opts_default(compare_opts_t *o)
{
    o->time_ratio = 1.25;
    o->time_min_us = 2000.0;
    o->min_samples = 3;
}

/* key -> array of results (repeats of one scenario on one backend/board). */
static json_t *group_by_key(const json_t *results)
{
    json_t *groups = json_object();
    size_t i;
    const json_t *r;
    json_array_foreach(results, i, r)
    {
        char key[512];
        rm_key(r, key, sizeof key);
        json_t *g = json_object_get(groups, key);
        if (!g) {
            g = json_array();
            json_object_set_new(groups, key, g);
        }
        json_array_append(g, (json_t *)r);
    }
    return groups;
}

/* Every sample met its expectation; infra errors and skips are not failures. */
typedef enum group_state { G_MET, G_UNMET, G_INFRA, G_SKIPPED } group_state_t;

static group_state_t group_state(const json_t *g)
{
    size_t i, infra = 0, skipped = 0;
    const json_t *r;
    json_array_foreach(g, i, r)
    {
        if (rm_is(r, "infra-error")) {
            infra++;
        } else if (rm_is(r, "skipped")) {
            skipped++;
        } else if (!rm_met(r)) {
            return G_UNMET;
        }
    }
    size_t n = json_array_size(g);
    return infra == n ? G_INFRA : skipped + infra == n ? G_SKIPPED : G_MET;
}

/* Metrics, as (name, value) pairs appended to out: deterministic counters
 * into counters, times in microseconds into times. */
static void add_metric(json_t *to, const char *name, double v)
{
    json_t *a = json_object_get(to, name);
    if (!a) {
        a = json_array();
        json_object_set_new(to, name, a);
    }
    json_array_append_new(a, json_real(v));
}

static void collect(const json_t *g, json_t *counters, json_t *times)
{
    static const char *const counter_fields[] = {"handshake_steps", "bytes_in", "bytes_out",
                                                 "heap_peak", "instructions"};
    size_t i;
    const json_t *r;
    json_array_foreach(g, i, r)
    {
        if (!rm_is(r, "pass") && !rm_is(r, "fail")) {
            continue; /* infra errors and skips measure nothing */
        }
        for (size_t c = 0; c < sizeof counter_fields / sizeof counter_fields[0]; c++) {
            if (rm_has_num(r, counter_fields[c])) {
                add_metric(counters, counter_fields[c], rm_num(r, counter_fields[c], 0));
            }
        }
        if (rm_has_num(r, "duration_ms")) {
            add_metric(times, "duration_us", rm_num(r, "duration_ms", 0) * 1000.0);
        }
        if (rm_has_num(r, "target_duration_us")) {
            add_metric(times, "target_duration_us", rm_num(r, "target_duration_us", 0));
        }
        const char *name;
        const json_t *v;
        json_object_foreach((json_t *)json_object_get(r, "state_us"), name, v)
        {
            char m[160];
            snprintf(m, sizeof m, "state_us.%s", name);
            if (json_is_number(v)) {
                add_metric(times, m, json_number_value(v));
            }
        }
        json_object_foreach((json_t *)json_object_get(r, "primitives"), name, v)
        {
            char m[160];
            if (rm_has_num(v, "ops")) {
                snprintf(m, sizeof m, "primitives.%s.ops", name);
                add_metric(counters, m, rm_num(v, "ops", 0));
            }
            if (rm_has_num(v, "bytes")) {
                snprintf(m, sizeof m, "primitives.%s.bytes", name);
                add_metric(counters, m, rm_num(v, "bytes", 0));
            }
            if (rm_has_num(v, "ns")) {
                snprintf(m, sizeof m, "primitives.%s.us", name);
                add_metric(times, m, rm_num(v, "ns", 0) / 1000.0);
            }
        }
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(const json_t *samples)
{
    size_t n = json_array_size(samples);
    double *v = calloc(n ? n : 1, sizeof *v);
    for (size_t i = 0; i < n; i++) {
        v[i] = json_number_value(json_array_get(samples, i));
    }
    qsort(v, n, sizeof *v, cmp_double);
    double m = n == 0 ? 0 : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
    free(v);
    return m;
}

/* A counter is deterministic only when all samples of a side agree. */
static bool constant(const json_t *samples, double *value)
{
    size_t n = json_array_size(samples);
    if (n == 0) {
        return false;
    }
    *value = json_number_value(json_array_get(samples, 0));
    for (size_t i = 1; i < n; i++) {
        if (json_number_value(json_array_get(samples, i)) != *value) {
            return false;
        }
    }
    return true;
}

static void compare_counters(json_t *out, const char *key, const json_t *bc, const json_t *nc,
                             size_t *regressions)
{
    const char *name;
    const json_t *bs;
    json_object_foreach((json_t *)bc, name, bs)
    {
        const json_t *ns = json_object_get(nc, name);
        double b, n;
        if (!ns || !constant(bs, &b) || !constant(ns, &n) || b == n) {
            continue;
        }
        /* More steps, bytes or heap for the same scenario is a regression;
         * less is reported as a change. */
        bool worse = n > b;
        *regressions += worse;
        json_array_append_new(out, json_pack("{ss ss sf sf sb}", "key", key, "metric", name, "base",
                                             b, "new", n, "regression", worse));
    }
}

static void compare_times(json_t *out, const char *key, const json_t *bt, const json_t *nt,
                          const compare_opts_t *o, size_t *regressions, size_t *skipped)
{
    const char *name;
    const json_t *bs;
    json_object_foreach((json_t *)bt, name, bs)
    {
        const json_t *ns = json_object_get(nt, name);
        if (!ns) {
            continue;
        }
        size_t nb = json_array_size(bs), nn = json_array_size(ns);
        if (nb < o->min_samples || nn < o->min_samples) {
            (*skipped)++;
            continue;
        }
        double b = median(bs), n = median(ns);
        double hi = fmax(b, n), lo = fmin(b, n);
        if (hi - lo < o->time_min_us || (lo > 0 && hi / lo < o->time_ratio)) {
            continue; /* within noise */
        }
        bool worse = n > b;
        *regressions += worse;
        json_array_append_new(out, json_pack("{ss ss sf sf sf sI sI sb}", "key", key, "metric",
                                             name, "base_median", b, "new_median", n, "ratio",
                                             b > 0 ? n / b : 0.0, "base_samples", (json_int_t)nb,
                                             "new_samples", (json_int_t)nn, "regression", worse));
    }
}

static void compare_parity(json_t *out, const json_t *base, const json_t *cur, size_t *regressions)
{
    json_t *bp = rm_parity_rows(base), *np = rm_parity_rows(cur);
    size_t i, j;
    const json_t *b, *n;
    json_array_foreach(np, i, n)
    {
        json_array_foreach(bp, j, b)
        {
            if (strcmp(rm_str(b, "scenario", ""), rm_str(n, "scenario", "")) != 0 ||
                strcmp(rm_str(b, "board", ""), rm_str(n, "board", "")) != 0) {
                continue;
            }
            bool bm = json_is_true(json_object_get(b, "match"));
            bool nm = json_is_true(json_object_get(n, "match"));
            if (bm != nm) {
                *regressions += bm && !nm;
                json_array_append_new(
                    out, json_pack("{ss ss sb sb ss}", "scenario", rm_str(n, "scenario", ""),
                                   "board", rm_str(n, "board", ""), "base_match", bm, "new_match",
                                   nm, "reason", rm_str(nm ? b : n, "reason", "")));
            }
            break;
        }
    }
    json_decref(bp);
    json_decref(np);
}

static json_t *detail(const char *key, const json_t *g)
{
    const json_t *r = json_array_get(g, json_array_size(g) - 1);
    const char *verdict = rm_str(r, "verdict", "");
    return json_pack("{ss ss ss ss}", "key", key, "outcome", rm_str(r, "outcome", "?"), "verdict",
                     verdict, "detail",
                     rm_is(r, "infra-error") ? rm_str(r, "infra_error", "")
                                             : rm_str(r, "expect_detail", ""));
}

json_t *compare_results(const json_t *base, const json_t *cur, const compare_opts_t *o)
{
    json_t *bg = group_by_key(base), *ng = group_by_key(cur);
    json_t *new_failures = json_array(), *fixed = json_array(), *still = json_array();
    json_t *infra = json_array(), *missing = json_array(), *added = json_array();
    json_t *parity = json_array(), *counters = json_array(), *timing = json_array();
    size_t regressions = 0, timing_skipped = 0;
    const char *key;
    json_t *n;
    json_object_foreach(ng, key, n)
    {
        const json_t *b = json_object_get(bg, key);
        group_state_t ns = group_state(n);
        group_state_t bs = b ? group_state(b) : G_SKIPPED;
        if (!b) {
            json_array_append_new(added, json_string(key));
        }
        if (ns == G_UNMET && bs != G_UNMET) {
            json_array_append_new(new_failures, detail(key, n));
            regressions++;
        } else if (ns == G_UNMET) {
            json_array_append_new(still, detail(key, n));
        } else if (ns == G_MET && bs == G_UNMET) {
            json_array_append_new(fixed, json_string(key));
        } else if (ns == G_INFRA) {
            json_array_append_new(infra, detail(key, n));
        }
        if (b) {
            json_t *bc = json_object(), *bt = json_object(), *nc = json_object(),
                   *nt = json_object();
            collect(b, bc, bt);
            collect(n, nc, nt);
            compare_counters(counters, key, bc, nc, &regressions);
            compare_times(timing, key, bt, nt, o, &regressions, &timing_skipped);
            json_decref(bc);
            json_decref(bt);
            json_decref(nc);
            json_decref(nt);
        }
    }
    json_object_foreach(bg, key, n)
    {
        if (!json_object_get(ng, key)) {
            json_array_append_new(missing, json_string(key));
        }
    }
    compare_parity(parity, base, cur, &regressions);
    json_decref(bg);
    json_decref(ng);
    return json_pack("{sb sI so so so so so so so so so sI s{sf sf sI}}", "regression",
                     regressions > 0, "regressions", (json_int_t)regressions, "new_failures",
                     new_failures, "fixed", fixed, "still_failing", still, "infra_errors", infra,
                     "missing", missing, "added", added, "parity_changes", parity, "counters",
                     counters, "timing", timing, "timing_skipped", (json_int_t)timing_skipped,
                     "thresholds", "time_ratio", o->time_ratio, "time_min_us", o->time_min_us,
                     "min_samples", (json_int_t)o->min_samples);
}

json_t *compare_dirs(const char *base_dir, const char *new_dir, const compare_opts_t *o, char *err,
                     size_t errlen)
{
    size_t skipped;
    json_t *base = results_log_read(base_dir, &skipped, err, errlen);
    if (!base) {
        return NULL;
    }
    json_t *cur = results_log_read(new_dir, &skipped, err, errlen);
    if (!cur) {
        json_decref(base);
        return NULL;
    }
    json_t *cmp = compare_results(base, cur, o);
    json_decref(base);
    json_decref(cur);
    return cmp;
}

static void print_list(FILE *out, const json_t *cmp, const char *field, const char *title)
{
    const json_t *a = json_object_get(cmp, field);
    if (json_array_size(a) == 0) {
        return;
    }
    fprintf(out, "%s (%zu):\n", title, json_array_size(a));
    size_t i;
    const json_t *v;
    json_array_foreach(a, i, v)
    {
        if (json_is_string(v)) {
            fprintf(out, "  %s\n", json_string_value(v));
            continue;
        }
        const char *verdict = rm_str(v, "verdict", "");
        const char *d = rm_str(v, "detail", "");
        fprintf(out, "  %s: %s%s%s%s%s\n", rm_str(v, "key", "?"), rm_str(v, "outcome", "?"),
                verdict[0] ? ", verdict " : "", verdict, d[0] ? " - " : "", d);
    }
}

void compare_print(FILE *out, const json_t *cmp)
{
    print_list(out, cmp, "new_failures", "NEW FAILURES");
    print_list(out, cmp, "fixed", "fixed");
    print_list(out, cmp, "still_failing", "still failing");
    print_list(out, cmp, "infra_errors", "infrastructure errors (not compared)");
    print_list(out, cmp, "missing", "missing from the new run");
    print_list(out, cmp, "added", "new in this run");
    size_t i;
    const json_t *v;
    json_array_foreach(json_object_get(cmp, "parity_changes"), i, v)
    {
        bool nm = json_is_true(json_object_get(v, "new_match"));
        fprintf(out, "%s %s (%s)%s%s\n",
                nm ? "hw/sw parity restored:" : "PARITY LOST:", rm_str(v, "scenario", "?"),
                rm_str(v, "board", ""), nm ? "" : " - ", nm ? "" : rm_str(v, "reason", ""));
    }
    json_array_foreach(json_object_get(cmp, "counters"), i, v)
    {
        fprintf(out, "%s %s %s: %.0f -> %.0f\n",
                json_is_true(json_object_get(v, "regression")) ? "COUNTER UP" : "counter down",
                rm_str(v, "key", "?"), rm_str(v, "metric", "?"), rm_num(v, "base", 0),
                rm_num(v, "new", 0));
    }
    json_array_foreach(json_object_get(cmp, "timing"), i, v)
    {
        fprintf(out, "%s %s %s: median %.0f us -> %.0f us (x%.2f, %.0f/%.0f samples)\n",
                json_is_true(json_object_get(v, "regression")) ? "SLOWER" : "faster",
                rm_str(v, "key", "?"), rm_str(v, "metric", "?"), rm_num(v, "base_median", 0),
                rm_num(v, "new_median", 0), rm_num(v, "ratio", 0), rm_num(v, "base_samples", 0),
                rm_num(v, "new_samples", 0));
    }
    double skipped = rm_num(cmp, "timing_skipped", 0);
    if (skipped > 0) {
        fprintf(out,
                "%.0f timing metric(s) not compared: fewer than %.0f samples a side "
                "(use --repeat)\n",
                skipped, rm_num(json_object_get(cmp, "thresholds"), "min_samples", 0));
    }
    size_t reg = (size_t)rm_num(cmp, "regressions", 0);
    if (reg) {
        fprintf(out, "REGRESSION: %zu regression(s) against the baseline\n", reg);
    } else {
        fprintf(out, "no regression against the baseline\n");
    }
}
