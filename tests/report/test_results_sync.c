/* results.jsonl's background fdatasync (results_sync.h): every line written
 * before append returns, the close waits for the last sync, and a failed
 * sync is never silent. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "results_log.h"
#include "results_sync.h"

Test(results_sync, every_line_is_in_the_file_after_close)
{
    char dir[] = "/tmp/tlsrig-sync-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    results_log_t log;
    bool exists = false;
    char err[512];
    cr_assert_eq(results_log_create(&log, dir, &exists, err, sizeof err), 0, "%s", err);
    for (int i = 0; i < 200; i++) {
        json_t *r = json_pack("{s:s, s:i}", "scenario", "x", "n", i);
        cr_assert_eq(results_log_append(&log, r, err, sizeof err), 0, "%s", err);
        json_decref(r);
    }
    cr_assert_eq(results_log_close(&log, err, sizeof err), 0, "%s", err);
    cr_expect_null(log.sync);
    run_log_t parsed;
    cr_assert_eq(results_log_load(dir, &parsed, err, sizeof err), 0, "%s", err);
    cr_expect_eq(json_array_size(parsed.results), 200);
    cr_expect_eq(parsed.skipped, 0);
    run_log_free(&parsed);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_expect_eq(system(cmd), 0);
}

Test(results_sync, a_failed_sync_is_reported_by_the_close)
{
    int fd = open("/dev/null", O_WRONLY);
    cr_assert_geq(fd, 0);
    results_sync_t *s = results_sync_start(fd);
    cr_assert_not_null(s);
    cr_assert_eq(close(fd), 0); /* the syncer's fdatasync now fails: EBADF */
    char err[256] = "";
    cr_assert_eq(results_sync_request(s, "results.jsonl", err, sizeof err), 0);
    cr_expect_eq(results_sync_finish(s, "results.jsonl", err, sizeof err), -1);
    cr_expect(strstr(err, "results.jsonl: fdatasync failed") != NULL, "%s", err);
}
