/* Helpers of stacks_upgrade_e2e: the real sim run on both stacks every test shares, running
 * tlsrig on it, and run directories rewritten from its results by the results writer. */
#define _POSIX_C_SOURCE 200809L
#include "upgrade_test_util.h"

#include <criterion/criterion.h>
#include <criterion/hooks.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "e2e_util.h"
#include "results_log.h"

static const char *const k_scenarios[] = {"happy-ecdhe-rsa-aes128-gcm-p256",
                                          "google-no-sni-completes", "hs-message-split-records",
                                          "sni-missing", "unknown-ca"};

/* The runner's pid names the run every test of this invocation shares (the tests run one
 * at a time, each in a process of its own). */
ReportHook(PRE_ALL)(struct criterion_test_set *set)
{
    (void)set;
    char pid[32];
    snprintf(pid, sizeof pid, "%d", (int)getpid());
    setenv("TLSRIG_UPGRADE_TEST_RUN", pid, 1);
}

/* The shared `tlsrig run --stack all --backend both` run: made by the first test that needs
 * it, into a temporary name renamed only when the run met every expectation. */
const char *shared_run(void)
{
    static char dir[600];
    const char *build = getenv("TLSRIG_BUILD_DIR"), *id = getenv("TLSRIG_UPGRADE_TEST_RUN");
    cr_assert(build && id);
    snprintf(dir, sizeof dir, "%s/e2e-tmp/upgrade-run-%s", build, id);
    struct stat st;
    if (stat(dir, &st) == 0) {
        return dir;
    }
    char tmp[512], out[700];
    e2e_tmpdir("upgrade-run-making", tmp, sizeof tmp);
    snprintf(out, sizeof out, "%s.out", tmp);
    const char *args[] = {"run",
                          "--board",
                          "sim",
                          "--stack",
                          "all",
                          "--backend",
                          "both",
                          "--scenario",
                          k_scenarios[0],
                          "--scenario",
                          k_scenarios[1],
                          "--scenario",
                          k_scenarios[2],
                          "--scenario",
                          k_scenarios[3],
                          "--scenario",
                          k_scenarios[4],
                          "--out",
                          tmp,
                          "--quiet",
                          NULL};
    cr_assert_eq(e2e_run(out, args), 0, "%s", e2e_slurp(out));
    cr_assert_eq(rename(tmp, dir), 0);
    return dir;
}

/* tlsrig with args; stdout and stderr kept in files next to the run (out, err). */
int tlsrig(const char *tag, char **out, char **err, const char *const *args)
{
    char o[700], e[700], base[600];
    snprintf(base, sizeof base, "%s/../%s-%d", shared_run(), tag, (int)getpid());
    snprintf(o, sizeof o, "%s.out", base);
    snprintf(e, sizeof e, "%s.err", base);
    int rc = e2e_run_err(o, e, args);
    *out = e2e_slurp(o);
    if (err) {
        *err = e2e_slurp(e);
    }
    cr_assert(*out);
    return rc;
}

json_t *parse(const char *text)
{
    json_error_t je;
    json_t *j = json_loads(text, 0, &je);
    cr_assert(j, "not JSON (%s): %s", je.text, text);
    return j;
}

const json_t *row(const json_t *sc, const char *scenario, const char *backend)
{
    size_t i;
    const json_t *r;
    json_array_foreach(json_object_get(sc, "rows"), i, r)
    {
        if (strcmp(json_string_value(json_object_get(r, "scenario")), scenario) == 0 &&
            strcmp(json_string_value(json_object_get(r, "backend")), backend) == 0) {
            return r;
        }
    }
    cr_assert_fail("no row for %s %s", scenario, backend);
    return NULL;
}

const char *s_of(const json_t *o, const char *path1, const char *path2)
{
    const json_t *v = json_object_get(o, path1);
    if (path2) {
        v = json_object_get(v, path2);
    }
    return json_string_value(v);
}

const char *class_of(const json_t *sc, const char *scenario, const char *backend)
{
    return s_of(row(sc, scenario, backend), "class", NULL);
}

/* The results of the shared run (run records left out). */
json_t *shared_results(void)
{
    char err[512];
    size_t skipped = 0;
    json_t *r = results_log_read(shared_run(), &skipped, err, sizeof err);
    cr_assert(r, "%s", err);
    cr_assert_eq(skipped, 0);
    return r;
}

/* A new run directory holding results, written by the results writer tlsrig run uses. */
const char *write_run(const char *name, const json_t *results, char *dir, size_t cap)
{
    e2e_tmpdir(name, dir, cap);
    results_log_t log;
    bool exists = false;
    char err[512];
    cr_assert_eq(results_log_create(&log, dir, &exists, err, sizeof err), 0, "%s", err);
    size_t i;
    const json_t *r;
    json_array_foreach(results, i, r)
    {
        cr_assert_eq(results_log_append(&log, r, err, sizeof err), 0, "%s", err);
    }
    cr_assert_eq(results_log_close(&log, err, sizeof err), 0, "%s", err);
    return dir;
}

static bool is_stack(const json_t *r, const char *stack)
{
    const char *s = json_string_value(json_object_get(r, "stack"));
    return strcmp(s ? s : "mbedtls-2.28", stack) == 0;
}

/* Deep copies of the results of one stack. */
json_t *of_stack(const json_t *results, const char *stack)
{
    json_t *out = json_array();
    size_t i;
    const json_t *r;
    json_array_foreach(results, i, r)
    {
        if (is_stack(r, stack)) {
            json_array_append_new(out, json_deep_copy(r));
        }
    }
    return out;
}

json_t *find(json_t *results, const char *scenario, const char *backend)
{
    size_t i;
    json_t *r;
    json_array_foreach(results, i, r)
    {
        if (strcmp(s_of(r, "scenario", NULL), scenario) == 0 &&
            strcmp(s_of(r, "backend", NULL), backend) == 0) {
            return r;
        }
    }
    cr_assert_fail("no result %s %s", scenario, backend);
    return NULL;
}
