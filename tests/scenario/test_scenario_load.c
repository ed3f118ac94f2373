/* Scenario loader errors on broken files (fixtures/scenarios-broken/): each error names the
 * file, the line and the key. Unknown profile / cipher suite are found by the runner: the real
 * `tlsrig run` must refuse them with exit code 2 and say why. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run_tlsrig.h"
#include "scenario.h"

static const struct {
    const char *file;
    unsigned line;
    const char *key;
} broken[] = {
    {"unknown-key.yaml", 7, "retries"},
    {"wrong-type.yaml", 6, "mfl"},
    {"missing-required.yaml", 6, "expect"},
    {"bad-outcome.yaml", 6, "expect.outcome"},
    {"bad-kind.yaml", 3, "kind"},
    {"bad-verify.yaml", 6, "client.verify"},
    {"bad-version.yaml", 7, "client.max_version"},
    {"bad-mfl.yaml", 6, "client.mfl"},
    {"malformed.yaml", 3, "tags"},
    {"name-traversal.yaml", 2, "name"},
    {"name-slash.yaml", 2, "name"},
    {"utf8-override-suite.yaml", 11, "server.overrides.suites"},
    {"replay-with-client.yaml", 7, "client"},
    {"target-with-clienthello.yaml", 5, "clienthello"},
    {"bad-error.yaml", 7, "expect.error"},
    {"bad-requires.yaml", 7, "requires"},
    {"bad-time.yaml", 6, "client.time"},
    {"bad-sim-fault.yaml", 6, "client.sim_fault"},
    {"bad-trust.yaml", 8, "client.trust"},
    {"bad-selftest.yaml", 7, "expect.selftest"},
    {"replay-with-clock-source.yaml", 9, "expect.clock_source"},
    /* issue 17 psk13 */
    {"bad-resume-kex-mode.yaml", 7, "client.resume_kex_modes"},
    {"resumed-without-resume.yaml", 9, "expect.resumed"},
};

static void assert_names_file_line_key(const char *err, const char *path, unsigned line,
                                       const char *key)
{
    char where[4200], quoted[160], bare[160];
    snprintf(where, sizeof where, "%s:%u:", path, line);
    cr_expect(strstr(err, where) != NULL, "error does not start at %s: %s", where, err);
    snprintf(quoted, sizeof quoted, "'%s'", key);
    snprintf(bare, sizeof bare, ": %s", key);
    cr_expect(strstr(err, quoted) != NULL || strstr(err, bare) != NULL,
              "error does not name key %s: %s", key, err);
}

Test(scenario_load, every_broken_file_names_file_line_and_key)
{
    for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++) {
        char rel[256], path[4096], err[1024] = "";
        snprintf(rel, sizeof rel, "fixtures/scenarios-broken/%s", broken[i].file);
        source_path(rel, path, sizeof path);
        scenario_t *s = scenario_load_file(path, err, sizeof err);
        cr_expect_null(s, "%s loaded although it is broken", broken[i].file);
        scenario_free(s);
        assert_names_file_line_key(err, path, broken[i].line, broken[i].key);
    }
}

Test(scenario_load, a_good_file_and_the_catalog_load)
{
    char path[4096], err[1024] = "";
    source_path("tests/fixtures/run-options/ro-alpha-pass.yaml", path, sizeof path);
    scenario_t *s = scenario_load_file(path, err, sizeof err);
    cr_assert_not_null(s, "%s", err);
    cr_expect_str_eq(s->name, "ro-alpha-pass");
    cr_expect_str_eq(s->server.profile, "default");
    cr_expect_eq(s->expect.alert_received, -1, "absent alert means not asserted");
    scenario_free(s);

    scenario_set_t set;
    source_path("fixtures/scenarios", path, sizeof path);
    cr_assert_eq(scenario_load_dir(path, &set, err, sizeof err), 0, "%s", err);
    cr_expect_geq(set.count, 30);
    for (size_t i = 1; i < set.count; i++)
        cr_expect(strcmp(set.items[i - 1]->name, set.items[i]->name) < 0, "sorted, unique");
    scenario_set_free(&set);
}

Test(scenario_load, a_folder_with_a_name_used_twice_is_refused)
{
    char dir[4096], second[4200], err[1024] = "";
    source_path("fixtures/scenarios-broken/duplicate-name", dir, sizeof dir);
    scenario_set_t set;
    cr_assert_eq(scenario_load_dir(dir, &set, err, sizeof err), -1);
    cr_expect_eq(set.count, 0);
    snprintf(second, sizeof second, "%s/second.yaml", dir);
    assert_names_file_line_key(err, second, 2, "name");
    cr_expect(strstr(err, "'twin'") != NULL && strstr(err, "first.yaml") != NULL, "%s", err);
}

Test(scenario_load, a_missing_folder_is_an_error)
{
    scenario_set_t set;
    char err[1024] = "";
    cr_assert_eq(scenario_load_dir("/nonexistent/tlsrig/scenarios", &set, err, sizeof err), -1);
    cr_expect(strstr(err, "/nonexistent/tlsrig/scenarios") != NULL, "%s", err);
}

/* The runner resolves profiles and suite names; both are configuration errors (exit 2). */
static tlsrig_run_t run_folder(const char *sub, const char *outname)
{
    char dir[4096], rel[256], out[4096];
    snprintf(rel, sizeof rel, "fixtures/scenarios-broken/%s", sub);
    source_path(rel, dir, sizeof dir);
    fresh_dir(outname, out, sizeof out);
    const char *args[] = {"run", "--board", "sim", "--scenarios-dir", dir, "--out", out, NULL};
    return run_tlsrig(args);
}

Test(scenario_load, run_refuses_an_unknown_profile)
{
    tlsrig_run_t r = run_folder("unknown-profile", "unknown-profile");
    cr_expect_eq(r.exit_code, 2, "exit %d, stderr: %s", r.exit_code, r.err);
    cr_expect(strstr(r.err, "unknown profile") != NULL, "%s", r.err);
    cr_expect(strstr(r.err, "\"no-such-profile\"") != NULL, "%s", r.err);
    cr_expect(strstr(r.out, "[  1/") == NULL, "no scenario ran: %s", r.out);
    run_tlsrig_free(&r);
}

Test(scenario_load, run_refuses_an_unknown_cipher_suite)
{
    tlsrig_run_t r = run_folder("unknown-suite", "unknown-suite");
    cr_expect_eq(r.exit_code, 2, "exit %d, stderr: %s", r.exit_code, r.err);
    cr_expect(strstr(r.err, "unknown-suite/no-such-suite.yaml") != NULL, "%s", r.err);
    cr_expect(strstr(r.err, "key 'client.suites'") != NULL, "%s", r.err);
    cr_expect(strstr(r.err, "no-such-suite.yaml:6:") != NULL, "names the line: %s", r.err);
    cr_expect(strstr(r.err, "'TLS-ECDHE-RSA-WITH-ROT13-SHA256'") != NULL, "%s", r.err);
    cr_expect(strstr(r.out, "[  1/") == NULL, "no scenario ran: %s", r.out);
    run_tlsrig_free(&r);
}
