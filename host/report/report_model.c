#include "report_model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *rm_str(const json_t *o, const char *key, const char *dflt)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : dflt;
}

double rm_num(const json_t *o, const char *key, double dflt)
{
    const json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : dflt;
}

bool rm_has_num(const json_t *o, const char *key)
{
    return json_is_number(json_object_get(o, key));
}

bool rm_met(const json_t *r)
{
    return json_is_true(json_object_get(r, "expect_met"));
}

bool rm_is(const json_t *r, const char *outcome)
{
    return strcmp(rm_str(r, "outcome", ""), outcome) == 0;
}

void rm_key(const json_t *r, char *buf, size_t n)
{
    const char *board = rm_str(r, "board", "");
    snprintf(buf, n, "%s|%s%s%s", rm_str(r, "scenario", "?"), rm_str(r, "backend", "?"),
             board[0] ? "|" : "", board);
}

json_t *rm_totals(const json_t *results)
{
    size_t pass = 0, fail = 0, infra = 0, skipped = 0, flaky = 0, met = 0, i;
    const json_t *r;
    json_array_foreach(results, i, r)
    {
        pass += rm_is(r, "pass");
        fail += rm_is(r, "fail");
        infra += rm_is(r, "infra-error");
        skipped += rm_is(r, "skipped");
        flaky += json_is_true(json_object_get(r, "flaky"));
        met += rm_met(r);
    }
    size_t total = json_array_size(results);
    return json_pack("{sI sI sI sI sI sI sI sI}", "total", (json_int_t)total, "pass",
                     (json_int_t)pass, "fail", (json_int_t)fail, "infra_error", (json_int_t)infra,
                     "skipped", (json_int_t)skipped, "flaky", (json_int_t)flaky, "met",
                     (json_int_t)met, "unmet", (json_int_t)(total - met));
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(json_string_value(*(json_t *const *)a), json_string_value(*(json_t *const *)b));
}

json_t *rm_distinct(const json_t *results, const char *key)
{
    json_t *seen = json_object();
    size_t i;
    const json_t *r;
    json_array_foreach(results, i, r)
    {
        const char *v = rm_str(r, key, NULL);
        if (v) {
            json_object_set_new(seen, v, json_true());
        }
    }
    size_t n = json_object_size(seen), k = 0;
    json_t **items = calloc(n ? n : 1, sizeof *items);
    const char *name;
    json_t *unused;
    json_object_foreach(seen, name, unused)
    {
        items[k++] = json_string(name);
    }
    qsort(items, n, sizeof *items, cmp_str);
    json_t *out = json_array();
    for (k = 0; k < n; k++) {
        json_array_append_new(out, items[k]);
    }
    free(items);
    json_decref(seen);
    return out;
}

int rm_parity_flag(const json_t *p)
{
    if (!json_is_object(p)) {
        return -1;
    }
    static const char *const bools[] = {"match", "ok", "equal", "parity"};
    for (size_t i = 0; i < sizeof bools / sizeof bools[0]; i++) {
        const json_t *v = json_object_get(p, bools[i]);
        if (json_is_boolean(v)) {
            return json_is_true(v);
        }
    }
    const char *s = rm_str(p, "status", rm_str(p, "outcome", NULL));
    if (!s) {
        return -1;
    }
    return strcmp(s, "match") == 0 || strcmp(s, "ok") == 0 || strcmp(s, "pass") == 0;
}

/* Why two backends disagree, or NULL when they agree on what matters to a
 * user: the outcome, the error and the negotiated version and suite. */
static const char *derived_mismatch(const json_t *sw, const json_t *hw)
{
    static const char *const fields[] = {"outcome", "mbedtls_error", "version", "suite"};
    static char why[128];
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        const char *a = rm_str(sw, fields[i], ""), *b = rm_str(hw, fields[i], "");
        if (strcmp(a, b) != 0) {
            snprintf(why, sizeof why, "%s differs", fields[i]);
            return why;
        }
    }
    if (rm_met(sw) != rm_met(hw)) {
        return "expectation differs";
    }
    return NULL;
}

static void add_parity_row(json_t *rows, const json_t *sw, const json_t *hw)
{
    const json_t *given = json_object_get(hw, "parity");
    if (!given) {
        given = json_object_get(sw, "parity");
    }
    int flag = rm_parity_flag(given);
    const char *why = derived_mismatch(sw, hw);
    bool match = flag >= 0 ? flag == 1 : why == NULL;
    if (flag == 0) {
        why = rm_str(
            given, "reason",
            rm_str(given, "primitive", rm_str(given, "diverged", "runner reports mismatch")));
    }
    json_t *row = json_pack("{ss ss sO sO sb ss}", "scenario", rm_str(sw, "scenario", "?"), "board",
                            rm_str(sw, "board", ""), "sw", sw, "hw", hw, "match", match, "reason",
                            match ? "" : (why ? why : "mismatch"));
    if (rm_has_num(sw, "duration_ms") && rm_has_num(hw, "duration_ms")) {
        json_object_set_new(row, "sw_ms", json_real(rm_num(sw, "duration_ms", 0)));
        json_object_set_new(row, "hw_ms", json_real(rm_num(hw, "duration_ms", 0)));
    }
    if (given) {
        json_object_set(row, "parity", (json_t *)given);
    }
    json_array_append_new(rows, row);
}

json_t *rm_parity_rows(const json_t *results)
{
    json_t *rows = json_array();
    size_t i, j;
    const json_t *sw, *hw;
    /* The first sw and hw result of each scenario and board: repeats add
     * timing samples, not rows. */
    json_t *done = json_object();
    json_array_foreach(results, i, sw)
    {
        if (strcmp(rm_str(sw, "backend", ""), "sw") != 0) {
            continue;
        }
        char key[512];
        snprintf(key, sizeof key, "%s|%s", rm_str(sw, "scenario", "?"), rm_str(sw, "board", ""));
        if (json_object_get(done, key)) {
            continue;
        }
        json_array_foreach(results, j, hw)
        {
            if (strcmp(rm_str(hw, "backend", ""), "hw") == 0 &&
                strcmp(rm_str(hw, "scenario", "?"), rm_str(sw, "scenario", "?")) == 0 &&
                strcmp(rm_str(hw, "board", ""), rm_str(sw, "board", "")) == 0) {
                add_parity_row(rows, sw, hw);
                json_object_set_new(done, key, json_true());
                break;
            }
        }
    }
    json_decref(done);
    return rows;
}

void rm_path(const json_t *r, const char *rel, char *buf, size_t n)
{
    const char *prefix = rm_str(json_object_get(r, "source"), "prefix", "");
    /* Only relative prefixes that stay inside the report directory. */
    if (prefix[0] == '/' || strstr(prefix, "..")) {
        prefix = "";
    }
    snprintf(buf, n, "%s%s", prefix, rel);
}
