/* results.jsonl's mirror (results_log.h): the lines as parsed when written must be what
 * reading the file back gives, or the run's reports would differ from `tlsrig report`'s. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "results_log.h"

static void remove_dir(const char *dir)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_expect_eq(system(cmd), 0);
}

static void append(results_log_t *log, json_t *line)
{
    char err[512];
    cr_assert_eq(results_log_append(log, line, err, sizeof err), 0, "%s", err);
    json_decref(line);
}

/* A new results.jsonl in a new folder named by dir (a mkdtemp template). */
static void create_log(char *dir, results_log_t *log)
{
    cr_assert_not_null(mkdtemp(dir));
    bool exists = false;
    char err[512];
    cr_assert_eq(results_log_create(log, dir, &exists, err, sizeof err), 0, "%s", err);
}

Test(results_mirror, holds_what_reading_the_file_back_gives)
{
    char dir[] = "/tmp/tlsrig-mirror-XXXXXX";
    results_log_t log;
    create_log(dir, &log);
    char err[512];
    append(&log, json_pack("{s:s, s:i}", "record", "run-start", "planned", 3));
    /* Reals that do not survive 15 digits unchanged: the mirror must hold the digits. */
    append(&log, json_pack("{s:s, s:f}", "scenario", "a", "duration_ms", 0.1 + 0.2));
    append(&log, json_pack("{s:s, s:f}", "scenario", "b", "duration_ms", 1.0 / 3.0));
    append(&log, json_pack("{s:s}", "record", "not-a-kind-we-know")); /* skipped on reading */
    append(&log, json_pack("{s:s, s:b}", "record", "run-end", "complete", 1));

    run_log_t mirror;
    cr_assert(results_log_take_mirror(&log, &mirror));
    cr_assert_eq(results_log_close(&log, err, sizeof err), 0, "%s", err);
    run_log_t file;
    cr_assert_eq(results_log_load(dir, &file, err, sizeof err), 0, "%s", err);
    cr_expect_eq(json_array_size(mirror.results), 2);
    cr_expect_eq(json_array_size(mirror.records), 2);
    cr_expect_eq(mirror.skipped, 1);
    cr_expect_eq(mirror.skipped, file.skipped);
    cr_expect(json_equal(mirror.results, file.results));
    cr_expect(json_equal(mirror.records, file.records));
    /* The same reals, not merely close ones: equal dumps. */
    char *a = json_dumps(mirror.results, JSON_SORT_KEYS | JSON_REAL_PRECISION(17));
    char *b = json_dumps(file.results, JSON_SORT_KEYS | JSON_REAL_PRECISION(17));
    cr_expect_str_eq(a, b);
    free(a);
    free(b);
    run_log_free(&mirror);
    run_log_free(&file);
    remove_dir(dir);
}

/* create_log, and one result line in it. */
static void create_log_with_one_result(char *dir, results_log_t *log)
{
    create_log(dir, log);
    append(log, json_pack("{s:s}", "scenario", "a"));
}

Test(results_mirror, is_given_once)
{
    char dir[] = "/tmp/tlsrig-mirror-XXXXXX";
    results_log_t log;
    create_log_with_one_result(dir, &log);
    char err[512];
    run_log_t first, second;
    cr_assert(results_log_take_mirror(&log, &first));
    cr_expect_eq(json_array_size(first.results), 1);
    cr_expect_not(results_log_take_mirror(&log, &second));
    cr_expect_null(second.results);
    run_log_free(&first);
    cr_assert_eq(results_log_close(&log, err, sizeof err), 0, "%s", err);
    remove_dir(dir);
}

Test(results_mirror, a_failed_write_sends_the_reader_to_the_file)
{
    char dir[] = "/tmp/tlsrig-mirror-XXXXXX";
    results_log_t log;
    create_log_with_one_result(dir, &log);
    char err[512];
    /* The file's descriptor gone: the next write fails, whatever the file holds now is
     * known only by reading it. */
    int fd = log.fd;
    cr_assert_eq(close(fd), 0);
    json_t *line = json_pack("{s:s}", "scenario", "b");
    cr_expect_neq(results_log_append(&log, line, err, sizeof err), 0);
    json_decref(line);
    run_log_t mirror;
    cr_expect_not(results_log_take_mirror(&log, &mirror));
    cr_expect_null(mirror.results);
    log.fd = -1; /* already closed above */
    (void)results_log_close(&log, err, sizeof err);
    remove_dir(dir);
}
