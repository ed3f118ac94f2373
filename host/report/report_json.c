#define _POSIX_C_SOURCE 200809L
#include "json_dump_stream.h"
#include "report_json.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report_file.h"
#include "json_reindent.h"
#include "report_model.h"
#include "result_texts.h"
#include "run_causes.h"
#include "stack_compare.h"

static json_t *time_span(const json_t *results)
{
    double first = 0, last = 0;
    size_t i;
    const json_t *r;
    json_array_foreach(results, i, r)
    {
        double s = rm_num(r, "started_us", 0), e = rm_num(r, "ended_us", 0);
        if (s > 0 && (first == 0 || s < first)) {
            first = s;
        }
        if (e > last) {
            last = e;
        }
    }
    return json_pack("{sf sf}", "started_us", first, "ended_us", last);
}

json_t *report_document(const char *dir, const json_t *results, size_t skipped_lines,
                        const json_t *completeness, const json_t *compare)
{
    char now[64];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    json_t *parity = rm_parity_rows(results);
    size_t matched = 0, i;
    json_t *row;
    json_array_foreach(parity, i, row)
    {
        matched += json_is_true(json_object_get(row, "match"));
        /* The rows embed both results: keep the document free of copies. */
        json_object_del(row, "sw");
        json_object_del(row, "hw");
    }
    json_t *meta =
        json_pack("{ss ss so so so so sI sb}", "generated_at", now, "dir", dir, "boards",
                  rm_distinct(results, "board"), "backends", rm_distinct(results, "backend"),
                  "run_ids", rm_distinct(results, "run_id"), "span", time_span(results),
                  "skipped_lines", (json_int_t)skipped_lines, "cut_short",
                  strcmp(rm_str(completeness, "status", "unknown"), "cut-short") == 0);
    json_object_set(meta, "completeness", (json_t *)completeness);
    json_object_set_new(meta, "stacks", rm_distinct(results, "stack"));
    json_object_set_new(meta, "config_files", rm_config_files(results));
    json_t *doc = json_pack("{so so s{sI sI so}}", "meta", meta, "totals", rm_totals(results),
                            "parity", "pairs", (json_int_t)json_array_size(parity), "matched",
                            (json_int_t)matched, "rows", parity);
    json_object_set(doc, "results", (json_t *)results);
    json_object_set_new(doc, "causes", run_root_causes(results));
    if (compare) {
        json_object_set(doc, "compare", (json_t *)compare);
    }
    /* A run on more than one stack: its stacks side by side, scenario by scenario. */
    json_t *stacks = stack_compare_run(results);
    if (stacks) {
        json_object_set_new(doc, "stacks_side_by_side", stacks);
    }
    return doc;
}

#define REPORT_JSON_FLAGS (JSON_INDENT(1) | JSON_SORT_KEYS | JSON_REAL_PRECISION(15))

static int compare_keys(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* v as jansson dumps it nested at depth of a document. */
static int put_nested(const json_t *v, size_t depth, json_stream_t *s)
{
    json_nest_t nest = {.out = json_stream_put, .ctx = s, .spaces = depth};
    return json_dump_callback(v, json_nest_put, &nest, REPORT_JSON_FLAGS | JSON_ENCODE_ANY);
}

/* The results array at depth 1: each result from its line when the mirror has it. */
static int put_results(const json_t *results, const run_log_t *texts, json_stream_t *s)
{
    size_t n = json_array_size(results);
    if (n == 0) {
        return json_stream_put("[]", 2, s);
    }
    int rc = json_stream_put("[", 1, s);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const json_t *r = json_array_get(results, i);
        const result_text_t *t = texts ? result_texts_at(texts, i, r) : NULL;
        rc = json_stream_put(i ? ",\n  " : "\n  ", i ? 4 : 3, s);
        if (rc == 0) {
            rc = t ? json_reindent(t->line, t->line_len, 1, 2, json_stream_put, s)
                   : put_nested(r, 2, s);
        }
    }
    return rc ? rc : json_stream_put("\n ]", 3, s);
}

/* The document as json_dumpf(doc, REPORT_JSON_FLAGS) writes it, its results spliced. */
static int put_document(const json_t *doc, const run_log_t *texts, json_stream_t *s)
{
    size_t n = json_object_size(doc), k = 0;
    const char **keys = malloc((n ? n : 1) * sizeof *keys);
    if (!keys) {
        return -1;
    }
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)doc, key, v)
    {
        keys[k++] = key;
    }
    qsort(keys, n, sizeof *keys, compare_keys);
    int rc = json_stream_put(n ? "{" : "{}", n ? 1 : 2, s);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        json_t *name = json_string(keys[i]);
        rc = name ? json_stream_put(i ? ",\n " : "\n ", i ? 3 : 2, s) : -1;
        rc = rc ? rc : json_dump_callback(name, json_stream_put, s, JSON_ENCODE_ANY);
        rc = rc ? rc : json_stream_put(": ", 2, s);
        json_decref(name);
        v = json_object_get(doc, keys[i]);
        if (rc == 0) {
            rc = strcmp(keys[i], "results") == 0 && json_is_array(v) ? put_results(v, texts, s)
                                                                     : put_nested(v, 1, s);
        }
    }
    if (rc == 0 && n) {
        rc = json_stream_put("\n}", 2, s);
    }
    free(keys);
    return rc;
}

int report_json_write(const char *dir, const json_t *doc, const run_log_t *texts, char *err,
                      size_t errlen)
{
    report_file_t rf;
    if (report_file_open(&rf, dir, "report.json", err, errlen) != 0) {
        return -1;
    }
    errno = 0;
    json_stream_t *s = json_stream_open(rf.f);
    int rc = s ? put_document(doc, texts, s) : -1;
    if (s && json_stream_close(s) != 0) {
        rc = -1;
    }
    if (rc != 0) {
        int saved = errno;
        report_file_abort(&rf);
        snprintf(err, errlen, "%s/report.json: cannot be written: %s", dir,
                 saved ? strerror(saved) : "out of memory");
        return -1;
    }
    return report_file_commit(&rf, err, errlen);
}
