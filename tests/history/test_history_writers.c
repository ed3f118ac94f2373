/* Parallel CI jobs writing to one history: four processes record their runs at the same
 * moment (released together through a pipe), and all four runs land whole. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "history_db.h"
#include "history_fixture.h"
#include "history_record.h"

#define WRITERS 4
#define RESULTS 40

Test(history_writers, four_writers_at_once_all_land)
{
    char dir[4096], db[4200];
    hf_tmpdir("writers", dir, sizeof dir);
    snprintf(db, sizeof db, "%s/h.sqlite", dir);
    for (int w = 0; w < WRITERS; w++) {
        char run[4200], when[32];
        snprintf(run, sizeof run, "%s/run%d", dir, w);
        snprintf(when, sizeof when, "2026-11-2%dT10:00:00Z", w);
        json_t *rs = json_array();
        for (int k = 0; k < RESULTS; k++) {
            char name[32];
            snprintf(name, sizeof name, "s%02d", k);
            json_array_append_new(rs, hf_result(name, "sw", "pass", 10.0, 1000));
        }
        hf_write_run(run, when, rs);
    }
    int gate[2];
    cr_assert_eq(pipe(gate), 0);
    pid_t pids[WRITERS];
    for (int w = 0; w < WRITERS; w++) {
        pids[w] = fork();
        cr_assert_neq(pids[w], -1);
        if (pids[w] == 0) {
            close(gate[1]);
            char c;
            (void)!read(gate[0], &c, 1); /* returns 0 when the parent closes the gate */
            char run[4200], err[1200];
            snprintf(run, sizeof run, "%s/run%d", dir, w);
            history_db_t h;
            history_recorded_t rec;
            /* Every writer also creates the file if it is first: the migration must queue too. */
            int st = history_open(&h, db, true, err, sizeof err);
            if (st == HISTORY_OK) {
                st = history_record_dir(&h, run, "run", &rec, err, sizeof err);
                history_close(&h);
            }
            if (st != HISTORY_OK) {
                fprintf(stderr, "writer %d: %s\n", w, err);
            }
            _exit(st == HISTORY_OK && rec.results == RESULTS ? 0 : 1);
        }
    }
    close(gate[0]);
    close(gate[1]); /* all go */
    for (int w = 0; w < WRITERS; w++) {
        int status;
        cr_assert_eq(waitpid(pids[w], &status, 0), pids[w]);
        cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "writer %d failed", w);
    }
    sqlite3 *s;
    cr_assert_eq(sqlite3_open(db, &s), SQLITE_OK);
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(s,
                                    "SELECT (SELECT count(*) FROM runs), "
                                    "(SELECT count(*) FROM results)",
                                    -1, &st, NULL),
                 SQLITE_OK);
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
    cr_assert_eq(sqlite3_column_int(st, 0), WRITERS);
    cr_assert_eq(sqlite3_column_int(st, 1), WRITERS * RESULTS);
    sqlite3_finalize(st);
    sqlite3_close(s);
}
