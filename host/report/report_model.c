#include "report_model.h"

#include "parity_rule.h"
#include "stacks.h"

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

bool rm_is(const json_t *r, const char *outcome)
{
    return strcmp(rm_str(r, "outcome", ""), outcome) == 0;
}

bool rm_applicable(const json_t *r)
{
    return rm_is(r, "pass") || rm_is(r, "fail") || rm_is(r, "infra-error");
}

bool rm_met(const json_t *r)
{
    return rm_applicable(r) && json_is_true(json_object_get(r, "expect_met"));
}

rm_state_t rm_group_state(const json_t *samples)
{
    size_t i, infra = 0, skipped = 0;
    const json_t *r;
    json_array_foreach(samples, i, r)
    {
        if (rm_is(r, "infra-error")) {
            infra++;
        } else if (rm_is(r, "skipped")) {
            skipped++;
        } else if (!rm_met(r)) {
            return RM_UNMET;
        }
    }
    size_t n = json_array_size(samples);
    return n > 0 && infra == n ? RM_INFRA : skipped + infra == n ? RM_SKIPPED : RM_MET;
}

bool rm_is_selftest(const json_t *r)
{
    return strcmp(rm_str(r, "kind", ""), "selftest") == 0;
}

void rm_key(const json_t *r, char *buf, size_t n)
{
    const char *board = rm_str(r, "board", "");
    /* The default stack adds nothing, so keys of runs from before stacks stay the same. */
    const char *stack = stack_or_default(rm_str(r, "stack", NULL));
    bool other = strcmp(stack, STACK_DEFAULT) != 0;
    snprintf(buf, n, "%s|%s%s%s%s%s", rm_str(r, "scenario", "?"), rm_str(r, "backend", "?"),
             board[0] ? "|" : "", board, other ? "|" : "", other ? stack : "");
}

const char *rm_backend_label(const json_t *r, char *buf, size_t n)
{
    const char *stack = stack_or_default(rm_str(r, "stack", NULL));
    bool other = strcmp(stack, STACK_DEFAULT) != 0;
    snprintf(buf, n, "%s%s%s", rm_str(r, "backend", "?"), other ? " " : "", other ? stack : "");
    return buf;
}

json_t *rm_totals(const json_t *results)
{
    size_t pass = 0, fail = 0, infra = 0, skipped = 0, not_run = 0, flaky = 0, met = 0, i;
    const json_t *r;
    json_array_foreach(results, i, r)
    {
        pass += rm_is(r, "pass");
        fail += rm_is(r, "fail");
        infra += rm_is(r, "infra-error");
        skipped += rm_is(r, "skipped");
        not_run += rm_is(r, "not-run");
        flaky += json_is_true(json_object_get(r, "flaky"));
        met += rm_met(r);
    }
    size_t applicable = pass + fail + infra;
    return json_pack("{sI sI sI sI sI sI sI sI sI sI}", "total",
                     (json_int_t)json_array_size(results), "pass", (json_int_t)pass, "fail",
                     (json_int_t)fail, "infra_error", (json_int_t)infra, "skipped",
                     (json_int_t)skipped, "not_run", (json_int_t)not_run, "flaky",
                     (json_int_t)flaky, "applicable", (json_int_t)applicable, "met",
                     (json_int_t)met, "unmet", (json_int_t)(applicable - met));
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(json_string_value(*(json_t *const *)a), json_string_value(*(json_t *const *)b));
}

json_t *rm_config_files(const json_t *results)
{
    json_t *out = json_array();
    size_t i, k;
    const json_t *r, *have;
    json_array_foreach(results, i, r)
    {
        const json_t *cf = json_object_get(r, "config_file");
        const char *digest = rm_str(cf, "sha256", NULL);
        bool dup = digest == NULL;
        json_array_foreach(out, k, have)
        {
            dup = dup || strcmp(rm_str(have, "sha256", ""), digest) == 0;
        }
        if (!dup) {
            json_array_append_new(out, json_deep_copy(cf));
        }
    }
    return out;
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
    const json_t *v = json_object_get(p, "match");
    return json_is_boolean(v) ? json_is_true(v) : -1;
}

static void add_parity_row(json_t *rows, const json_t *sw, const json_t *hw)
{
    char why[256];
    parity_status_t st = parity_compare(sw, hw, why, sizeof why);
    if (st == PARITY_NOT_APPLICABLE) {
        return;
    }
    const json_t *given = json_object_get(hw, "parity");
    bool match = st == PARITY_MATCH;
    const char *reason = match ? "" : rm_str(given, "reason", why);
    json_t *row = json_pack("{ss ss ss ss sO sO sb ss}", "scenario", rm_str(sw, "scenario", "?"),
                            "board", rm_str(sw, "board", ""), "config", rm_str(sw, "config", ""),
                            "stack", stack_or_default(rm_str(sw, "stack", NULL)), "sw", sw, "hw",
                            hw, "match", match, "reason", reason);
    if (rm_has_num(sw, "duration_ms") && rm_has_num(hw, "duration_ms")) {
        json_object_set_new(row, "sw_ms", json_real(rm_num(sw, "duration_ms", 0)));
        json_object_set_new(row, "hw_ms", json_real(rm_num(hw, "duration_ms", 0)));
    }
    if (json_is_object(given)) {
        json_object_set(row, "parity", (json_t *)given);
    }
    json_array_append_new(rows, row);
}

static bool is_target(const json_t *r)
{
    return strcmp(rm_str(r, "kind", "target"), "target") == 0;
}

json_t *rm_parity_rows(const json_t *results)
{
    json_t *rows = json_array();
    size_t i, j;
    const json_t *sw, *hw;
    /* The first sw and hw result of each scenario, board, config and stack:
     * repeats add timing samples, not rows; a stack pairs only with itself. */
    json_t *done = json_object();
    json_array_foreach(results, i, sw)
    {
        if (strcmp(rm_str(sw, "backend", ""), "sw") != 0 || !is_target(sw)) {
            continue;
        }
        const char *stack = stack_or_default(rm_str(sw, "stack", NULL));
        char key[768];
        snprintf(key, sizeof key, "%s|%s|%s|%s|%s", rm_str(sw, "scenario", "?"),
                 rm_str(sw, "board", ""), rm_str(sw, "config", ""),
                 rm_str(json_object_get(sw, "source"), "prefix", ""), stack);
        if (json_object_get(done, key)) {
            continue;
        }
        json_object_set_new(done, key, json_true());
        json_array_foreach(results, j, hw)
        {
            if (strcmp(rm_str(hw, "backend", ""), "hw") == 0 && is_target(hw) &&
                strcmp(rm_str(hw, "scenario", "?"), rm_str(sw, "scenario", "?")) == 0 &&
                strcmp(rm_str(hw, "board", ""), rm_str(sw, "board", "")) == 0 &&
                strcmp(rm_str(hw, "config", ""), rm_str(sw, "config", "")) == 0 &&
                strcmp(stack_or_default(rm_str(hw, "stack", NULL)), stack) == 0) {
                add_parity_row(rows, sw, hw);
                break;
            }
        }
    }
    json_decref(done);
    return rows;
}

void rm_fold_parity_lines(json_t *results)
{
    size_t i = 0;
    while (i < json_array_size(results)) {
        json_t *p = json_array_get(results, i);
        if (strcmp(rm_str(p, "kind", ""), "parity") != 0) {
            i++;
            continue;
        }
        size_t j;
        json_t *hw;
        json_array_foreach(results, j, hw)
        {
            if (strcmp(rm_str(hw, "backend", ""), "hw") == 0 && is_target(hw) &&
                strcmp(rm_str(hw, "scenario", "?"), rm_str(p, "scenario", "")) == 0 &&
                strcmp(rm_str(hw, "board", ""), rm_str(p, "board", "")) == 0 &&
                strcmp(rm_str(hw, "config", ""), rm_str(p, "config", "")) == 0) {
                if (!json_object_get(hw, "parity") &&
                    json_is_object(json_object_get(p, "parity"))) {
                    json_object_set(hw, "parity", json_object_get(p, "parity"));
                }
                if (!rm_met(p) && rm_met(hw)) {
                    json_object_set_new(hw, "expect_met", json_false());
                    json_object_set(hw, "expect_detail", json_object_get(p, "expect_detail"));
                }
                break;
            }
        }
        json_array_remove(results, i);
    }
}

bool rm_safe_rel(const char *path)
{
    if (!path || !path[0] || path[0] == '/' || strchr(path, '\\')) {
        return false;
    }
    for (const char *p = path; *p;) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        if (n == 2 && p[0] == '.' && p[1] == '.') {
            return false;
        }
        p += n + (slash ? 1u : 0u);
    }
    return true;
}

void rm_path(const json_t *r, const char *rel, char *buf, size_t n)
{
    const char *prefix = rm_str(json_object_get(r, "source"), "prefix", "");
    /* Only relative prefixes that stay inside the report directory. */
    if (!rm_safe_rel(prefix)) {
        prefix = "";
    }
    if (!rm_safe_rel(rel)) {
        snprintf(buf, n, "%s", ""); /* "" names no file: callers show none */
        return;
    }
    snprintf(buf, n, "%s%s", prefix, rel);
}
