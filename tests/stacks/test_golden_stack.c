/* Golden logs of the mbedtls-3.6 stack (fixtures/logs/golden-mbedtls-3.6/, from our own
 * `--stack mbedtls-3.6` catalog run): every target scenario that fails on 3.6 has its 3.6 client
 * log there, and `explain` on that log alone gives the 3.6 verdict (the scenario's expect_stacks
 * entry, else its expect), or "undetermined" with that verdict ranked first. */
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

Test(stacks_golden, every_failure_on_3_6_has_a_golden_log_with_its_verdict)
{
    const char *root = getenv("TLSRIG_SOURCE_DIR");
    cr_assert_not_null(root);
    char path[4096], err[1024] = "";
    snprintf(path, sizeof path, "%s/fixtures/scenarios", root);
    scenario_set_t set;
    cr_assert_eq(scenario_load_dir(path, &set, err, sizeof err), 0, "%s", err);
    size_t checked = 0, own = 0;
    for (size_t i = 0; i < set.count; i++) {
        const scenario_t *s = set.items[i];
        const char *why = NULL;
        const scenario_expect_t *e = scenario_expect_for(s, "mbedtls-3.6", &why);
        if (s->kind != SCENARIO_TARGET || strcmp(e->outcome, "fail") != 0 ||
            !scenario_runs_on(s, "mbedtls-3.6")) /* wolfssl-* scenarios: wolfSSL only */
            continue;
        snprintf(path, sizeof path, "%s/fixtures/logs/golden-mbedtls-3.6/%s.log", root, s->name);
        char *log = slurp(path);
        cr_expect_not_null(log, "no 3.6 golden log for %s (make_golden.py --stack mbedtls-3.6)",
                           s->name);
        if (!log)
            continue;
        logparse_result_t *r = logparse_text(log, strlen(log));
        diagnose_input_t in = {.log = r};
        diagnosis_t d;
        cr_assert_eq(diagnose(&in, &d), 0);
        if (strcmp(d.verdict, "undetermined") == 0) {
            cr_expect(d.n_candidates > 0 && strcmp(d.candidates[0].id, e->verdict) == 0,
                      "%s: undetermined, first candidate %s, 3.6 expects %s", s->name,
                      d.n_candidates ? d.candidates[0].id : "none", e->verdict);
        } else {
            cr_expect_str_eq(d.verdict, e->verdict, "%s: 3.6 client log says %s, expected %s",
                             s->name, d.verdict, e->verdict);
        }
        own += why != NULL;
        logparse_free(r);
        free(log);
        checked++;
    }
    cr_expect_geq(checked, 15);
    cr_expect_geq(own, 2, "the 3.6-only failures (hostname-not-set) are among them");
    scenario_set_free(&set);
}
