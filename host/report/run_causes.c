#include "run_causes.h"

#include <stdlib.h>
#include <string.h>

#include "report_model.h"

#define FIRST_SHOWN 3

/* What a cause names, from typed fields only (never from free text). */
static const char *cause_detail(const json_t *r)
{
    if (rm_is(r, "not-run")) {
        return rm_str(r, "not_run_reason", "");
    }
    if (rm_is(r, "infra-error")) {
        return rm_str(r, "infra_cause", "");
    }
    const json_t *parity = json_object_get(r, "parity");
    if (rm_parity_flag(parity) == 0) {
        return rm_str(parity, "primitive", "");
    }
    const char *diverged = rm_str(r, "diverged", NULL);
    return diverged ? diverged : rm_str(r, "mbedtls_error", "");
}

static const char *cause_name(const json_t *r)
{
    if (rm_is(r, "not-run") || rm_is(r, "infra-error")) {
        return rm_str(r, "outcome", "?");
    }
    return rm_str(r, "verdict", rm_is(r, "pass") ? "unexpected-pass" : "unexpected-failure");
}

static int by_count(const void *a, const void *b)
{
    json_int_t x = json_integer_value(json_object_get(*(json_t *const *)a, "count"));
    json_int_t y = json_integer_value(json_object_get(*(json_t *const *)b, "count"));
    return x < y ? 1 : x > y ? -1 : 0;
}

json_t *run_root_causes(const json_t *results)
{
    json_t *groups = json_object(), *order = json_array();
    size_t i;
    const json_t *r;
    json_array_foreach(results, i, r)
    {
        if (rm_met(r) || rm_is(r, "skipped")) {
            continue;
        }
        const char *name = cause_name(r), *detail = cause_detail(r);
        char key[1024];
        snprintf(key, sizeof key, "%s\x1f%s", name, detail);
        json_t *g = json_object_get(groups, key);
        if (!g) {
            g = json_pack("{ss ss sI s[]}", "cause", name, "detail", detail, "count", (json_int_t)0,
                          "first");
            json_object_set_new(groups, key, g);
            json_array_append(order, g);
        }
        json_object_set_new(g, "count",
                            json_integer(json_integer_value(json_object_get(g, "count")) + 1));
        json_t *first = json_object_get(g, "first");
        if (json_array_size(first) < FIRST_SHOWN) {
            char who[600];
            snprintf(who, sizeof who, "%s (%s)", rm_str(r, "scenario", "?"),
                     rm_str(r, "backend", "?"));
            json_array_append_new(first, json_string(who));
        }
    }
    /* Most frequent first; stable for equal counts (first seen first). */
    size_t n = json_array_size(order);
    json_t **items = calloc(n ? n : 1, sizeof *items);
    for (i = 0; i < n; i++) {
        items[i] = json_array_get(order, i);
        json_object_set_new(items[i], "seen", json_integer((json_int_t)i));
    }
    for (size_t a = 1; a < n; a++) { /* insertion sort: stable, n is small */
        json_t *x = items[a];
        size_t b = a;
        while (b > 0 && by_count(&items[b - 1], &x) > 0) {
            items[b] = items[b - 1];
            b--;
        }
        items[b] = x;
    }
    json_t *out = json_array();
    for (i = 0; i < n; i++) {
        json_object_del(items[i], "seen");
        json_array_append(out, items[i]);
    }
    free(items);
    json_decref(order);
    json_decref(groups);
    return out;
}

void run_causes_print(FILE *out, const json_t *causes)
{
    size_t i;
    const json_t *c;
    json_array_foreach(causes, i, c)
    {
        json_int_t count = json_integer_value(json_object_get(c, "count"));
        const char *detail = rm_str(c, "detail", "");
        fprintf(out, "  NOT MET %lld x %s%s%s%s: first ", (long long)count, rm_str(c, "cause", "?"),
                detail[0] ? " (" : "", detail, detail[0] ? ")" : "");
        size_t k;
        const json_t *who;
        const json_t *first = json_object_get(c, "first");
        json_array_foreach(first, k, who)
        {
            fprintf(out, "%s%s", k ? ", " : "", json_string_value(who));
        }
        if ((size_t)count > json_array_size(first)) {
            fprintf(out, " and %lld more", (long long)count - (long long)json_array_size(first));
        }
        fputc('\n', out);
    }
}
