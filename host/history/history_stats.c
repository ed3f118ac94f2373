/* Medians, spreads, flake rate and trend rules of the history (history_stats.h). */
#include "history_stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The numbers of arr, sorted; *n their count. NULL when none. */
static double *sorted(const json_t *arr, size_t *n)
{
    size_t cap = json_array_size(arr), i;
    *n = 0;
    double *v = cap ? malloc(cap * sizeof *v) : NULL;
    if (!v) {
        return NULL;
    }
    const json_t *x;
    json_array_foreach(arr, i, x)
    {
        if (json_is_number(x)) {
            v[(*n)++] = json_number_value(x);
        }
    }
    if (*n == 0) {
        free(v);
        return NULL;
    }
    qsort(v, *n, sizeof *v, cmp_double);
    return v;
}

static double median_of(const double *v, size_t n)
{
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

bool stats_median(const json_t *arr, double *out)
{
    size_t n;
    double *v = sorted(arr, &n);
    if (!v) {
        return false;
    }
    *out = median_of(v, n);
    free(v);
    return true;
}

bool stats_spread(const json_t *arr, double *out)
{
    size_t n;
    double *v = sorted(arr, &n);
    if (!v) {
        return false;
    }
    double m = median_of(v, n);
    for (size_t i = 0; i < n; i++) {
        v[i] = fabs(v[i] - m);
    }
    qsort(v, n, sizeof *v, cmp_double);
    *out = 1.4826 * median_of(v, n);
    free(v);
    return true;
}

double stats_timing_threshold(double median, double spread, double min_abs)
{
    return fmax(fmax(STATS_SPREAD_K * spread, STATS_REL_FLOOR * fabs(median)), min_abs);
}

double stats_flake_rate(const json_t *outcomes)
{
    const char *prev = NULL;
    size_t pairs = 0, flips = 0, i;
    const json_t *o;
    json_array_foreach(outcomes, i, o)
    {
        const char *s = json_string_value(o);
        if (!s || (strcmp(s, "pass") != 0 && strcmp(s, "fail") != 0)) {
            continue; /* skips, not-run and infra errors say nothing about the scenario */
        }
        if (prev) {
            pairs++;
            flips += strcmp(prev, s) != 0;
        }
        prev = s;
    }
    return pairs ? (double)flips / (double)pairs : 0.0;
}

json_t *stats_trend(const json_t *points, const char *metric, bool timing)
{
    json_t *vals = json_array();
    size_t i;
    const json_t *p;
    json_array_foreach(points, i, p)
    {
        const json_t *v = json_object_get(p, metric);
        if (json_is_number(v)) {
            json_array_append(vals, (json_t *)v);
        }
    }
    size_t n = json_array_size(vals);
    if (n == 0) {
        json_decref(vals);
        return NULL;
    }
    double first = json_number_value(json_array_get(vals, 0));
    double last = json_number_value(json_array_get(vals, n - 1));
    double med = 0, earlier_med = 0, spread = 0;
    stats_median(vals, &med);
    json_t *earlier = json_array();
    for (size_t k = 0; k + 1 < n; k++) {
        json_array_append(earlier, json_array_get(vals, k));
    }
    bool moved = false;
    double change = 0.0;
    const char *rule;
    if (timing) {
        rule = "noise";
        if (n - 1 >= STATS_MIN_HISTORY && stats_median(earlier, &earlier_med) &&
            stats_spread(earlier, &spread)) {
            moved = fabs(last - earlier_med) > stats_timing_threshold(earlier_med, spread, 0.0);
            change = earlier_med != 0 ? (last - earlier_med) / earlier_med * 100.0 : 0.0;
        } else {
            rule = "noise (fewer than 3 earlier runs: not judged)";
        }
    } else {
        rule = "exact";
        if (n >= 2) {
            double prev = json_number_value(json_array_get(vals, n - 2));
            moved = last != prev;
            change = prev != 0 ? (last - prev) / prev * 100.0 : 0.0;
        }
    }
    json_decref(earlier);
    json_decref(vals);
    bool judged = timing ? strcmp(rule, "noise") == 0 : n >= 2;
    return json_pack("{sI sf sf sf so sb ss}", "n", (json_int_t)n, "first", first, "last", last,
                     "median", med, "change_pct", judged ? json_real(change) : json_null(), "moved",
                     moved, "rule", rule);
}
