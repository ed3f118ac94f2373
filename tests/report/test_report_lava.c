/* tlsrig report --format lava: results as LAVA test cases (issue 19). */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lava_cases.h"
#include "report_test_util.h"
#include "results_log.h"
#include "run_summary.h"

/* Every line lava_cases_print() writes for results (a JSON array) and a verdict. */
static char *cases_of(const char *results_json, const char *status)
{
    json_error_t e;
    json_t *results = json_loads(results_json, 0, &e);
    cr_assert(results != NULL, "%s", e.text);
    json_t *verdict = json_pack("{s{ss}}", "completeness", "status", status);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_eq(lava_cases_print(f, results, verdict), 0);
    fclose(f);
    json_decref(results);
    json_decref(verdict);
    return buf;
}

/* The line of case `name` (up to its newline), or NULL. */
static char *line_of(const char *text, const char *name)
{
    char head[512];
    snprintf(head, sizeof head, "lava-test-case %s ", name);
    const char *p = strstr(text, head);
    if (!p) {
        return NULL;
    }
    size_t n = strcspn(p, "\n");
    char *l = malloc(n + 1);
    memcpy(l, p, n);
    l[n] = '\0';
    return l;
}

Test(report_lava, results_map_truthfully)
{
    char *out = cases_of(
        "[{\"scenario\":\"a\",\"backend\":\"sw\",\"outcome\":\"pass\",\"expect_met\":true,"
        "\"target_duration_us\":12345,\"heap_peak\":40000},"
        " {\"scenario\":\"b\",\"backend\":\"sw\",\"outcome\":\"fail\",\"expect_met\":true,"
        "\"duration_ms\":7},"
        " {\"scenario\":\"c\",\"backend\":\"sw\",\"outcome\":\"fail\",\"expect_met\":false},"
        " {\"scenario\":\"d\",\"backend\":\"sw\",\"outcome\":\"skipped\",\"expect_met\":false,"
        "\"duration_ms\":0},"
        " {\"scenario\":\"e\",\"backend\":\"sw\",\"outcome\":\"not-run\",\"duration_ms\":0},"
        " {\"scenario\":\"f\",\"backend\":\"sw\",\"outcome\":\"infra-error\",\"expect_met\":false}"
        "]",
        "complete");
    struct {
        const char *name, *line;
    } want[] = {
        {"a.sw", "lava-test-case a.sw --result pass --measurement 12.345 --units ms"},
        {"a.sw.heap-peak",
         "lava-test-case a.sw.heap-peak --result pass --measurement 40000 --units bytes"},
        /* A failure the scenario expects is its expectation met. */
        {"b.sw", "lava-test-case b.sw --result pass --measurement 7.000 --units ms"},
        {"c.sw", "lava-test-case c.sw --result fail"},
        {"d.sw", "lava-test-case d.sw --result skip"},
        /* Never ran: not tested, neither pass nor a failure of the code. */
        {"e.sw", "lava-test-case e.sw --result unknown"},
        {"f.sw", "lava-test-case f.sw --result fail"},
        {"tlsrig-run-complete", "lava-test-case tlsrig-run-complete --result pass"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        char *l = line_of(out, want[i].name);
        cr_assert(l != NULL, "no case %s in:\n%s", want[i].name, out);
        cr_expect_str_eq(l, want[i].line);
        free(l);
    }
    cr_assert(strstr(out, "e.sw --result pass") == NULL && strstr(out, "d.sw.heap") == NULL);
    free(out);
}

Test(report_lava, cut_short_run_fails_its_completeness_case)
{
    char *out = cases_of("[]", "cut-short");
    cr_assert_str_eq(out, "lava-test-case tlsrig-run-complete --result fail\n");
    free(out);
    out = cases_of("[]", "unknown");
    cr_assert_str_eq(out, "lava-test-case tlsrig-run-complete --result fail\n");
    free(out);
}

Test(report_lava, names_are_shell_safe_and_unique)
{
    char *out = cases_of(
        "[{\"scenario\":\"it's a \\\"test\\\"; rm -rf /\",\"backend\":\"sw\",\"outcome\":\"pass\","
        "\"expect_met\":true},"
        " {\"scenario\":\"-x\",\"backend\":\"sw\",\"outcome\":\"pass\",\"expect_met\":true},"
        " {\"scenario\":\"r\",\"backend\":\"sw\",\"outcome\":\"pass\",\"expect_met\":true},"
        " {\"scenario\":\"r\",\"backend\":\"sw\",\"outcome\":\"pass\",\"expect_met\":true},"
        " {\"scenario\":\"$(id)\",\"backend\":\"hw\",\"outcome\":\"pass\",\"expect_met\":true}]",
        "complete");
    const char *lines[] = {
        "lava-test-case it_s_a__test___rm_-rf__.sw --result pass",
        "lava-test-case _-x.sw --result pass", "lava-test-case r.sw --result pass",
        "lava-test-case r.sw.2 --result pass", "lava-test-case __id_.hw --result pass"};
    for (size_t i = 0; i < 5; i++) {
        cr_expect(strstr(out, lines[i]) != NULL, "missing '%s' in:\n%s", lines[i], out);
    }
    /* Nothing a shell would interpret, and every name a single word. */
    for (const char *p = out; *p; p++) {
        cr_assert(strchr("'\"$`;|&<>()\\*?!{}", *p) == NULL, "unsafe '%c' in:\n%s", *p, out);
    }
    free(out);
}

Test(report_lava, names_carry_the_board_stack_and_config_when_they_vary)
{
    char *out = cases_of(
        "[{\"scenario\":\"a\",\"backend\":\"sw\",\"board\":\"sim\",\"config\":\"full\","
        "\"outcome\":\"pass\",\"expect_met\":true},"
        " {\"scenario\":\"a\",\"backend\":\"sw\",\"board\":\"qemu-f405\",\"config\":\"full\","
        "\"outcome\":\"pass\",\"expect_met\":true,\"instructions\":123456}]",
        "complete");
    cr_expect(strstr(out, "lava-test-case a.sw.sim --result pass\n") != NULL, "%s", out);
    cr_expect(strstr(out, "lava-test-case a.sw.qemu-f405 --result pass\n") != NULL, "%s", out);
    cr_expect(strstr(out, "lava-test-case a.sw.qemu-f405.instructions --result pass "
                          "--measurement 123456 --units instructions\n") != NULL,
              "%s", out);
    free(out);
}

Test(report_lava, safe_name_bounds)
{
    char small[4];
    lava_safe_name("abcdef", small, sizeof small);
    cr_assert_str_eq(small, "abc");
    char e[8];
    lava_safe_name("", e, sizeof e);
    cr_assert_str_eq(e, "unnamed");
}

/* The killed fixture: planned runs without a result become not-run -> unknown, never pass. */
Test(report_lava, planned_runs_that_never_ran_are_unknown)
{
    run_log_t log;
    char err[512];
    cr_assert_eq(results_log_load(fixture_dir("killed"), &log, err, sizeof err), 0, "%s", err);
    json_t *v = run_verdict(log.results, log.records, log.skipped, false);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_eq(lava_cases_print(f, log.results, v), 0);
    fclose(f);
    size_t unknown = 0;
    for (const char *p = strstr(buf, "--result unknown"); p;
         p = strstr(p + 1, "--result unknown")) {
        unknown++;
    }
    cr_assert_eq((json_int_t)unknown,
                 json_integer_value(json_object_get(json_object_get(v, "completeness"), "not_run")),
                 "%s", buf);
    cr_assert(unknown > 0);
    cr_assert(strstr(buf, "tlsrig-run-complete --result fail") != NULL, "%s", buf);
    free(buf);
    json_decref(v);
    run_log_free(&log);
}
