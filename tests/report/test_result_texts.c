/* What the reports take from a run's own results while it goes on (result_texts.h,
 * json_reindent.h): the same bytes as rendering every result again at the end. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_reindent.h"
#include "report_test_util.h"
#include "result_texts.h"
#include "results_log.h"
#include "run_summary.h"

#define LINE_FLAGS (JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(15) | JSON_ENCODE_ANY)
#define DOC_FLAGS (JSON_SORT_KEYS | JSON_REAL_PRECISION(15) | JSON_ENCODE_ANY)

static int to_file(const char *text, size_t size, void *f)
{
    return fwrite(text, 1, size, f) == size ? 0 : -1;
}

/* json_dumps(v, JSON_INDENT(indent)) with depth * indent more spaces after each newline. */
static char *indented_by_jansson(const json_t *v, size_t indent, size_t depth)
{
    char *plain = json_dumps(v, DOC_FLAGS | JSON_INDENT(indent));
    cr_assert_not_null(plain);
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    cr_assert_not_null(f);
    for (const char *p = plain; *p; p++) {
        fputc(*p, f);
        for (size_t k = 0; *p == '\n' && k < depth * indent; k++) {
            fputc(' ', f);
        }
    }
    cr_assert_eq(fclose(f), 0);
    free(plain);
    return out;
}

static char *reindented(const json_t *v, size_t indent, size_t depth)
{
    char *compact = json_dumps(v, LINE_FLAGS);
    cr_assert_not_null(compact);
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    cr_assert_not_null(f);
    cr_assert_eq(json_reindent(compact, strlen(compact), indent, depth, to_file, f), 0);
    cr_assert_eq(fclose(f), 0);
    free(compact);
    return out;
}

static void expect_as_jansson(const json_t *v)
{
    for (size_t indent = 1; indent <= 4; indent += 3) {
        for (size_t depth = 0; depth <= 3; depth++) {
            char *want = indented_by_jansson(v, indent, depth);
            char *got = reindented(v, indent, depth);
            cr_expect_str_eq(got, want, "indent %zu depth %zu", indent, depth);
            free(want);
            free(got);
        }
    }
}

Test(json_reindent, lays_out_what_jansson_indents)
{
    const char *const texts[] = {
        "{}",
        "[]",
        "[{}]",
        "{\"a\":[]}",
        "[[],[[]],{}]",
        "{\"a\":{\"b\":{}},\"c\":[1,[2,{}]]}",
        "\"a string\"",
        "3",
        "-0.0",
        "1e300",
        "null",
        "[true,false,null]",
        /* Brackets, commas, colons and escaped quotes inside strings change nothing. */
        "{\"k{[,:]}\":\"v\\\"},[\\\\\",\"q\":\"\\\\\",\"u\":\"\\u0001\\n\\t\xc3\xa9\"}",
        "{\"reals\":[0.30000000000000004,0.1,1.7959e15,-2.5e-07]}",
        "{\"ints\":[0,-1,9223372036854775807]}",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        json_error_t je;
        json_t *v = json_loads(texts[i], JSON_DECODE_ANY, &je);
        cr_assert_not_null(v, "%s: %s", texts[i], je.text);
        expect_as_jansson(v);
        json_decref(v);
    }
}

/* A value of every kind, nested up to depth levels, from a fixed seed. */
static json_t *generated(unsigned *seed, int depth)
{
    *seed = *seed * 1103515245u + 12345u;
    unsigned r = (*seed >> 16) % (depth > 0 ? 8u : 5u);
    static const char *const words[] = {"", "x", "a\"b", "{[,:]}", "back\\slash", "\xe2\x82\xac"};
    switch (r) {
    case 0:
        return json_integer((json_int_t)(*seed % 100000) - 50000);
    case 1:
        return json_real((double)(*seed % 100000) / 7.0);
    case 2:
        return json_string(words[*seed % 6]);
    case 3:
        return json_null();
    case 4:
        return json_boolean(*seed & 1);
    case 5:
    case 6: {
        json_t *o = json_object();
        for (unsigned k = 0; k < *seed % 4; k++) {
            char key[16];
            snprintf(key, sizeof key, "k%u", (*seed + k * 7) % 10);
            json_object_set_new(o, key, generated(seed, depth - 1));
        }
        return o;
    }
    default: {
        json_t *a = json_array();
        for (unsigned k = 0; k < *seed % 4; k++) {
            json_array_append_new(a, generated(seed, depth - 1));
        }
        return a;
    }
    }
}

Test(json_reindent, lays_out_generated_documents_as_jansson)
{
    unsigned seed = 20261129;
    for (int i = 0; i < 300; i++) {
        json_t *v = generated(&seed, 5);
        expect_as_jansson(v);
        json_decref(v);
    }
}

/* results.jsonl of a fixture re-written into dir through a results_log rendering report.html
 * blocks for a run of n results, as a run writes it; its mirror returned. */
static run_log_t written_through_a_log(const char *fixture, const char *dir, size_t n)
{
    char *text = slurp(fixture_dir(fixture), "results.jsonl");
    cr_assert_not_null(text);
    char path[4200];
    snprintf(path, sizeof path, "%s/results.jsonl", dir);
    cr_assert_eq(remove(path), 0);
    results_log_t log;
    bool exists = false;
    char err[512];
    cr_assert_eq(results_log_create(&log, dir, &exists, err, sizeof err), 0, "%s", err);
    results_log_prerender(&log, dir, n);
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        json_t *v = json_loads(line, 0, NULL);
        if (v) {
            cr_assert_eq(results_log_append(&log, v, err, sizeof err), 0, "%s", err);
            json_decref(v);
        }
    }
    free(text);
    run_log_t mirror;
    cr_assert(results_log_take_mirror(&log, &mirror));
    cr_assert_eq(results_log_close(&log, err, sizeof err), 0, "%s", err);
    return mirror;
}

/* generated_at is the only byte allowed to differ: blanked in both. */
static char *report_text(const char *dir, const char *file)
{
    char *t = slurp(dir, file);
    cr_assert_not_null(t, "%s missing", file);
    for (char *p = strstr(t, "20"); p; p = strstr(p + 1, "20")) {
        if (strlen(p) >= 20 && p[4] == '-' && p[10] == 'T' && p[19] == 'Z') {
            memset(p, 'T', 20);
        }
    }
    return t;
}

static void expect_reports_as_from_the_file(const char *fixture, size_t n)
{
    const char *dir = scratch_copy(fixture);
    run_log_t mirror = written_through_a_log(fixture, dir, n);
    size_t results = json_array_size(mirror.results);
    cr_assert_gt(results, 0);
    cr_assert_eq(mirror.n_texts, results, "every result keeps its line");
    for (size_t i = 0; i < mirror.n_texts; i++) {
        cr_assert_not_null(mirror.texts[i].html, "result %zu's block rendered", i);
        cr_assert_eq(mirror.texts[i].result, json_array_get(mirror.results, i));
    }
    char err[512];
    int rc_mirror = run_reports_write_log(dir, &mirror, NULL, NULL, err, sizeof err);
    static const char *const files[] = {"report.json", "report.html", "junit.xml", "summary.md"};
    char *from_mirror[4];
    for (size_t k = 0; k < 4; k++) {
        from_mirror[k] = report_text(dir, files[k]);
    }
    int rc_file = run_reports_write(dir, NULL, NULL, err, sizeof err);
    cr_expect_eq(rc_mirror, rc_file);
    for (size_t k = 0; k < 4; k++) {
        char *from_file = report_text(dir, files[k]);
        cr_expect_str_eq(from_mirror[k], from_file, "%s: %s differs (n %zu)", fixture, files[k], n);
        free(from_file);
        free(from_mirror[k]);
    }
}

Test(result_texts, reports_from_the_mirror_are_the_reports_from_the_file)
{
    expect_reports_as_from_the_file("small", 4);
    expect_reports_as_from_the_file("regressed", 4); /* an unmet result: open, 400 lines */
}

Test(result_texts, blocks_rendered_for_another_size_of_run_are_rendered_again)
{
    /* Rendered for 500 results (no log for met results, unmet ones closed): the page of 4
     * shows them otherwise, so the blocks cannot be taken. */
    expect_reports_as_from_the_file("small", 500);
    expect_reports_as_from_the_file("regressed", 500);
}

Test(result_texts, parity_lines_folded_into_results_leave_no_stale_text)
{
    /* Folding moves results and changes the hw ones: their texts are dropped. */
    expect_reports_as_from_the_file("old-parity", 4);
}
