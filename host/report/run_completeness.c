#include "run_completeness.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "report_model.h"
#include "stacks.h"

/* Missing results listed one by one up to this many per report; beyond it
 * they are counted only (a damaged run-start must not make a report huge). */
#define SYNTHESIZED_MAX 5000

static const char *prefix_of(const json_t *o)
{
    return rm_str(json_object_get(o, "source"), "prefix", "");
}

/* The first record of a kind in the group of a source prefix. */
static const json_t *record_of(const json_t *records, const char *kind, const char *prefix)
{
    size_t i;
    const json_t *r;
    json_array_foreach(records, i, r)
    {
        if (strcmp(rm_str(r, "record", ""), kind) == 0 && strcmp(prefix_of(r), prefix) == 0) {
            return r;
        }
    }
    return NULL;
}

static size_t count_recorded(const json_t *results, const char *prefix, const char *scenario,
                             const char *backend, const char *stack)
{
    size_t n = 0, i;
    const json_t *r;
    json_array_foreach(results, i, r)
    {
        n += strcmp(prefix_of(r), prefix) == 0 && !rm_is_selftest(r) &&
             strcmp(rm_str(r, "scenario", ""), scenario) == 0 &&
             strcmp(rm_str(r, "backend", ""), backend) == 0 &&
             strcmp(stack_or_default(rm_str(r, "stack", NULL)), stack) == 0;
    }
    return n;
}

static json_t *synthesized(const json_t *start, const json_t *entry, const char *reason)
{
    json_t *r = json_pack(
        "{ss ss ss ss ss ss sb sf ss sb}", "scenario", rm_str(entry, "scenario", "?"), "kind",
        rm_str(entry, "kind", "target"), "board", rm_str(start, "board", "?"), "backend",
        rm_str(entry, "backend", "?"), "config", rm_str(entry, "config", "?"), "outcome", "not-run",
        "expect_met", 0, "duration_ms", 0.0, "not_run_reason", reason, "synthesized", 1);
    json_object_set_new(r, "stack", json_string(stack_or_default(rm_str(entry, "stack", NULL))));
    const json_t *src = json_object_get(start, "source");
    if (src) {
        json_object_set_new(r, "source", json_deep_copy(src));
    }
    return r;
}

/* One source run: adds its missing results, returns its status. */
static const char *judge_group(json_t *results, const json_t *records, const char *prefix,
                               json_int_t *planned, size_t *uncounted, json_t *reasons)
{
    const json_t *start = record_of(records, "run-start", prefix);
    const json_t *end = record_of(records, "run-end", prefix);
    char text[600];
    const char *where = prefix[0] ? prefix : "";
    if (!start) {
        snprintf(text, sizeof text, "%s%srun records missing: completeness unknown", where,
                 where[0] ? ": " : "");
        json_array_append_new(reasons, json_string(text));
        *planned = -1;
        return "unknown";
    }
    const char *missing_why = end ? "no result recorded although the run ended"
                                  : "no result recorded: the run ended without a run-end "
                                    "record (killed, crashed or out of disk)";
    size_t i;
    const json_t *e;
    json_t *added = json_array();
    json_array_foreach(json_object_get(start, "planned"), i, e)
    {
        json_int_t runs = json_integer_value(json_object_get(e, "runs"));
        runs = runs > 0 && runs <= 100000 ? runs : 1;
        *planned += runs;
        /* Planned entries of runs from before stacks name none: the default stack. */
        const char *stack = stack_or_default(rm_str(e, "stack", NULL));
        size_t got = count_recorded(results, prefix, rm_str(e, "scenario", ""),
                                    rm_str(e, "backend", ""), stack);
        for (json_int_t k = (json_int_t)got; k < runs; k++) {
            if (json_array_size(results) + json_array_size(added) < SYNTHESIZED_MAX) {
                json_array_append_new(added, synthesized(start, e, missing_why));
            } else {
                (*uncounted)++;
            }
        }
    }
    json_array_extend(results, added);
    bool complete = end && json_is_true(json_object_get(end, "complete")) &&
                    json_array_size(added) == 0 && *uncounted == 0;
    json_decref(added);
    if (complete) {
        return "complete";
    }
    snprintf(text, sizeof text, "%s%s%s", where, where[0] ? ": " : "",
             end ? rm_str(end, "reason", "the run did not finish")
                 : "no run-end record: the run was killed, crashed or ran out of disk");
    json_array_append_new(reasons, json_string(text));
    return "cut-short";
}

json_t *run_completeness(json_t *results, const json_t *records, size_t skipped_lines)
{
    /* Every source run seen in results or records. */
    json_t *prefixes = json_object();
    size_t i;
    const json_t *o;
    json_array_foreach(results, i, o)
    {
        json_object_set_new(prefixes, prefix_of(o), json_true());
    }
    json_array_foreach(records, i, o)
    {
        json_object_set_new(prefixes, prefix_of(o), json_true());
    }
    json_t *reasons = json_array();
    json_int_t planned = 0;
    size_t uncounted = 0;
    bool cut = skipped_lines > 0, unknown = json_object_size(prefixes) == 0;
    if (unknown) {
        json_array_append_new(reasons, json_string("run records missing: completeness unknown"));
    }
    const char *prefix;
    json_t *unused;
    json_object_foreach(prefixes, prefix, unused)
    {
        json_int_t p = 0;
        const char *st = judge_group(results, records, prefix, &p, &uncounted, reasons);
        cut = cut || strcmp(st, "cut-short") == 0;
        unknown = unknown || strcmp(st, "unknown") == 0;
        planned = planned < 0 || p < 0 ? -1 : planned + p;
    }
    json_decref(prefixes);
    if (skipped_lines > 0) {
        char text[160];
        snprintf(text, sizeof text, "%zu unreadable line(s) in results.jsonl (torn by a kill?)",
                 skipped_lines);
        json_array_append_new(reasons, json_string(text));
    }
    size_t not_run = uncounted, recorded = 0;
    json_array_foreach(results, i, o)
    {
        not_run += rm_is(o, "not-run");
        recorded += !rm_is_selftest(o) && !json_is_true(json_object_get(o, "synthesized"));
    }
    return json_pack("{ss sI sI sI so}", "status",
                     cut       ? "cut-short"
                     : unknown ? "unknown"
                               : "complete",
                     "planned", planned, "recorded", (json_int_t)recorded, "not_run",
                     (json_int_t)not_run, "reasons", reasons);
}
