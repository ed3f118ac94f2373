/* The history database: created and migrated in place; a missing, foreign, malformed or
 * newer file is refused with a status that says so and is left untouched; a writer that
 * finds the database locked past its timeout fails with an infrastructure error, and the
 * database keeps nothing of the half-done run. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "history_db.h"
#include "history_fixture.h"
#include "history_record.h"

static long long scalar(const char *db_path, const char *sql)
{
    sqlite3 *db;
    cr_assert_eq(sqlite3_open(db_path, &db), SQLITE_OK);
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static void journal_mode(const char *db_path, char *out, size_t cap)
{
    sqlite3 *db;
    cr_assert_eq(sqlite3_open(db_path, &db), SQLITE_OK);
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
    snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void exec(const char *db_path, const char *sql)
{
    sqlite3 *db;
    cr_assert_eq(sqlite3_open(db_path, &db), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
    sqlite3_close(db);
}

Test(history_db, created_with_our_id_and_the_current_schema)
{
    char dir[4096], path[4200], err[1200];
    hf_tmpdir("create", dir, sizeof dir);
    snprintf(path, sizeof path, "%s/h.sqlite", dir);
    history_db_t h;
    cr_assert_eq(history_open(&h, path, false, err, sizeof err), HISTORY_EUSAGE,
                 "a missing file without create is a usage error");
    cr_assert(strstr(err, "no history database"), "%s", err);
    cr_assert_eq(history_open(&h, path, true, err, sizeof err), HISTORY_OK, "%s", err);
    cr_assert_eq(h.schema_before, 0);
    history_close(&h);
    cr_assert_eq(scalar(path, "PRAGMA application_id"), HISTORY_APPLICATION_ID);
    cr_assert_eq(scalar(path, "PRAGMA user_version"), HISTORY_SCHEMA_VERSION);
    char mode[16];
    journal_mode(path, mode, sizeof mode);
    cr_assert_str_eq(mode, "wal", "readers must not block the writer of a run's end");
    cr_assert_eq(scalar(path, "SELECT count(*) FROM pragma_table_info('results') "
                              "WHERE name = 'image_ram'"),
                 1);
    /* Opening again changes nothing. */
    cr_assert_eq(history_open(&h, path, false, err, sizeof err), HISTORY_OK, "%s", err);
    cr_assert_eq(h.schema_before, HISTORY_SCHEMA_VERSION);
    history_close(&h);
}

Test(history_db, a_version_1_file_is_migrated_and_keeps_its_runs)
{
    char dir[4096], path[4200], err[1200];
    hf_tmpdir("migrate", dir, sizeof dir);
    snprintf(path, sizeof path, "%s/h.sqlite", dir);
    history_db_t h;
    cr_assert_eq(history_open(&h, path, true, err, sizeof err), HISTORY_OK, "%s", err);
    history_close(&h);
    /* Back to version 1 as an older tlsrig left it: no image_ram, no indexes. */
    exec(path, "DROP INDEX results_key; DROP INDEX runs_started;"
               "ALTER TABLE results DROP COLUMN image_ram; PRAGMA user_version = 1;"
               "INSERT INTO runs (uid, cut_short, results, recorded_at, source) "
               "VALUES ('old', 0, 0, '2026-01-01T00:00:00Z', 'run')");
    cr_assert_eq(scalar(path, "SELECT count(*) FROM pragma_table_info('results') "
                              "WHERE name = 'image_ram'"),
                 0);
    cr_assert_eq(history_open(&h, path, false, err, sizeof err), HISTORY_OK, "%s", err);
    cr_assert_eq(h.schema_before, 1);
    history_close(&h);
    cr_assert_eq(scalar(path, "PRAGMA user_version"), 2);
    cr_assert_eq(scalar(path, "SELECT count(*) FROM pragma_table_info('results') "
                              "WHERE name = 'image_ram'"),
                 1);
    cr_assert_eq(scalar(path, "SELECT count(*) FROM sqlite_schema WHERE name = 'results_key'"), 1);
    cr_assert_eq(scalar(path, "SELECT count(*) FROM runs WHERE uid = 'old'"), 1);
}

Test(history_db, foreign_garbage_truncated_and_newer_files_are_refused_untouched)
{
    char dir[4096], path[4200], err[1200];
    hf_tmpdir("refuse", dir, sizeof dir);
    history_db_t h;

    /* Another program's database. */
    snprintf(path, sizeof path, "%s/other.sqlite", dir);
    exec(path, "CREATE TABLE mail (id INTEGER); PRAGMA application_id = 1234");
    cr_assert_eq(history_open(&h, path, true, err, sizeof err), HISTORY_EUSAGE);
    cr_assert(strstr(err, "another program"), "%s", err);
    cr_assert_eq(scalar(path, "SELECT count(*) FROM sqlite_schema WHERE name = 'runs'"), 0);

    /* Not SQLite at all. */
    snprintf(path, sizeof path, "%s/garbage.sqlite", dir);
    static const char text[] =
        "this is a text file, not a database, long enough to look like a header.......\n";
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs(text, f);
    fclose(f);
    cr_assert_eq(history_open(&h, path, true, err, sizeof err), HISTORY_EUSAGE);
    cr_assert(strstr(err, "not a readable tlsrig history"), "%s", err);
    struct stat sb;
    cr_assert_eq(stat(path, &sb), 0);
    cr_assert_eq((size_t)sb.st_size, strlen(text), "the file was changed");

    /* A real history cut short after its first page. */
    char good[4200];
    snprintf(good, sizeof good, "%s/good.sqlite", dir);
    cr_assert_eq(history_open(&h, good, true, err, sizeof err), HISTORY_OK, "%s", err);
    history_close(&h);
    exec(good, "PRAGMA journal_mode = DELETE"); /* everything into the main file */
    long long page = scalar(good, "PRAGMA page_size");
    snprintf(path, sizeof path, "%s/truncated.sqlite", dir);
    char cmd[9000];
    snprintf(cmd, sizeof cmd, "head -c %lld '%s' > '%s'", page, good, path);
    cr_assert_eq(system(cmd), 0);
    history_status_t st = history_open(&h, path, true, err, sizeof err);
    if (st == HISTORY_OK) {
        /* The header page alone may open; the first use of a lost page must fail as usage. */
        history_recorded_t rec;
        char rundir[4200];
        snprintf(rundir, sizeof rundir, "%s/run", dir);
        hf_write_run(rundir, "2026-11-01T00:00:00Z",
                     json_pack("[o]", hf_result("a", "sw", "pass", 10.0, 100)));
        st = history_record_dir(&h, rundir, "import", &rec, err, sizeof err);
        history_close(&h);
    }
    cr_assert_eq(st, HISTORY_EUSAGE, "truncated: %s", err);

    /* Written by a newer tlsrig. */
    snprintf(path, sizeof path, "%s/newer.sqlite", dir);
    cr_assert_eq(history_open(&h, path, true, err, sizeof err), HISTORY_OK, "%s", err);
    history_close(&h);
    exec(path, "PRAGMA user_version = 99");
    cr_assert_eq(history_open(&h, path, true, err, sizeof err), HISTORY_EUSAGE);
    cr_assert(strstr(err, "newer"), "%s", err);
    cr_assert_eq(scalar(path, "PRAGMA user_version"), 99);
}

Test(history_db, a_writer_locked_out_past_its_timeout_fails_as_infrastructure)
{
    char dir[4096], path[4200], rundir[4200], err[1200];
    hf_tmpdir("locked", dir, sizeof dir);
    snprintf(path, sizeof path, "%s/h.sqlite", dir);
    snprintf(rundir, sizeof rundir, "%s/run", dir);
    hf_write_run(rundir, "2026-11-01T00:00:00Z",
                 json_pack("[o]", hf_result("a", "sw", "pass", 10.0, 100)));
    setenv("TLSRIG_HISTORY_BUSY_MS", "100", 1);
    history_db_t h;
    cr_assert_eq(history_open(&h, path, true, err, sizeof err), HISTORY_OK, "%s", err);
    sqlite3 *other;
    cr_assert_eq(sqlite3_open(path, &other), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(other, "BEGIN EXCLUSIVE", NULL, NULL, NULL), SQLITE_OK);
    history_recorded_t rec;
    cr_assert_eq(history_record_dir(&h, rundir, "run", &rec, err, sizeof err), HISTORY_EINFRA);
    cr_assert(strstr(err, "locked by another writer"), "%s", err);
    cr_assert_eq(rec.run_id, 0);
    sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(other);
    /* Once the other writer is gone the same run lands, whole. */
    cr_assert_eq(history_record_dir(&h, rundir, "run", &rec, err, sizeof err), HISTORY_OK, "%s",
                 err);
    cr_assert_eq(rec.results, 1);
    history_close(&h);
    cr_assert_eq(scalar(path, "SELECT count(*) FROM runs"), 1);
    unsetenv("TLSRIG_HISTORY_BUSY_MS");
}
