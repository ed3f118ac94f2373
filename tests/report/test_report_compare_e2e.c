/* Two runs of the same commit on the sim board compare equal: the real
 * `tlsrig run` twice on a selection with ECDSA signatures (whose lengths used
 * to change from run to run) on both backends, then `tlsrig compare`: exit 0,
 * no regression lines, the counters held to equality by the exact rule. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e_util.h"

static void run_selection(const char *name, char *out, size_t cap)
{
    char stdout_file[4200];
    e2e_tmpdir(name, out, cap);
    snprintf(stdout_file, sizeof stdout_file, "%s.stdout", out);
    const char *args[] = {"run",
                          "--board",
                          "sim",
                          "--backend",
                          "both",
                          "--scenario",
                          "happy-ecdhe-ecdsa-aes128-cbc-p256",
                          "--scenario",
                          "happy-ecdhe-ecdsa-aes256-gcm-p384",
                          "--scenario",
                          "happy-ecdhe-rsa-chacha20-x25519",
                          "--scenario",
                          "hostname-mismatch",
                          "--out",
                          out,
                          NULL};
    int rc = e2e_run(stdout_file, args);
    cr_assert_eq(rc, 0, "tlsrig run exited %d (see %s)", rc, stdout_file);
}

Test(report_compare_e2e, two_identical_sim_runs_compare_equal, .timeout = 300)
{
    char a[4096], b[4096], out_file[4200];
    run_selection("compare-e2e-a", a, sizeof a);
    run_selection("compare-e2e-b", b, sizeof b);

    /* Every handshake was seeded, and the seed is the scenario's own. */
    json_t *ra = e2e_targets(e2e_results(a));
    json_t *rb = e2e_targets(e2e_results(b));
    cr_assert_eq(json_array_size(ra), 8, "4 scenarios x 2 backends");
    size_t i;
    json_t *r;
    json_array_foreach(ra, i, r)
    {
        const char *seed = json_string_value(json_object_get(r, "test_seed"));
        cr_assert(seed != NULL && strlen(seed) == 64, "result %zu has no test_seed", i);
    }
    json_decref(ra);
    json_decref(rb);

    snprintf(out_file, sizeof out_file, "%s.compare", b);
    const char *args[] = {"compare", a, b, NULL};
    int rc = e2e_run(out_file, args);
    char *text = e2e_slurp(out_file);
    cr_assert(text != NULL);
    cr_assert_eq(rc, 0, "tlsrig compare exited %d:\n%s", rc, text);
    cr_assert(strstr(text, "COUNTER") == NULL && strstr(text, "counter down") == NULL &&
                  strstr(text, "SLOWER") == NULL && strstr(text, "REGRESSION") == NULL,
              "%s", text);
    cr_assert(strstr(text, "exact (same TEST ONLY seed)") != NULL, "%s", text);
    cr_assert(strstr(text, " 0 differ") != NULL, "%s", text);
    free(text);

    /* The JSON says the same, rule by rule. */
    snprintf(out_file, sizeof out_file, "%s.compare.json", b);
    const char *jargs[] = {"compare", a, b, "--json", NULL};
    cr_assert_eq(e2e_run(out_file, jargs), 0);
    json_error_t je;
    json_t *cmp = json_load_file(out_file, 0, &je);
    cr_assert(cmp != NULL, "%s", je.text);
    cr_assert_eq(json_array_size(json_object_get(cmp, "counters")), 0);
    const json_t *exact = json_array_get(json_object_get(cmp, "rules"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(exact, "rule")), "exact");
    cr_assert_gt(json_integer_value(json_object_get(exact, "compared")), 8 * 4);
    cr_assert_eq(json_integer_value(json_object_get(exact, "differ")), 0);
    json_decref(cmp);
}
