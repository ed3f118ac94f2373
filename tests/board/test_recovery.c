/* The recovery ladder's policy with fake rungs: each rung recovering in turn
 * (and the rungs above it not tried), skipped rungs recorded with their
 * reason, every rung failing -> the quarantine file written with the log;
 * the quarantine state file itself (atomic, fail closed, cleared); the
 * result's `recovery` field. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "quarantine.h"
#include "recovery.h"
#include "recovery_record.h"

static char g_state[256];

static void fresh_state_dir(void)
{
    snprintf(g_state, sizeof g_state, "/tmp/tlsrig-recovery-test-XXXXXX");
    cr_assert_not_null(mkdtemp(g_state));
    setenv("TLSRIG_STATE_DIR", g_state, 1);
}

static void remove_state_dir(void)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_state);
    cr_expect_eq(system(cmd), 0);
}

TestSuite(recovery, .init = fresh_state_dir, .fini = remove_state_dir);
TestSuite(quarantine, .init = fresh_state_dir, .fini = remove_state_dir);

/* Fake rungs: results[i] is what rung i answers; calls[i] counts its calls. */
typedef struct fake {
    int results[4];
    int calls[4];
} fake_t;

static int rung(fake_t *f, int i, char *why, size_t cap)
{
    f->calls[i]++;
    static const char *const text[] = {"no HELLO within 2000 ms after resync",
                                       "no HELLO within 5000 ms after the reset",
                                       "no HELLO after the port came back", "probe not found"};
    snprintf(why, cap, "%s", f->results[i] == -2 ? "no hub configured" : text[i]);
    return f->results[i];
}
static int f_resync(void *c, char *w, size_t n)
{
    return rung(c, 0, w, n);
}
static int f_reset(void *c, char *w, size_t n)
{
    return rung(c, 1, w, n);
}
static int f_power(void *c, char *w, size_t n)
{
    return rung(c, 2, w, n);
}
static int f_rediscover(void *c, char *w, size_t n)
{
    return rung(c, 3, w, n);
}

static recovery_ops_t ops_for(fake_t *f)
{
    return (recovery_ops_t){.ctx = f,
                            .resync = f_resync,
                            .probe_reset = f_reset,
                            .power_cycle = f_power,
                            .rediscover = f_rediscover};
}

static bool quarantined(const char *board)
{
    quarantine_info_t q;
    char err[256];
    cr_assert_eq(quarantine_get(board, &q, err, sizeof err), 0, "%s", err);
    return q.quarantined;
}

Test(recovery, each_rung_can_recover_and_the_ones_above_are_not_tried)
{
    const recovery_rung_t rungs[] = {RUNG_RESYNC, RUNG_PROBE_RESET, RUNG_POWER_CYCLE,
                                     RUNG_REDISCOVER};
    for (int k = 0; k < 4; k++) {
        fake_t f = {.results = {-1, -1, -1, -1}};
        f.results[k] = 0;
        recovery_ops_t ops = ops_for(&f);
        recovery_outcome_t out;
        char err[512] = "";
        cr_expect_eq(recovery_run("bench1", &ops, &out, err, sizeof err), 0, "rung %d", k);
        cr_expect_eq(out.recovered_by, rungs[k]);
        cr_expect_not(out.quarantined);
        cr_expect_eq(out.n_steps, (unsigned)k + 1);
        for (int i = 0; i < 4; i++) {
            cr_expect_eq(f.calls[i], i <= k ? 1 : 0, "rung %d called %d times (k=%d)", i,
                         f.calls[i], k);
        }
        char line[64];
        snprintf(line, sizeof line, "%s: recovered", recovery_rung_name(rungs[k]));
        cr_expect(strstr(out.log, line) != NULL, "%s", out.log);
        cr_expect_not(quarantined("bench1"));
    }
}

Test(recovery, skipped_rungs_are_recorded_with_their_reason)
{
    fake_t f = {.results = {-1, -2, -2, 0}};
    recovery_ops_t ops = ops_for(&f);
    ops.probe_reset = NULL; /* this flasher cannot reset */
    recovery_outcome_t out;
    char err[512];
    cr_assert_eq(recovery_run("bench1", &ops, &out, err, sizeof err), 0);
    cr_expect_eq(out.recovered_by, RUNG_REDISCOVER);
    cr_expect_eq(out.steps[1].result, -2);
    cr_expect_str_eq(out.steps[1].why, "not available for this board");
    cr_expect_eq(out.steps[2].result, -2);
    cr_expect_str_eq(out.steps[2].why, "no hub configured");
    cr_expect(strstr(out.log, "probe-reset: skipped: not available for this board\n") != NULL, "%s",
              out.log);
    cr_expect(strstr(out.log, "power-cycle: skipped: no hub configured\n") != NULL, "%s", out.log);
    cr_expect(strstr(out.log, "resync: failed: no HELLO within 2000 ms after resync\n") == out.log,
              "the first line is the first rung: %s", out.log);
}

Test(recovery, nothing_works_quarantines_with_the_log)
{
    fake_t f = {.results = {-1, -1, -2, 7}}; /* 7: anything but 0/-2 is a failure */
    recovery_ops_t ops = ops_for(&f);
    recovery_outcome_t out;
    char err[512] = "";
    cr_expect_eq(recovery_run("bench2", &ops, &out, err, sizeof err), -1);
    cr_expect_eq(out.recovered_by, RUNG_QUARANTINE);
    cr_expect(out.quarantined);
    cr_expect_eq(out.steps[3].result, -1);
    cr_expect(strstr(err, "quarantined") && strstr(err, "bench2.json"), "%s", err);

    quarantine_info_t q;
    char qerr[256];
    cr_assert_eq(quarantine_get("bench2", &q, qerr, sizeof qerr), 0, "%s", qerr);
    cr_expect(q.quarantined);
    char want[300];
    snprintf(want, sizeof want, "%s/quarantine/bench2.json", g_state);
    cr_expect_str_eq(q.path, want);
    cr_expect(strstr(q.reason, "resync: failed") && strstr(q.reason, "rediscover: failed"), "%s",
              q.reason);
    cr_expect_eq(strlen(q.since), 20u, "UTC time: %s", q.since);
    cr_expect_not(quarantined("bench1"), "only that board");
}

Test(recovery, a_quarantine_that_cannot_be_written_is_an_error)
{
    /* The state dir is a file: nothing can be created under it. */
    char file[300];
    snprintf(file, sizeof file, "%s/not-a-dir", g_state);
    FILE *f = fopen(file, "w");
    cr_assert_not_null(f);
    fclose(f);
    setenv("TLSRIG_STATE_DIR", file, 1);
    fake_t fk = {.results = {-1, -1, -1, -1}};
    recovery_ops_t ops = ops_for(&fk);
    recovery_outcome_t out;
    char err[512] = "";
    cr_expect_eq(recovery_run("bench3", &ops, &out, err, sizeof err), -1);
    cr_expect_not(out.quarantined);
    cr_expect(strstr(err, "could not be quarantined") && strstr(err, "not-a-dir"), "%s", err);
}

Test(recovery, outcome_json_names_the_rung_and_every_step)
{
    fake_t f = {.results = {-1, 0, -1, -1}};
    recovery_ops_t ops = ops_for(&f);
    recovery_outcome_t out;
    char err[512];
    cr_assert_eq(recovery_run("bench1", &ops, &out, err, sizeof err), 0);
    json_t *result = json_object();
    cr_assert_eq(recovery_record_set(result, &out), 0);
    json_t *r = json_object_get(result, "recovery");
    cr_expect_str_eq(json_string_value(json_object_get(r, "recovered_by")), "probe-reset");
    cr_expect(json_is_false(json_object_get(r, "quarantined")));
    json_t *steps = json_object_get(r, "steps");
    cr_assert_eq(json_array_size(steps), 2u);
    cr_expect_str_eq(json_string_value(json_object_get(json_array_get(steps, 0), "result")),
                     "failed");
    cr_expect_str_eq(json_string_value(json_object_get(json_array_get(steps, 1), "rung")),
                     "probe-reset");
    json_decref(result);
}

Test(quarantine, put_get_clear)
{
    char err[256];
    bool was = true;
    cr_assert_eq(quarantine_clear("b1", &was, err, sizeof err), 0);
    cr_expect_not(was, "nothing to clear");
    cr_assert_eq(quarantine_put("b1", "power-cycle: failed\n", err, sizeof err), 0, "%s", err);
    quarantine_info_t q;
    cr_assert_eq(quarantine_get("b1", &q, err, sizeof err), 0);
    cr_expect(q.quarantined);
    cr_expect_str_eq(q.reason, "power-cycle: failed\n");
    /* No temporary file left beside it. */
    char cmd[512];
    snprintf(cmd, sizeof cmd, "test $(ls -A '%s/quarantine' | wc -l) -eq 1", g_state);
    cr_expect_eq(system(cmd), 0, "only b1.json in the quarantine dir");
    cr_assert_eq(quarantine_clear("b1", &was, err, sizeof err), 0);
    cr_expect(was);
    cr_expect_not(quarantined("b1"));
}

Test(quarantine, a_damaged_file_still_quarantines)
{
    char err[256], path[300];
    cr_assert_eq(quarantine_put("b2", "x", err, sizeof err), 0, "%s", err);
    snprintf(path, sizeof path, "%s/quarantine/b2.json", g_state);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("{\"reason\": tru", f);
    fclose(f);
    quarantine_info_t q;
    cr_assert_eq(quarantine_get("b2", &q, err, sizeof err), 0);
    cr_expect(q.quarantined, "fail closed");
    cr_expect(strstr(q.reason, "cannot be read") != NULL, "%s", q.reason);
}

Test(quarantine, unsafe_board_names_are_refused)
{
    char err[256];
    quarantine_info_t q;
    cr_expect_eq(quarantine_put("../etc", "x", err, sizeof err), -1);
    cr_expect_eq(quarantine_get("a/b", &q, err, sizeof err), -1);
    cr_expect(strstr(err, "a/b") != NULL, "%s", err);
}

Test(quarantine, state_dir_rules)
{
    char dir[4096], err[256];
    setenv("TLSRIG_STATE_DIR", "/x/state", 1);
    cr_assert_eq(quarantine_state_dir(dir, sizeof dir, err, sizeof err), 0);
    cr_expect_str_eq(dir, "/x/state");
    unsetenv("TLSRIG_STATE_DIR");
    if (access("/var/lib/tlsrig", W_OK) == 0) {
        cr_skip_test("/var/lib/tlsrig is writable here: it wins over XDG and HOME");
    }
    setenv("XDG_STATE_HOME", "/x/xdg", 1);
    cr_assert_eq(quarantine_state_dir(dir, sizeof dir, err, sizeof err), 0);
    cr_expect_str_eq(dir, "/x/xdg/tlsrig");
    setenv("XDG_STATE_HOME", "relative", 1);
    setenv("HOME", "/x/home", 1);
    cr_assert_eq(quarantine_state_dir(dir, sizeof dir, err, sizeof err), 0);
    cr_expect_str_eq(dir, "/x/home/.local/state/tlsrig", "a relative XDG_STATE_HOME is ignored");
    unsetenv("XDG_STATE_HOME");
    unsetenv("HOME");
    cr_expect_eq(quarantine_state_dir(dir, sizeof dir, err, sizeof err), -1);
    cr_expect(strstr(err, "TLSRIG_STATE_DIR") != NULL, "%s", err);
}
