/* `tlsrig run` options on small scenario folders of our own (tests/fixtures/run-options*):
 * --list, --tag, --scenario GLOB (repeatable), --repeat N, --fail-fast, and the final table's
 * counts against results.jsonl. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <jansson.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run_tlsrig.h"

#define MAX_RESULTS 32

/* The scenario results of one run (per-image self-test lines left out), in file order. */
typedef struct {
    char name[MAX_RESULTS][128];
    char outcome[MAX_RESULTS][32];
    bool met[MAX_RESULTS];
    size_t n;
} results_t;

/* Scenario results only (all_lines false), or every line incl. the image's
 * crypto-selftest (what the final table sums). */
static void read_results_lines(const char *out_dir, results_t *res, bool all_lines)
{
    char path[4300];
    snprintf(path, sizeof path, "%s/results.jsonl", out_dir);
    char *text = slurp_file(path);
    cr_assert_not_null(text, "no %s", path);
    memset(res, 0, sizeof *res);
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        json_error_t e;
        json_t *j = json_loads(line, 0, &e);
        cr_assert_not_null(j, "bad results line: %s", line);
        const char *kind = json_string_value(json_object_get(j, "kind"));
        if (json_object_get(j, "record")) {
            json_decref(j); /* run-start / run-end: not results */
            continue;
        }
        if (all_lines || (kind && (strcmp(kind, "target") == 0 || strcmp(kind, "replay") == 0))) {
            cr_assert_lt(res->n, MAX_RESULTS);
            snprintf(res->name[res->n], sizeof res->name[0], "%s",
                     json_string_value(json_object_get(j, "scenario")));
            snprintf(res->outcome[res->n], sizeof res->outcome[0], "%s",
                     json_string_value(json_object_get(j, "outcome")));
            res->met[res->n] = json_is_true(json_object_get(j, "expect_met"));
            res->n++;
        }
        json_decref(j);
    }
    free(text);
}

static void read_results(const char *out_dir, results_t *res)
{
    read_results_lines(out_dir, res, false);
}

static size_t count_name(const results_t *res, const char *name)
{
    size_t n = 0;
    for (size_t i = 0; i < res->n; i++)
        n += strcmp(res->name[i], name) == 0;
    return n;
}

/* Run `tlsrig run --board sim --scenarios-dir tests/fixtures/<folder> --out <fresh> extra...` */
static tlsrig_run_t run_folder(const char *folder, const char *outname, char *out, size_t cap,
                               const char *const *extra)
{
    char dir[4096], rel[256];
    snprintf(rel, sizeof rel, "tests/fixtures/%s", folder);
    source_path(rel, dir, sizeof dir);
    fresh_dir(outname, out, cap);
    const char *args[40] = {"run", "--board", "sim", "--scenarios-dir", dir, "--out", out};
    size_t n = 7;
    for (; extra && *extra && n < 39; extra++)
        args[n++] = *extra;
    args[n] = NULL;
    return run_tlsrig(args);
}

Test(scenario_run_options, list_prints_the_selection_and_runs_nothing)
{
    char out[4096];
    const char *extra[] = {"--list", NULL};
    tlsrig_run_t r = run_folder("run-options", "list", out, sizeof out, extra);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    cr_expect(strstr(r.out, "ro-alpha-pass") && strstr(r.out, "ro-alpha-fail") &&
                  strstr(r.out, "ro-beta-pass"),
              "%s", r.out);
    cr_expect(strstr(r.out, "[  1/") == NULL, "--list ran a scenario: %s", r.out);
    char path[4300];
    snprintf(path, sizeof path, "%s/results.jsonl", out);
    char *results = slurp_file(path);
    cr_expect(results == NULL || results[0] == '\0', "--list wrote results");
    free(results);
    run_tlsrig_free(&r);

    const char *tagged[] = {"--list", "--tag", "ro-beta", NULL};
    r = run_folder("run-options", "list-tag", out, sizeof out, tagged);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    cr_expect(strstr(r.out, "ro-beta-pass") != NULL, "%s", r.out);
    cr_expect(strstr(r.out, "ro-alpha") == NULL, "--tag ro-beta listed an alpha: %s", r.out);
    run_tlsrig_free(&r);
}

Test(scenario_run_options, tag_selects_the_tagged_scenarios)
{
    char out[4096];
    const char *extra[] = {"--tag", "ro-alpha", NULL};
    tlsrig_run_t r = run_folder("run-options", "tag", out, sizeof out, extra);
    cr_assert_eq(r.exit_code, 0, "%s%s", r.out, r.err);
    results_t res;
    read_results(out, &res);
    cr_expect_eq(res.n, 2);
    cr_expect_eq(count_name(&res, "ro-alpha-pass"), 1);
    cr_expect_eq(count_name(&res, "ro-alpha-fail"), 1);
    cr_expect_eq(count_name(&res, "ro-beta-pass"), 0);
    run_tlsrig_free(&r);
}

Test(scenario_run_options, scenario_globs_add_up)
{
    char out[4096];
    const char *extra[] = {"--scenario", "ro-beta-*", "--scenario", "*-fail", NULL};
    tlsrig_run_t r = run_folder("run-options", "globs", out, sizeof out, extra);
    cr_assert_eq(r.exit_code, 0, "%s%s", r.out, r.err);
    results_t res;
    read_results(out, &res);
    cr_expect_eq(res.n, 2);
    cr_expect_eq(count_name(&res, "ro-beta-pass"), 1);
    cr_expect_eq(count_name(&res, "ro-alpha-fail"), 1);
    run_tlsrig_free(&r);

    const char *none[] = {"--scenario", "no-such-*", NULL};
    r = run_folder("run-options", "globs-none", out, sizeof out, none);
    cr_expect_eq(r.exit_code, 2, "a filter matching nothing is a usage error");
    cr_expect(strstr(r.err, "no scenario matches") != NULL, "%s", r.err);
    run_tlsrig_free(&r);
}

Test(scenario_run_options, repeat_runs_each_scenario_n_times)
{
    char out[4096];
    const char *extra[] = {"--scenario", "ro-beta-pass", "--repeat", "3", NULL};
    tlsrig_run_t r = run_folder("run-options", "repeat", out, sizeof out, extra);
    cr_assert_eq(r.exit_code, 0, "%s%s", r.out, r.err);
    results_t res;
    read_results(out, &res);
    cr_expect_eq(res.n, 3);
    cr_expect_eq(count_name(&res, "ro-beta-pass"), 3);
    /* 3 repeats; the image self-test is shown but not counted */
    cr_expect(strstr(r.out, "[  3/3] ro-beta-pass") != NULL, "progress counts the repeats: %s",
              r.out);
    cr_expect(strstr(r.out, "[self-test] crypto-selftest") != NULL, "%s", r.out);
    run_tlsrig_free(&r);
}

Test(scenario_run_options, fail_fast_stops_after_the_first_unmet_expectation)
{
    char out[4096];
    /* Without it, every scenario runs (the folder has one unmet expectation, sorted first). */
    tlsrig_run_t r = run_folder("run-options-failfast", "no-fail-fast", out, sizeof out, NULL);
    cr_expect_eq(r.exit_code, 1, "%s%s", r.out, r.err);
    results_t res;
    read_results(out, &res);
    cr_expect_eq(res.n, 3);
    run_tlsrig_free(&r);

    const char *extra[] = {"--fail-fast", NULL};
    r = run_folder("run-options-failfast", "fail-fast", out, sizeof out, extra);
    cr_expect_eq(r.exit_code, 1, "%s%s", r.out, r.err);
    read_results(out, &res);
    /* Every selected scenario has its one result: the rest never ran, and say why. */
    cr_assert_eq(res.n, 3, "%zu results", res.n);
    cr_expect_str_eq(res.name[0], "ff-a-unmet");
    cr_expect(!res.met[0]);
    for (size_t i = 1; i < res.n; i++) {
        cr_expect_str_eq(res.outcome[i], "not-run", "%s ran after --fail-fast", res.name[i]);
    }
    cr_expect(strstr(r.out, "not run: --fail-fast stopped the run after ff-a-unmet") != NULL, "%s",
              r.out);
    run_tlsrig_free(&r);
}

/* "pass   4" in the final table; -1 when the row is missing. */
static long table_count(const char *out, const char *row)
{
    size_t len = strlen(row);
    for (const char *p = out; (p = strstr(p, row)) != NULL; p += len) {
        bool line_start = p == out || p[-1] == '\n';
        if (!line_start || p[len] != ' ')
            continue;
        return strtol(p + len, NULL, 10);
    }
    return -1;
}

Test(scenario_run_options, printed_counts_equal_results_jsonl)
{
    char out[4096];
    const char *extra[] = {"--repeat", "2", NULL};
    tlsrig_run_t r = run_folder("run-options", "counts", out, sizeof out, extra);
    cr_assert_eq(r.exit_code, 0, "%s%s", r.out, r.err);
    results_t res;
    read_results_lines(out, &res, true);
    cr_assert_eq(res.n, 7, "3 scenarios x 2 repeats + 1 image self-test");
    static const char *const outcomes[] = {"pass", "fail", "infra-error", "skipped", "not-run"};
    long sum = 0;
    for (size_t k = 0; k < sizeof outcomes / sizeof outcomes[0]; k++) {
        long in_file = 0;
        for (size_t i = 0; i < res.n; i++)
            in_file += strcmp(res.outcome[i], outcomes[k]) == 0;
        long printed = table_count(r.out, outcomes[k]);
        cr_expect_eq(printed, in_file, "%s: printed %ld, results.jsonl %ld", outcomes[k], printed,
                     in_file);
        sum += in_file;
    }
    cr_expect_eq(table_count(r.out, "pass"), 5);
    cr_expect_eq(table_count(r.out, "total"), (long)res.n);
    cr_expect_eq(sum, (long)res.n, "an outcome outside the table");
    size_t met = 0;
    for (size_t i = 0; i < res.n; i++)
        met += res.met[i];
    char line[64];
    snprintf(line, sizeof line, "expectations met: %zu of %zu", met, res.n);
    cr_expect(strstr(r.out, line) != NULL, "want \"%s\" in: %s", line, r.out);
    run_tlsrig_free(&r);
}

/* `--scenario NAME` (exact names) reads NAME.yaml alone when that file holds
 * the name: a broken file elsewhere in the folder does not stop it. A glob,
 * or a name kept in a file of another stem, takes the whole folder, and the
 * broken file is then an error naming it. */
Test(scenario_run_options, exact_names_read_only_their_own_files)
{
    char out[4096];
    const char *exact[] = {"--scenario", "ro-named-pass", NULL};
    tlsrig_run_t r = run_folder("run-options-named", "named-exact", out, sizeof out, exact);
    cr_assert_eq(r.exit_code, 0, "%s%s", r.out, r.err);
    results_t res;
    read_results(out, &res);
    cr_expect_eq(res.n, 1);
    cr_expect_eq(count_name(&res, "ro-named-pass"), 1);
    run_tlsrig_free(&r);

    const char *elsewhere[] = {"--scenario", "ro-named-elsewhere", NULL};
    r = run_folder("run-options-named", "named-elsewhere", out, sizeof out, elsewhere);
    cr_expect_eq(r.exit_code, 2, "%s%s", r.out, r.err);
    cr_expect(strstr(r.err, "broken.yaml") != NULL, "the full load names the file: %s", r.err);
    run_tlsrig_free(&r);

    const char *glob[] = {"--scenario", "ro-named-p*", NULL};
    r = run_folder("run-options-named", "named-glob", out, sizeof out, glob);
    cr_expect_eq(r.exit_code, 2, "%s%s", r.out, r.err);
    cr_expect(strstr(r.err, "broken.yaml") != NULL, "%s", r.err);
    run_tlsrig_free(&r);
}
