/* deferred_file: the file is made at close or by a flush after spill_ms, never lost. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "deferred_file.h"

#define NEVER 3600000u /* an hour: no flush of a test spills */

/* A fresh folder in dir (64 bytes) and path (128 bytes) = that folder/name. */
static void temp_path(char *dir, char *path, const char *name)
{
    snprintf(dir, 64, "/tmp/tlsrig-deferred-log-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, 128, "%s/%s", dir, name);
}

static void remove_all(const char *dir, const char *path)
{
    unlink(path);
    rmdir(dir);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(1 << 20);
    *len = fread(buf, 1, 1 << 20, f);
    fclose(f);
    return buf;
}

/* The file holds exactly want (len bytes). */
static void expect_file(const char *path, const char *want, size_t want_len)
{
    size_t len = 0;
    char *got = slurp(path, &len);
    cr_assert_not_null(got, "%s was not made", path);
    cr_expect_eq(len, want_len, "%s: %zu bytes, not %zu", path, len, want_len);
    cr_expect_eq(memcmp(got, want, len < want_len ? len : want_len), 0, "%s differs", path);
    free(got);
}

static bool made(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

Test(deferred_file, a_short_log_is_made_at_close_byte_for_byte)
{
    char dir[64], path[128];
    temp_path(dir, path, "a.log");
    deferred_file_t *d = deferred_file_open(path, NEVER);
    cr_assert_not_null(d);
    FILE *f = deferred_file_stream(d);
    /* More than stdio's buffer, so its writes reach the memory, then a flush. */
    static char want[20005];
    for (size_t i = 0; i < 20000; i++)
        want[i] = (char)('a' + i % 26);
    memcpy(want + 20000, "tail\n", 5);
    cr_assert_eq(fwrite(want, 1, 20000, f), 20000);
    cr_assert_eq(fputs("tail\n", f) >= 0, true);
    cr_assert_eq(fflush(f), 0);
    cr_expect_not(made(path), "the file is made before close");
    cr_assert_eq(deferred_file_close(d), 0);
    expect_file(path, want, sizeof want);
    remove_all(dir, path);
}

Test(deferred_file, a_flush_after_spill_ms_makes_the_file_and_writes_go_on)
{
    char dir[64], path[128];
    temp_path(dir, path, "b.log");
    deferred_file_t *d = deferred_file_open(path, 0);
    FILE *f = deferred_file_stream(d);
    fputs("first\n", f);
    cr_assert_eq(fflush(f), 0);
    /* a flush past spill_ms makes the file (a long scenario's tail -f) */
    expect_file(path, "first\n", 6);
    fputs("second\n", f);
    cr_assert_eq(deferred_file_close(d), 0);
    expect_file(path, "first\nsecond\n", 13);
    remove_all(dir, path);
}

Test(deferred_file, a_file_that_cannot_be_made_is_an_error_at_close)
{
    deferred_file_t *d = deferred_file_open("/nonexistent-tlsrig-dir/c.log", NEVER);
    cr_assert_not_null(d);
    fputs("lost\n", deferred_file_stream(d));
    cr_expect_eq(deferred_file_close(d), ENOENT);
}

Test(deferred_file, a_full_disk_is_an_error_at_close_and_after_a_spill)
{
    deferred_file_t *d = deferred_file_open("/dev/full", NEVER);
    fputs("lost\n", deferred_file_stream(d));
    cr_expect_eq(deferred_file_close(d), ENOSPC);

    d = deferred_file_open("/dev/full", 0);
    FILE *f = deferred_file_stream(d);
    fputs("lost\n", f);
    cr_expect_neq(fflush(f), 0, "the write after the spill fails and stdio says so");
    cr_expect_eq(deferred_file_close(d), ENOSPC);
}

Test(deferred_file, an_empty_log_is_an_empty_file)
{
    char dir[64], path[128];
    temp_path(dir, path, "e.log");
    cr_assert_eq(deferred_file_close(deferred_file_open(path, NEVER)), 0);
    struct stat st;
    cr_assert_eq(stat(path, &st), 0);
    cr_expect_eq(st.st_size, 0);
    remove_all(dir, path);
}

Test(deferred_file, spill_makes_the_file_now_and_a_user_closed_stream_still_lands)
{
    char dir[64], path[128];
    temp_path(dir, path, "s.log");
    deferred_file_t *d = deferred_file_open(path, NEVER);
    FILE *f = deferred_file_stream(d);
    fputs("before\n", f);
    cr_assert_eq(deferred_file_spill(d), 0);
    expect_file(path, "before\n", 7); /* spill makes the file */
    fputs("after\n", f);
    /* A writer that owns its stream closes it (pcap_writer): what it held still lands. */
    cr_assert_eq(fclose(f), 0);
    cr_assert_eq(deferred_file_close(d), 0);
    expect_file(path, "before\nafter\n", 13);
    remove_all(dir, path);
}

static const char *folder_of(void *ctx)
{
    int *calls = ctx;
    (*calls)++;
    errno = EACCES;
    return *calls > 1 ? "/tmp" : NULL;
}

Test(deferred_file, the_folder_is_asked_when_the_file_is_made_and_its_failure_is_the_error)
{
    int calls = 0;
    deferred_file_t *d = deferred_file_open_in(folder_of, &calls, "x.log", NEVER);
    fputs("lost\n", deferred_file_stream(d));
    cr_expect_eq(calls, 0, "nothing is made before it is needed");
    cr_expect_eq(deferred_file_close(d), EACCES);
    cr_expect_eq(calls, 1);
}

Test(deferred_file, more_than_keep_max_makes_the_file_at_once)
{
    char dir[64], path[128];
    temp_path(dir, path, "big.log");
    deferred_file_t *d = deferred_file_open(path, NEVER);
    FILE *f = deferred_file_stream(d);
    static char block[65536];
    memset(block, 'x', sizeof block);
    for (size_t i = 0; i < DEFERRED_FILE_KEEP_MAX / sizeof block + 2; i++)
        cr_assert_eq(fwrite(block, 1, sizeof block, f), sizeof block);
    cr_assert_eq(fflush(f), 0);
    struct stat st;
    cr_assert_eq(stat(path, &st), 0, "more than DEFERRED_FILE_KEEP_MAX is on disk before close");
    cr_expect_eq((size_t)st.st_size, (DEFERRED_FILE_KEEP_MAX / sizeof block + 2) * sizeof block);
    cr_assert_eq(deferred_file_close(d), 0);
    remove_all(dir, path);
}
