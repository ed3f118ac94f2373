/* A run accounts for every planned scenario x backend: refused before it
 * starts when it cannot run (a backend the board lacks, an unknown fault, an
 * empty or taken --out, a name that would leave the run directory), and when
 * it is cut short (signal, SIGKILL, full disk, an image that never started)
 * every report says how many never ran and nothing exits 0. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "e2e_util.h"

static int run_capture(const char *dir, const char *const *args, char **out, char **err)
{
    char o[4600], e[4600]; /* dir is at most 4400 bytes here (callers: base + a suffix) */
    snprintf(o, sizeof o, "%s.stdout", dir);
    snprintf(e, sizeof e, "%s.stderr", dir);
    int rc = e2e_run_err(o, e, args);
    *out = e2e_slurp(o);
    *err = e2e_slurp(e);
    return rc;
}

static bool has_results(const char *dir)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/results.jsonl", dir);
    return access(path, F_OK) == 0;
}

Test(e2e_accounting, backend_the_board_lacks_is_a_usage_error)
{
    static const char *const backends[] = {"hw", "both"};
    for (size_t i = 0; i < 2; i++) {
        char out[4096];
        e2e_tmpdir(backends[i], out, sizeof out);
        rmdir(out);
        const char *args[] = {"run",       "--board", "qemu-f405", "--backend",
                              backends[i], "--out",   out,         NULL};
        char *so, *se;
        int rc = run_capture(out, args, &so, &se);
        cr_expect_eq(rc, 2, "--backend %s on qemu-f405 exited %d", backends[i], rc);
        cr_expect(strstr(se, "rig-config/boards/qemu-f405.yaml") != NULL, "%s", se);
        cr_expect(strstr(se, "no 'hw' backend") != NULL, "%s", se);
        cr_expect(!has_results(out), "something ran");
        cr_expect(strstr(so, "as expected") == NULL, "%s", so);
        free(so);
        free(se);
    }
}

Test(e2e_accounting, unknown_fault_and_empty_out_are_usage_errors)
{
    char out[4096];
    e2e_tmpdir("fault-name", out, sizeof out);
    const char *args[] = {"run",      "--board", "sim", "--backend", "hw", "--inject-fault",
                          "gcm-tagg", "--out",   out,   NULL};
    char *so, *se;
    cr_expect_eq(run_capture(out, args, &so, &se), 2);
    cr_expect(strstr(se, "unknown fault") && strstr(se, "gcm-tag"), "%s", se);
    cr_expect(!has_results(out));
    free(so);
    free(se);

    bool root_had = access("/results.jsonl", F_OK) == 0;
    const char *empty[] = {"run", "--board", "sim", "--scenario", "unknown-ca", "--out", "", NULL};
    cr_expect_eq(run_capture(out, empty, &so, &se), 2);
    cr_expect(strstr(se, "--out is empty") != NULL, "%s", se);
    cr_expect(root_had || access("/results.jsonl", F_OK) != 0, "--out '' wrote into /");
    free(so);
    free(se);
}

/* A scenario named ../../x would have put its log two levels above. */
Test(e2e_accounting, names_never_leave_the_run_directory)
{
    char base[4096], scen[4200], out[4200], cmd[9000];
    e2e_tmpdir("escape", base, sizeof base);
    snprintf(scen, sizeof scen, "%s/scen/a/b", base);
    snprintf(out, sizeof out, "%s/out/run", base);
    snprintf(cmd, sizeof cmd,
             "mkdir -p '%s' && sed -e 's|^name: .*|name: ../../escaped-x|' "
             "'%s/fixtures/scenarios/unknown-ca.yaml' > '%s/x.yaml'",
             scen, getenv("TLSRIG_SOURCE_DIR"), scen);
    cr_assert_eq(system(cmd), 0);
    const char *args[] = {"run", "--board", "sim", "--scenarios-dir", scen, "--out", out, NULL};
    char *so, *se;
    cr_expect_eq(run_capture(out, args, &so, &se), 2, "%s", se);
    snprintf(cmd, sizeof cmd, "find '%s' -name 'escaped-x*' | grep -q .", base);
    cr_expect_neq(system(cmd), 0, "a file named after ../../escaped-x was written");
    free(so);
    free(se);
}

/* The first image is not made by this build (a config it does not have; issue 18 wolfqemu:
 * <build>/image-targets.txt lists what it makes): its scenarios are skipped with that reason,
 * not infrastructure errors, and the next image still runs its own. A run none of whose images
 * the build makes is refused before it starts (exit 2). */
Test(e2e_accounting, later_images_run_after_an_unbuilt_image, .timeout = 120)
{
    char base[2048], scen[2100], out[2100], cmd[12000];
    e2e_tmpdir("groups", base, sizeof base);
    snprintf(scen, sizeof scen, "%s/scen", base);
    snprintf(out, sizeof out, "%s/run", base);
    const char *src = getenv("TLSRIG_SOURCE_DIR");
    snprintf(cmd, sizeof cmd,
             "mkdir -p '%s' && cp '%s/fixtures/scenarios/unknown-ca.yaml' '%s/' && "
             "sed -e 's|^name: .*|name: grp-unbuilt\\nconfig: no-such-image-config|' "
             "'%s/fixtures/scenarios/unknown-ca.yaml' > '%s/a.yaml'",
             scen, src, scen, src, scen);
    cr_assert_eq(system(cmd), 0);
    const char *args[] = {"run",   "--board", "sim", "--scenarios-dir", scen, "--retries", "0",
                          "--out", out,       NULL};
    char *so, *se;
    int rc = run_capture(out, args, &so, &se);
    cr_expect_eq(rc, 0, "%s%s", so, se);
    json_t *res = e2e_targets(e2e_results(out));
    cr_assert_eq(json_array_size(res), 2, "both scenarios have a result");
    json_t *bad = e2e_find(res, "grp-unbuilt"), *good = e2e_find(res, "unknown-ca");
    cr_assert(bad && good);
    cr_expect_str_eq(json_string_value(json_object_get(bad, "outcome")), "skipped");
    const char *why = json_string_value(json_object_get(bad, "skip_reason"));
    cr_assert_not_null(why);
    cr_expect(strstr(why, "tlsrig-agent-sim-sw-no-such-image-config") != NULL, "%s", why);
    cr_expect(strstr(why, "TLSRIG_CONFIG_PROFILES") != NULL, "%s", why);
    cr_expect_str_eq(json_string_value(json_object_get(good, "outcome")), "fail");
    cr_expect(json_is_true(json_object_get(good, "expect_met")));
    json_decref(res);
    free(so);
    free(se);

    /* Only the unbuilt image: refused before anything starts, nothing recorded. */
    snprintf(cmd, sizeof cmd, "rm '%s/unknown-ca.yaml'", scen);
    cr_assert_eq(system(cmd), 0);
    char out2[2200];
    snprintf(out2, sizeof out2, "%s/run2", base);
    const char *args2[] = {"run",   "--board", "sim", "--scenarios-dir", scen, "--retries", "0",
                           "--out", out2,      NULL};
    rc = run_capture(out2, args2, &so, &se);
    cr_expect_eq(rc, 2, "%s%s", so, se);
    cr_expect(strstr(se, "image-targets.txt") != NULL, "%s", se);
    cr_expect(strstr(se, "tlsrig-agent-sim-sw-no-such-image-config") != NULL, "%s", se);
    free(so);
    free(se);
}

/* Start a long run; return once `count` progress lines are out. */
static pid_t start_long_run(const char *out, int count, FILE **progress)
{
    const char *args[] = {
        "run",      "--board", "sim",   "--scenario", "happy-ecdhe-rsa-aes128-gcm-p256",
        "--repeat", "40",      "--out", out,          NULL};
    int fd = -1;
    pid_t pid = e2e_spawn(args, &fd);
    *progress = fdopen(fd, "r");
    char line[1024];
    int seen = 0;
    while (seen < count && fgets(line, sizeof line, *progress)) {
        seen += line[0] == '[' && line[1] != 's';
    }
    cr_assert_eq(seen, count, "no progress from tlsrig");
    return pid;
}

static int finish(pid_t pid, FILE *progress)
{
    char line[1024];
    while (fgets(line, sizeof line, progress)) {
    }
    fclose(progress);
    int status = 0;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* `tlsrig report DIR` after a cut-short run: non-zero, and says how many never ran. */
static void expect_report_cut_short(const char *out, const char *reason)
{
    char base[4200];
    snprintf(base, sizeof base, "%s-report", out);
    const char *args[] = {"report", out, NULL};
    char *so, *se;
    int rc = run_capture(base, args, &so, &se);
    cr_expect_eq(rc, 1, "report of a cut-short run exited %d: %s%s", rc, so, se);
    const char *p = strstr(so, "RUN CUT SHORT: ");
    cr_assert(p != NULL, "%s", so);
    long n = strtol(p + strlen("RUN CUT SHORT: "), NULL, 10);
    cr_expect(n > 0 && n < 40, "never ran: %ld", n);
    cr_expect(strstr(p, "(of 40 planned)") != NULL, "%s", so);
    cr_expect(strstr(so, reason) != NULL, "want '%s' in %s", reason, so);
    free(so);
    free(se);
    char *md = e2e_slurp(strcat(strcpy(base, out), "/summary.md"));
    cr_expect(md && strstr(md, "Run cut short") != NULL);
    free(md);
}

Test(e2e_accounting, sigterm_exits_143_and_a_second_run_cannot_share_the_out, .timeout = 120)
{
    char out[4096];
    e2e_tmpdir("sigterm", out, sizeof out);
    FILE *progress;
    pid_t pid = start_long_run(out, 2, &progress);
    /* Same --out while the first runs: refused, the first run untouched. */
    const char *args[] = {"run", "--board", "sim", "--scenario", "unknown-ca", "--out", out, NULL};
    char second[4200], *so, *se;
    snprintf(second, sizeof second, "%s-second", out);
    cr_expect_eq(run_capture(second, args, &so, &se), 2);
    cr_expect(strstr(se, "already holds a run") != NULL, "%s", se);
    free(so);
    free(se);
    kill(pid, SIGTERM);
    cr_expect_eq(finish(pid, progress), 143);
    json_t *res = e2e_targets(e2e_results(out));
    cr_expect_eq(json_array_size(res), 40, "one result per planned run");
    cr_expect(e2e_find(res, "unknown-ca") == NULL, "the second run wrote into the first");
    json_decref(res);
    expect_report_cut_short(out, "interrupted by SIGTERM");
}

Test(e2e_accounting, sigkill_then_report_counts_what_never_ran, .timeout = 120)
{
    char out[4096];
    e2e_tmpdir("sigkill", out, sizeof out);
    FILE *progress;
    pid_t pid = start_long_run(out, 2, &progress);
    kill(pid, SIGKILL);
    cr_expect_eq(finish(pid, progress), 128 + SIGKILL);
    expect_report_cut_short(out, "no run-end record");
}

/* A full disk: exit 3 naming the file, never "all met". */
Test(e2e_accounting, full_disk_exits_3_and_names_the_file, .timeout = 180)
{
    if (geteuid() != 0 || unshare(CLONE_NEWNS) != 0) {
        cr_skip_test("needs root to mount a 512 kB tmpfs in a private mount namespace (%s)",
                     strerror(errno));
    }
    cr_assert_eq(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0, "%s", strerror(errno));
    char base[4096], mnt[4200], out[4300];
    e2e_tmpdir("tmpfs", base, sizeof base);
    snprintf(mnt, sizeof mnt, "%s/mnt", base);
    cr_assert_eq(mkdir(mnt, 0755), 0);
    cr_assert_eq(mount("tmpfs", mnt, "tmpfs", 0, "size=512k"), 0, "%s", strerror(errno));
    snprintf(out, sizeof out, "%s/run", mnt);
    const char *args[] = {"run", "--board", "sim", "--scenario", "happy-*", "--out", out, NULL};
    char *so, *se;
    int rc = run_capture(base, args, &so, &se);
    cr_expect_eq(rc, 3, "exit %d on a full disk: %s", rc, se);
    cr_expect(strstr(se, out) != NULL &&
                  (strstr(se, "No space left") != NULL || strstr(se, "disk full") != NULL),
              "no message naming the file: %s", se);
    cr_expect(strstr(so, "expectations met") == NULL || strstr(so, "RUN CUT SHORT") != NULL, "%s",
              so);
    free(so);
    free(se);
    /* What made it to disk is whole, and the report says the run is short. */
    json_t *res = e2e_results(out);
    cr_assert_not_null(res);
    json_decref(res);
    const char *rep[] = {"report", out, NULL};
    char rbase[4400];
    snprintf(rbase, sizeof rbase, "%s/report-out", base);
    rc = run_capture(rbase, rep, &so, &se);
    cr_expect_neq(rc, 0, "report of a full-disk run exited 0");
    free(so);
    free(se);
    umount2(mnt, MNT_DETACH);
}

/* A capture file the server could not write is lost data like a log: the result names it
 * (write_error), the run stops there, exit 3, and what did not run is not-run. Here the
 * run's captures/ is a file, so no capture folder can be made. */
Test(e2e_accounting, a_lost_capture_stops_the_run_with_exit_3, .timeout = 120)
{
    char base[4096], out[4200];
    e2e_tmpdir("lost-capture", base, sizeof base);
    snprintf(out, sizeof out, "%s/run", base);
    cr_assert_eq(mkdir(out, 0755), 0);
    char blocker[4300];
    snprintf(blocker, sizeof blocker, "%s/captures", out);
    FILE *f = fopen(blocker, "w");
    cr_assert_not_null(f);
    fclose(f);
    const char *args[] = {"run",          "--board", "sim", "--scenario", "happy-*",
                          "--no-history", "--out",   out,   NULL};
    char *so, *se;
    int rc = run_capture(base, args, &so, &se);
    cr_expect_eq(rc, 3, "exit %d: %s", rc, se);
    cr_expect(strstr(se, "capture folder of") != NULL && strstr(se, "Not a directory") != NULL,
              "stderr names the capture and why: %s", se);
    free(so);
    free(se);
    json_t *res = e2e_results(out);
    cr_assert_not_null(res);
    json_t *targets = e2e_targets(res); /* takes res */
    size_t lost = 0, not_run = 0, i;
    json_t *r;
    json_array_foreach(targets, i, r)
    {
        lost += json_object_get(r, "write_error") != NULL;
        not_run += strcmp(json_string_value(json_object_get(r, "outcome")), "not-run") == 0;
    }
    cr_expect_geq(lost, 1);
    cr_expect_geq(not_run, 1, "the run went on after a lost capture");
    json_decref(targets);
}
