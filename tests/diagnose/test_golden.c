/* Golden logs (fixtures/logs/golden/): every failing target scenario of the catalog has its
 * client log there, and `explain` on that log alone gives the catalog's verdict, or, where a
 * client log cannot tell, "undetermined" with the catalog's verdict ranked first. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diagnose.h"
#include "scenario.h"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *buf = malloc((size_t)n + 1);
    cr_assert_not_null(buf);
    cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

Test(diagnose_golden, every_catalog_failure_has_a_golden_log_with_its_verdict)
{
    const char *root = getenv("TLSRIG_SOURCE_DIR");
    cr_assert_not_null(root);
    char path[4096], err[1024] = "";
    snprintf(path, sizeof path, "%s/fixtures/scenarios", root);
    scenario_set_t set;
    cr_assert_eq(scenario_load_dir(path, &set, err, sizeof err), 0, "%s", err);
    snprintf(path, sizeof path, "%s/fixtures/logs/expected.yaml", root);
    char *expected = slurp(path);
    cr_assert_not_null(expected);

    size_t checked = 0, undetermined = 0;
    for (size_t i = 0; i < set.count; i++) {
        const scenario_t *s = set.items[i];
        if (s->kind != SCENARIO_TARGET || strcmp(s->expect.outcome, "fail") != 0 ||
            !scenario_runs_on(s, "mbedtls-2.28")) /* wolfssl-* scenarios: wolfSSL only */
            continue;
        cr_assert_not_null(s->expect.verdict, "%s: a failing scenario asserts its verdict",
                           s->name);
        snprintf(path, sizeof path, "%s/fixtures/logs/golden/%s.log", root, s->name);
        char *log = slurp(path);
        cr_expect_not_null(log, "no golden log for %s (fixtures/logs/make_golden.py RUN_DIR)",
                           s->name);
        if (!log)
            continue;
        char entry[512];
        snprintf(entry, sizeof entry, "- file: golden/%s.log\n", s->name);
        cr_expect(strstr(expected, entry) != NULL, "expected.yaml lacks golden/%s.log", s->name);

        logparse_result_t *r = logparse_text(log, strlen(log));
        diagnose_input_t in = {.log = r};
        diagnosis_t d;
        cr_assert_eq(diagnose(&in, &d), 0);
        if (strcmp(d.verdict, "undetermined") == 0) {
            undetermined++;
            cr_expect(d.n_candidates > 0 && strcmp(d.candidates[0].id, s->expect.verdict) == 0,
                      "%s: undetermined, first candidate %s, catalog says %s", s->name,
                      d.n_candidates ? d.candidates[0].id : "none", s->expect.verdict);
        } else {
            cr_expect_str_eq(d.verdict, s->expect.verdict, "%s: client log says %s, catalog %s",
                             s->name, d.verdict, s->expect.verdict);
        }
        logparse_free(r);
        free(log);
        checked++;
    }
    cr_expect_geq(checked, 15);
    /* The client alone cannot tell a refused ClientHello's cause (reset, silence, alert 40). */
    cr_expect_geq(undetermined, 3);
    free(expected);
    scenario_set_free(&set);
}

/* issue 18 wolfint: the wolfssl-* scenarios (wolfSSL only, so not in the mbedTLS golden set
 * above) assert their verdicts too, and where fixtures/wolfssl-logs holds the same case's
 * client log (named without the "wolfssl-" prefix), the log alone gives that verdict or ranks
 * it first (issue 18 wolfcert: -140 ASN_PARSE_E on the peer's certificate,
 * wolfssl-ecdsa-cert-null-params, is cert-encoding-rejected). */
Test(diagnose_golden, every_failing_wolfssl_scenario_asserts_its_verdict)
{
    const char *root = getenv("TLSRIG_SOURCE_DIR");
    cr_assert_not_null(root);
    char path[4096], err[1024] = "";
    snprintf(path, sizeof path, "%s/fixtures/scenarios", root);
    scenario_set_t set;
    cr_assert_eq(scenario_load_dir(path, &set, err, sizeof err), 0, "%s", err);
    size_t with_verdict = 0, with_log = 0;
    for (size_t i = 0; i < set.count; i++) {
        const scenario_t *s = set.items[i];
        if (s->kind != SCENARIO_TARGET || strcmp(s->expect.outcome, "fail") != 0 ||
            !scenario_runs_on(s, "wolfssl") || scenario_runs_on(s, "mbedtls-2.28"))
            continue;
        cr_assert_not_null(s->expect.verdict, "%s: a failing scenario asserts its verdict",
                           s->name);
        with_verdict++;
        snprintf(path, sizeof path, "%s/fixtures/wolfssl-logs/%s.log", root,
                 s->name + strlen("wolfssl-"));
        char *log = slurp(path);
        if (!log)
            continue; /* no recorded client log of this case */
        logparse_result_t *r = logparse_text(log, strlen(log));
        diagnose_input_t in = {.log = r, .stack = "wolfssl"};
        diagnosis_t d;
        cr_assert_eq(diagnose(&in, &d), 0);
        const char *got = strcmp(d.verdict, "undetermined") == 0 && d.n_candidates > 0
                              ? d.candidates[0].id
                              : d.verdict;
        cr_expect_str_eq(got, s->expect.verdict, "%s: client log says %s, scenario %s", s->name,
                         got, s->expect.verdict);
        logparse_free(r);
        free(log);
        with_log++;
    }
    cr_expect_geq(with_verdict, 5);
    cr_expect_geq(with_log, 4); /* gmail, sni-missing, unknown-ca, ecdsa-cert-null-params */
    scenario_set_free(&set);
}
