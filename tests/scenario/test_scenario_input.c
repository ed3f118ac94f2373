/* Configuration input that used to crash the rig, eat memory, be truncated
 * or write outside the run folder: each is refused before anything runs, with
 * the file (and line and key where there is one) and exit code 2. And the
 * typed plan: names resolved to ids at load, the profile with its overrides
 * and the trust list completed by preflight. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config_yaml.h"
#include "preflight.h"
#include "profile_load.h"
#include "run_tlsrig.h"
#include "scenario.h"

static char err[2048];

static scenario_t *load_broken(const char *file)
{
    char rel[256], path[4096];
    snprintf(rel, sizeof rel, "fixtures/scenarios-broken/%s", file);
    source_path(rel, path, sizeof path);
    err[0] = '\0';
    return scenario_load_file(path, err, sizeof err);
}

Test(scenario_input, an_empty_or_comment_only_scenario_is_refused_not_a_crash)
{
    const char *files[] = {"empty.yaml", "comment-only.yaml"};
    for (size_t i = 0; i < 2; i++) {
        scenario_t *s = load_broken(files[i]);
        cr_expect_null(s, "%s loaded", files[i]);
        scenario_free(s);
        cr_expect(strstr(err, files[i]) != NULL && strstr(err, "empty file") != NULL, "%s", err);
    }
}

Test(scenario_input, aliases_under_overrides_are_refused_at_once)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    scenario_t *s = load_broken("alias-overrides.yaml");
    clock_gettime(CLOCK_MONOTONIC, &t1);
    cr_expect_null(s);
    scenario_free(s);
    cr_expect(strstr(err, "alias-overrides.yaml:8:") != NULL, "names the first alias: %s", err);
    cr_expect(strstr(err, "'*a0'") != NULL, "%s", err);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    cr_expect_lt(secs, 1.0, "took %.2f s: aliases were expanded", secs);
}

/* A file of `size` bytes: a valid profile padded with comment lines. */
static void write_padded(const char *path, const char *head, size_t size)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "%s", path);
    size_t n = strlen(head);
    cr_assert_eq(fwrite(head, 1, n, f), n);
    while (n < size) {
        char line[80];
        size_t want = size - n < sizeof line ? size - n : sizeof line;
        memset(line, 'x', want);
        line[0] = '#';
        line[want - 1] = '\n';
        cr_assert_eq(fwrite(line, 1, want, f), want);
        n += want;
    }
    cr_assert_eq(fclose(f), 0);
}

Test(scenario_input, files_over_the_limit_are_refused_never_truncated)
{
    char dir[4096], path[4200];
    fresh_dir("input-limits", dir, sizeof dir);
    cr_assert_eq(mkdir(dir, 0755), 0);
    /* A profile of 2 MB whose first megabyte is valid YAML: it used to load. */
    snprintf(path, sizeof path, "%s/big.yaml", dir);
    write_padded(path, "description: padded with comments\n", 2u << 20);
    server_profile_t p;
    cr_expect_eq(profile_load(dir, "big", &p, err, sizeof err), -1, "a 2 MB profile loaded");
    cr_expect(strstr(err, "big.yaml") != NULL && strstr(err, "limit") != NULL, "%s", err);
    /* One byte over the documented limit, and exactly at it. */
    snprintf(path, sizeof path, "%s/over.yaml", dir);
    write_padded(path, "name: over\nserver: {profile: default}\nexpect: {outcome: pass}\n",
                 CONFIG_FILE_MAX + 1u);
    scenario_t *s = scenario_load_file(path, err, sizeof err);
    cr_expect_null(s);
    cr_expect(strstr(err, "limit") != NULL, "%s", err);
    write_padded(path, "name: over\nserver: {profile: default}\nexpect: {outcome: pass}\n",
                 CONFIG_FILE_MAX);
    s = scenario_load_file(path, err, sizeof err);
    cr_expect_not_null(s, "a file at the limit is refused: %s", err);
    scenario_free(s);
}

Test(scenario_input, an_empty_profile_is_refused_not_a_crash)
{
    char dir[4096], path[4200];
    fresh_dir("input-empty-profile", dir, sizeof dir);
    cr_assert_eq(mkdir(dir, 0755), 0);
    snprintf(path, sizeof path, "%s/blank.yaml", dir);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    cr_assert_eq(fclose(f), 0);
    server_profile_t p;
    cr_expect_eq(profile_load(dir, "blank", &p, err, sizeof err), -1);
    cr_expect(strstr(err, "blank.yaml: empty file") != NULL, "%s", err);
    profile_defaults(&p);
    cr_expect_eq(profile_apply_overrides_yaml(&p, "", err, sizeof err), -1);
}

Test(scenario_input, the_plan_holds_ids_and_preflight_completes_it)
{
    char path[4096], profiles[4096];
    source_path("fixtures/scenarios/happy-ecdhe-rsa-aes128-gcm-p256.yaml", path, sizeof path);
    source_path("fixtures/profiles", profiles, sizeof profiles);
    scenario_t *s = scenario_load_file(path, err, sizeof err);
    cr_assert_not_null(s, "%s", err);
    cr_expect_eq(s->plan.client.n_suites, 1u);
    cr_expect_eq(s->plan.client.suites[0], 0xC02F, "ECDHE-RSA-AES128-GCM-SHA256");
    cr_expect_eq(s->plan.client.n_groups, 1u);
    cr_expect_eq(s->plan.client.groups[0], 23, "secp256r1");
    cr_expect(!s->plan.prepared);
    scenario_t *items[] = {s};
    cr_assert_eq(preflight_check(items, 1, profiles, NULL, NULL, err, sizeof err), 0, "%s", err);
    cr_expect(s->plan.prepared);
    cr_expect_str_eq(s->plan.profile->name, s->server.profile);
    cr_expect(s->plan.trust_pem_len > 0 && strstr(s->plan.trust_pem, "BEGIN CERTIFICATE"));
    scenario_free(s);
}

Test(scenario_input, overrides_are_parsed_at_load_and_applied_by_preflight)
{
    const char text[] = "name: ov\n"
                        "description: \"Ünïcödé ✓ before the overrides\"\n"
                        "server:\n"
                        "  profile: default\n"
                        "  overrides: {description: \"naïve\", min_version: TLS1.3}\n"
                        "expect: {outcome: pass}\n";
    char profiles[4096];
    source_path("fixtures/profiles", profiles, sizeof profiles);
    scenario_t *s = scenario_load_text("/virtual/ov.yaml", text, sizeof text - 1, err, sizeof err);
    cr_assert_not_null(s, "%s", err);
    cr_expect_not_null(s->plan.overrides);
    scenario_t *items[] = {s};
    /* default is TLS 1.2 only: min 1.3 is above its max, found before the run. */
    cr_expect_eq(preflight_check(items, 1, profiles, NULL, NULL, err, sizeof err), -1);
    cr_expect(strstr(err, "/virtual/ov.yaml:5: key 'server.overrides.min_version'") != NULL, "%s",
              err);
    scenario_free(s);
}

/* A folder holding one broken fixture, for `tlsrig run`. */
static void folder_with(const char *file, char *dir, size_t cap)
{
    char src[4096], rel[256], cmd[9000];
    fresh_dir(file, dir, cap);
    cr_assert_eq(mkdir(dir, 0755), 0);
    snprintf(rel, sizeof rel, "fixtures/scenarios-broken/%s", file);
    source_path(rel, src, sizeof src);
    snprintf(cmd, sizeof cmd, "cp '%s' '%s/'", src, dir);
    cr_assert_eq(system(cmd), 0);
}

Test(scenario_input, run_exits_2_on_an_empty_scenario_file)
{
    char dir[4096], out[4200];
    folder_with("empty.yaml", dir, sizeof dir);
    snprintf(out, sizeof out, "%s/out", dir);
    const char *args[] = {"run", "--board", "sim", "--scenarios-dir", dir, "--out", out, NULL};
    tlsrig_run_t r = run_tlsrig(args);
    cr_expect_eq(r.exit_code, 2, "exit %d, stderr: %s", r.exit_code, r.err);
    cr_expect(strstr(r.err, "empty.yaml: empty file") != NULL, "%s", r.err);
    run_tlsrig_free(&r);
}

Test(scenario_input, run_never_writes_a_log_outside_the_run_folder)
{
    char dir[4096], out[4200], outside[4400];
    folder_with("name-traversal.yaml", dir, sizeof dir);
    snprintf(out, sizeof out, "%s/run/out", dir);
    const char *args[] = {"run", "--board", "sim", "--scenarios-dir", dir, "--out", out, NULL};
    tlsrig_run_t r = run_tlsrig(args);
    cr_expect_eq(r.exit_code, 2, "exit %d, stderr: %s", r.exit_code, r.err);
    cr_expect(strstr(r.err, "name-traversal.yaml:2: key 'name'") != NULL, "%s", r.err);
    /* out/logs/../../x.sw.log: where the log of "../../x" used to land. */
    snprintf(outside, sizeof outside, "%s/run/x.sw.log", dir);
    cr_expect_neq(access(outside, F_OK), 0, "%s was written", outside);
    run_tlsrig_free(&r);
}

Test(scenario_input, run_exits_2_on_a_board_name_outside_the_board_folder)
{
    const char *args[] = {"run", "--board", "../boards/sim", "--list", NULL};
    tlsrig_run_t r = run_tlsrig(args);
    cr_expect_eq(r.exit_code, 2, "exit %d, stderr: %s", r.exit_code, r.err);
    cr_expect(strstr(r.err, "invalid board name") != NULL, "%s", r.err);
    run_tlsrig_free(&r);
}
