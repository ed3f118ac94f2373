/* The run history end to end, as a user runs it: two runs recorded with --history, listed by
 * `tlsrig history --json`; a third identical run compares equal with the history and a run
 * with an injected hw fault is a regression named by its scenario; report.html shows trends;
 * a database that cannot take a run stops the run before it starts. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "e2e_util.h"

#define SCENARIO "happy-ecdhe-rsa-aes128-gcm-p256"

static void run_into(const char *dir, const char *name, const char *db, const char *fault, int want)
{
    char out[4200], log[4300];
    snprintf(out, sizeof out, "%s/%s", dir, name);
    snprintf(log, sizeof log, "%s/%s.stdout", dir, name);
    const char *args[16] = {"run",       "--board", "sim",     "--scenario", SCENARIO,
                            "--backend", "both",    "--quiet", "--out",      out};
    size_t n = 10;
    if (db) {
        args[n++] = "--history";
        args[n++] = db;
    } else {
        args[n++] = "--no-history";
    }
    if (fault) {
        args[n++] = "--inject-fault";
        args[n++] = fault;
    }
    args[n] = NULL;
    cr_assert_eq(e2e_run(log, args), want, "tlsrig run %s", name);
}

Test(history_e2e, runs_recorded_listed_compared_and_charted, .timeout = 300)
{
    char dir[4096], db[4200], out[4300], path[4400];
    e2e_tmpdir("history-e2e", dir, sizeof dir);
    snprintf(db, sizeof db, "%s/history.sqlite", dir);
    run_into(dir, "r1", db, NULL, 0);
    run_into(dir, "r2", db, NULL, 0);

    snprintf(out, sizeof out, "%s/history.json.out", dir);
    const char *list[] = {"history", "--history", db, "--json", NULL};
    cr_assert_eq(e2e_run(out, list), 0);
    json_error_t je;
    json_t *q = json_load_file(out, 0, &je);
    cr_assert(q, "%s", je.text);
    cr_assert_eq(json_integer_value(json_object_get(q, "runs")), 2);
    size_t i, series = 0;
    const json_t *s;
    json_array_foreach(json_object_get(q, "series"), i, s)
    {
        if (!strcmp(json_string_value(json_object_get(s, "scenario")), SCENARIO)) {
            series++;
            cr_assert_eq(json_array_size(json_object_get(s, "points")), 2);
            cr_assert_str_eq(json_string_value(json_array_get(json_object_get(s, "outcomes"), 1)),
                             "pass");
        }
    }
    cr_assert_eq(series, 2, "one series per backend");
    json_decref(q);

    /* A third identical run: recorded, then compared with the history (itself left out). */
    run_into(dir, "r3", db, NULL, 0);
    char r3[4200];
    snprintf(r3, sizeof r3, "%s/r3", dir);
    snprintf(out, sizeof out, "%s/compare-r3.out", dir);
    const char *cmp_same[] = {"compare", "--baseline-history", db, r3, NULL};
    cr_assert_eq(e2e_run(out, cmp_same), 0, "an identical run has no regression");
    char *text = e2e_slurp(out);
    cr_assert(strstr(text, "no regression"), "%s", text);
    free(text);

    /* report.html of the third run charts its three-run history. */
    snprintf(path, sizeof path, "%s/report.html", r3);
    text = e2e_slurp(path);
    cr_assert(text && strstr(text, "<h2>History</h2>") && strstr(text, "svg class=spark"),
              "report.html has no trend charts");
    free(text);
    snprintf(path, sizeof path, "%s/summary.md", r3);
    text = e2e_slurp(path);
    cr_assert(text && strstr(text, "## History"), "summary.md has no history section");
    free(text);

    /* An injected hw driver fault: a regression, named. */
    run_into(dir, "fault", NULL, "aes-key-interleave", 1);
    char fault[4200];
    snprintf(fault, sizeof fault, "%s/fault", dir);
    snprintf(out, sizeof out, "%s/compare-fault.out", dir);
    const char *cmp_fault[] = {"compare", "--baseline-history", db, fault, NULL};
    cr_assert_eq(e2e_run(out, cmp_fault), 1);
    text = e2e_slurp(out);
    cr_assert(strstr(text, "NEW FAILURES") && strstr(text, SCENARIO "|hw|sim"), "%s", text);
    cr_assert(strstr(text, "REGRESSION"), "%s", text);
    free(text);

    /* The fault run is not in the history: its report cannot be given one. */
    const char *rep[] = {"report", fault, "--history", db, NULL};
    cr_assert_eq(e2e_run(out, rep), 2);
}

Test(history_e2e, a_database_that_cannot_take_the_run_stops_it_before_it_starts, .timeout = 120)
{
    char dir[4096], db[4200], out[4300], errf[4300], rundir[4200];
    e2e_tmpdir("history-bad", dir, sizeof dir);
    snprintf(db, sizeof db, "%s/not-a-db.sqlite", dir);
    FILE *f = fopen(db, "w");
    cr_assert(f);
    fputs("SQLite format 2, or rather: a text file that only looks like one, and more text\n", f);
    fclose(f);
    snprintf(rundir, sizeof rundir, "%s/run", dir);
    snprintf(out, sizeof out, "%s/run.out", dir);
    snprintf(errf, sizeof errf, "%s/run.err", dir);
    const char *args[] = {"run",   "--board", "sim",       "--scenario", SCENARIO, "--quiet",
                          "--out", rundir,    "--history", db,           NULL};
    cr_assert_eq(e2e_run_err(out, errf, args), 2);
    char *text = e2e_slurp(errf);
    cr_assert(strstr(text, "not a readable tlsrig history"), "%s", text);
    free(text);
    struct stat sb;
    cr_assert_neq(stat(rundir, &sb), 0, "nothing ran, no run folder");
    snprintf(db, sizeof db, "%s/missing.sqlite", dir);
    const char *list[] = {"history", "--history", db, NULL};
    cr_assert_eq(e2e_run_err(out, errf, list), 2);
}
