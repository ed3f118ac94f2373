#include "run_compare.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "report_model.h"
#include "results_log.h"
#include "stack_compare.h"
#include "stacks.h"

void compare_opts_default(compare_opts_t *o)
{
    o->time_ratio = 1.25;
    o->time_min_us = 2000.0;
    o->min_samples = 3;
    o->size_tolerance = 0.02;
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
        /* A run has one self-test per image (config profile): samples of one
         * key must be repeats of one thing, so the config joins its key. */
        const char *config = rm_str(r, "config", "");
        if (strcmp(rm_str(r, "kind", ""), "selftest") == 0 && config[0]) {
            size_t used = strlen(key);
            snprintf(key + used, sizeof key - used, "|%s", config);
        }
        json_t *g = json_object_get(groups, key);
        if (!g) {
            g = json_array();
            json_object_set_new(groups, key, g);
        }
        json_array_append(g, (json_t *)r);
    }
    return groups;
}

/* The measurements of one side (baseline or new) of one result key. */
typedef struct side {
    json_t *counters; /* metric -> [values]: deterministic when seeded */
    json_t *times;    /* metric -> [microseconds]: always noisy */
    const char *seed; /* the TEST ONLY seed every measured sample shares, or NULL */
    bool mixed_seed;  /* some samples unseeded or seeded differently */
} side_t;

static void add_metric(json_t *to, const char *name, double v)
{
    json_t *a = json_object_get(to, name);
    if (!a) {
        a = json_array();
        json_object_set_new(to, name, a);
    }
    json_array_append_new(a, json_real(v));
}

static void note_seed(side_t *s, const json_t *r)
{
    const char *seed = rm_str(r, "test_seed", "");
    if (!seed[0] || (s->seed && strcmp(s->seed, seed) != 0)) {
        s->mixed_seed = true;
    } else {
        s->seed = seed;
    }
}

static void collect(const json_t *g, side_t *s)
{
    static const char *const counter_fields[] = {"handshake_steps", "bytes_in",   "bytes_out",
                                                 "heap_peak",       "stack_peak", "instructions"};
    s->counters = json_object();
    s->times = json_object();
    s->seed = NULL;
    s->mixed_seed = false;
    size_t i;
    const json_t *r;
    json_array_foreach(g, i, r)
    {
        if (!rm_is(r, "pass") && !rm_is(r, "fail")) {
            continue; /* infra errors and skips measure nothing */
        }
        note_seed(s, r);
        for (size_t c = 0; c < sizeof counter_fields / sizeof counter_fields[0]; c++) {
            if (rm_has_num(r, counter_fields[c])) {
                add_metric(s->counters, counter_fields[c], rm_num(r, counter_fields[c], 0));
            }
        }
        if (rm_has_num(r, "duration_ms")) {
            add_metric(s->times, "duration_us", rm_num(r, "duration_ms", 0) * 1000.0);
        }
        if (rm_has_num(r, "target_duration_us")) {
            add_metric(s->times, "target_duration_us", rm_num(r, "target_duration_us", 0));
        }
        const char *name;
        const json_t *v;
        json_object_foreach((json_t *)json_object_get(r, "state_us"), name, v)
        {
            char m[160];
            snprintf(m, sizeof m, "state_us.%s", name);
            if (json_is_number(v)) {
                add_metric(s->times, m, json_number_value(v));
            }
        }
        json_object_foreach((json_t *)json_object_get(r, "primitives"), name, v)
        {
            char m[160];
            if (rm_has_num(v, "ops")) {
                snprintf(m, sizeof m, "primitives.%s.ops", name);
                add_metric(s->counters, m, rm_num(v, "ops", 0));
            }
            if (rm_has_num(v, "bytes")) {
                snprintf(m, sizeof m, "primitives.%s.bytes", name);
                add_metric(s->counters, m, rm_num(v, "bytes", 0));
            }
            if (rm_has_num(v, "ns")) {
                snprintf(m, sizeof m, "primitives.%s.us", name);
                add_metric(s->times, m, rm_num(v, "ns", 0) / 1000.0);
            }
        }
    }
}

static void side_free(side_t *s)
{
    json_decref(s->counters);
    json_decref(s->times);
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
    if (!v) {
        return 0; /* out of memory: treated as no change below */
    }
    for (size_t i = 0; i < n; i++) {
        v[i] = json_number_value(json_array_get(samples, i));
    }
    qsort(v, n, sizeof *v, cmp_double);
    double m = n == 0 ? 0 : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
    free(v);
    return m;
}

/* All samples of a side agree. */
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

/* Rule names as they appear in the JSON and the reports. */
#define RULE_EXACT "exact"
#define RULE_TOLERANCE "tolerance"
#define RULE_MEDIAN "median"

/* "primitives.aes-gcm.ops" -> "primitives.*.ops": rules are listed per family. */
static void family(const char *metric, char *out, size_t n)
{
    const char *dot = strchr(metric, '.');
    const char *last = strrchr(metric, '.');
    if (!dot) {
        snprintf(out, n, "%s", metric);
    } else if (dot == last) {
        snprintf(out, n, "%.*s.*", (int)(dot - metric), metric);
    } else {
        snprintf(out, n, "%.*s.*%s", (int)(dot - metric), metric, last);
    }
}

/* Tally of one rule: the fields it judged, how many comparisons, how many
 * differed, how many could not be made. */
static void tally(json_t *rules, const char *rule, const char *metric, const char *what)
{
    json_t *t = json_object_get(rules, rule);
    if (!t) {
        t = json_pack("{s[] sI sI sI}", "fields", "compared", (json_int_t)0, "differ",
                      (json_int_t)0, "skipped", (json_int_t)0);
        json_object_set_new(rules, rule, t);
    }
    if (metric) {
        char fam[160];
        family(metric, fam, sizeof fam);
        json_t *fields = json_object_get(t, "fields");
        size_t i;
        const json_t *f;
        bool seen = false;
        json_array_foreach(fields, i, f)
        {
            seen = seen || strcmp(json_string_value(f), fam) == 0;
        }
        if (!seen) {
            json_array_append_new(fields, json_string(fam));
        }
    }
    json_t *c = json_object_get(t, what);
    json_integer_set(c, json_integer_value(c) + 1);
}

/* Counters (bytes, heap, steps, instructions, primitive ops): exact when
 * both sides ran with the same TEST ONLY seed and each side is constant
 * (emulated boards: the same inputs give the same numbers); otherwise the
 * medians with a relative tolerance (real boards: signature lengths and
 * random values change the sizes a little from run to run). Growth is a
 * regression, shrinking a reported change. */
static void compare_counters(json_t *out, json_t *rules, const char *key, const side_t *bs,
                             const side_t *ns, const compare_opts_t *o, size_t *regressions)
{
    bool seeded = bs->seed && ns->seed && !bs->mixed_seed && !ns->mixed_seed &&
                  strcmp(bs->seed, ns->seed) == 0;
    const char *name;
    const json_t *bv;
    json_object_foreach(bs->counters, name, bv)
    {
        const json_t *nv = json_object_get(ns->counters, name);
        if (!nv) {
            continue; /* not measured on the new side (other board, older agent) */
        }
        double b, n;
        const char *rule = RULE_EXACT;
        bool differ;
        if (seeded && constant(bv, &b) && constant(nv, &n)) {
            differ = b != n;
        } else {
            rule = RULE_TOLERANCE;
            b = median(bv);
            n = median(nv);
            differ = fabs(n - b) > o->size_tolerance * fmax(fabs(b), 1.0);
        }
        tally(rules, rule, name, "compared");
        if (!differ) {
            continue;
        }
        tally(rules, rule, NULL, "differ");
        bool worse = n > b;
        *regressions += worse;
        json_array_append_new(out,
                              json_pack("{ss ss ss sf sf sb}", "key", key, "metric", name, "rule",
                                        rule, "base", b, "new", n, "regression", worse));
    }
}

/* Times: medians, beyond both a ratio and an absolute step, with enough
 * samples a side; one sample says nothing about noise, so it is skipped. */
static void compare_times(json_t *out, json_t *rules, const char *key, const side_t *bs,
                          const side_t *ns, const compare_opts_t *o, size_t *regressions,
                          size_t *skipped)
{
    const char *name;
    const json_t *bv;
    json_object_foreach(bs->times, name, bv)
    {
        const json_t *nv = json_object_get(ns->times, name);
        if (!nv) {
            continue;
        }
        size_t nb = json_array_size(bv), nn = json_array_size(nv);
        if (nb < o->min_samples || nn < o->min_samples) {
            (*skipped)++;
            tally(rules, RULE_MEDIAN, name, "skipped");
            continue;
        }
        tally(rules, RULE_MEDIAN, name, "compared");
        double b = median(bv), n = median(nv);
        double hi = fmax(b, n), lo = fmin(b, n);
        if (hi - lo < o->time_min_us || (lo > 0 && hi / lo < o->time_ratio)) {
            continue; /* within noise */
        }
        tally(rules, RULE_MEDIAN, NULL, "differ");
        bool worse = n > b;
        *regressions += worse;
        json_array_append_new(out, json_pack("{ss ss ss sf sf sf sI sI sb}", "key", key, "metric",
                                             name, "rule", RULE_MEDIAN, "base_median", b,
                                             "new_median", n, "ratio", b > 0 ? n / b : 0.0,
                                             "base_samples", (json_int_t)nb, "new_samples",
                                             (json_int_t)nn, "regression", worse));
    }
}

/* The rules as a list for the reports, each with its parameters and why it
 * applies; rules that judged nothing are left out. */
static json_t *rules_list(json_t *tallies, const compare_opts_t *o)
{
    json_t *list = json_array();
    json_t *t = json_object_get(tallies, RULE_EXACT);
    if (t) {
        json_object_set_new(t, "rule", json_string(RULE_EXACT));
        json_object_set_new(t, "applies",
                            json_string("counters of results that both runs made with the same "
                                        "TEST ONLY seed (sim, qemu): any difference counts"));
        json_array_append(list, t);
    }
    t = json_object_get(tallies, RULE_TOLERANCE);
    if (t) {
        json_object_set_new(t, "rule", json_string(RULE_TOLERANCE));
        json_object_set_new(t, "tolerance_pct", json_real(o->size_tolerance * 100.0));
        json_object_set_new(t, "applies",
                            json_string("counters of unseeded results (real boards, older runs): "
                                        "medians, a difference beyond the tolerance counts"));
        json_array_append(list, t);
    }
    t = json_object_get(tallies, RULE_MEDIAN);
    if (t) {
        json_object_set_new(t, "rule", json_string(RULE_MEDIAN));
        json_object_set_new(t, "time_ratio", json_real(o->time_ratio));
        json_object_set_new(t, "time_min_us", json_real(o->time_min_us));
        json_object_set_new(t, "min_samples", json_integer((json_int_t)o->min_samples));
        json_object_set_new(t, "applies",
                            json_string("times: medians, beyond the ratio and the minimum step, "
                                        "with at least min_samples on each side"));
        json_array_append(list, t);
    }
    return list;
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
                strcmp(rm_str(b, "board", ""), rm_str(n, "board", "")) != 0 ||
                strcmp(rm_str(b, "stack", ""), rm_str(n, "stack", "")) != 0) {
                continue;
            }
            bool bm = json_is_true(json_object_get(b, "match"));
            bool nm = json_is_true(json_object_get(n, "match"));
            if (bm != nm) {
                *regressions += bm && !nm;
                json_array_append_new(
                    out,
                    json_pack("{ss ss ss sb sb ss}", "scenario", rm_str(n, "scenario", ""), "board",
                              rm_str(n, "board", ""), "stack", rm_str(n, "stack", ""), "base_match",
                              bm, "new_match", nm, "reason", rm_str(nm ? b : n, "reason", "")));
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
    json_t *tallies = json_object();
    size_t regressions = 0, timing_skipped = 0;
    const char *key;
    json_t *n;
    json_object_foreach(ng, key, n)
    {
        const json_t *b = json_object_get(bg, key);
        rm_state_t ns = rm_group_state(n);
        rm_state_t bs = b ? rm_group_state(b) : RM_SKIPPED;
        if (!b) {
            json_array_append_new(added, json_string(key));
        }
        if (ns == RM_UNMET && bs != RM_UNMET) {
            json_array_append_new(new_failures, detail(key, n));
            regressions++;
        } else if (ns == RM_UNMET) {
            json_array_append_new(still, detail(key, n));
        } else if (ns == RM_MET && bs == RM_UNMET) {
            json_array_append_new(fixed, json_string(key));
        } else if (ns == RM_INFRA) {
            json_array_append_new(infra, detail(key, n));
        }
        if (b) {
            side_t base_side, new_side;
            collect(b, &base_side);
            collect(n, &new_side);
            compare_counters(counters, tallies, key, &base_side, &new_side, o, &regressions);
            compare_times(timing, tallies, key, &base_side, &new_side, o, &regressions,
                          &timing_skipped);
            side_free(&base_side);
            side_free(&new_side);
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
    json_t *rules = rules_list(tallies, o);
    json_decref(tallies);
    return json_pack("{sb sI so so so so so so so so so sI so s{sf sf sI sf}}", "regression",
                     regressions > 0, "regressions", (json_int_t)regressions, "new_failures",
                     new_failures, "fixed", fixed, "still_failing", still, "infra_errors", infra,
                     "missing", missing, "added", added, "parity_changes", parity, "counters",
                     counters, "timing", timing, "timing_skipped", (json_int_t)timing_skipped,
                     "rules", rules, "thresholds", "time_ratio", o->time_ratio, "time_min_us",
                     o->time_min_us, "min_samples", (json_int_t)o->min_samples, "size_tolerance",
                     o->size_tolerance);
}

int compare_stacks_check(const json_t *base, const json_t *cur, char *err, size_t errlen)
{
    unsigned b = stack_set_of(base), c = stack_set_of(cur);
    if (b == c || b == 0 || c == 0) {
        return 0; /* an empty side has nothing to pair wrongly */
    }
    char bt[80], ct[80];
    stack_set_text(b, bt, sizeof bt);
    stack_set_text(c, ct, sizeof ct);
    snprintf(err, errlen,
             "the runs used different mbedTLS stacks (baseline: %s; new: %s): results of "
             "different stacks are not compared with each other (docs/stacks.md); compare runs "
             "of the same --stack, or see what changes between the stacks with tlsrig compare "
             "--upgrade BASE NEW",
             bt, ct);
    return -1;
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
    if (compare_stacks_check(base, cur, err, errlen) != 0) {
        json_decref(base);
        json_decref(cur);
        return NULL;
    }
    json_t *cmp = compare_results(base, cur, o);
    json_decref(base);
    json_decref(cur);
    return cmp;
}
