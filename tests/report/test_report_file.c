/* report_file deferral: the reports of a run are written, then synced
 * together; a final name only appears once its content is complete and
 * synced, and a failure names the file and leaves no temporary behind. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <pthread.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report_file.h"

static char dir[512];

static void setup(void)
{
    snprintf(dir, sizeof dir, "%s/report-file-XXXXXX",
             getenv("TLSRIG_BUILD_DIR") ? getenv("TLSRIG_BUILD_DIR") : "/tmp");
    cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_expect_eq(system(cmd), 0);
}

TestSuite(report_file, .init = setup, .fini = teardown);

static bool exists(const char *name)
{
    char path[700];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    struct stat st;
    return stat(path, &st) == 0;
}

static size_t temporaries(void)
{
    size_t n = 0;
    DIR *d = opendir(dir);
    cr_assert_not_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        n += strstr(e->d_name, ".tmp-") != NULL;
    closedir(d);
    return n;
}

static void write_one(const char *name, const char *text)
{
    report_file_t rf;
    char err[256];
    cr_assert_eq(report_file_open(&rf, dir, name, err, sizeof err), 0, "%s", err);
    cr_assert_geq(fputs(text, rf.f), 0);
    cr_assert_eq(report_file_commit(&rf, err, sizeof err), 0, "%s", err);
}

Test(report_file, deferred_files_appear_complete_when_settled)
{
    report_files_defer();
    write_one("a.txt", "alpha\n");
    write_one("b.txt", "beta\n");
    cr_expect(!exists("a.txt") && !exists("b.txt"), "no final name before the sync");
    char err[256] = "";
    cr_assert_eq(report_files_settle(err, sizeof err), 0, "%s", err);
    char path[700], buf[32] = "";
    snprintf(path, sizeof path, "%s/b.txt", dir);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f);
    cr_expect_not_null(fgets(buf, sizeof buf, f));
    fclose(f);
    cr_expect_str_eq(buf, "beta\n");
    cr_expect(exists("a.txt"));
    cr_expect_eq(temporaries(), 0);
    /* Settled: the next commit is synced and renamed at once again. */
    write_one("c.txt", "gamma\n");
    cr_expect(exists("c.txt"));
}

Test(report_file, a_failure_names_the_file_and_keeps_the_others)
{
    char blocker[700];
    snprintf(blocker, sizeof blocker, "%s/b.txt", dir);
    cr_assert_eq(mkdir(blocker, 0755), 0); /* a non-empty directory: rename fails */
    snprintf(blocker, sizeof blocker, "%s/b.txt/inside", dir);
    cr_assert_eq(mkdir(blocker, 0755), 0);
    report_files_defer();
    write_one("a.txt", "alpha\n");
    write_one("b.txt", "beta\n");
    char err[256] = "";
    cr_expect_eq(report_files_settle(err, sizeof err), -1);
    cr_expect(strstr(err, "b.txt") != NULL, "%s", err);
    cr_expect(exists("a.txt"), "the other report is still written");
    cr_expect_eq(temporaries(), 0, "no temporary left behind");
}

/* issue 16: report.html is written on a thread of its own beside the other reports, so
 * commits come from two threads while deferring: every one is kept, synced and renamed. */
static void *write_three(void *arg)
{
    const char *prefix = arg;
    for (int i = 0; i < 3; i++) {
        char name[32], text[32];
        snprintf(name, sizeof name, "%s%d.txt", prefix, i);
        snprintf(text, sizeof text, "%s %d\n", prefix, i);
        write_one(name, text);
    }
    return NULL;
}

Test(report_file, commits_from_two_threads_are_all_settled)
{
    report_files_defer();
    pthread_t t;
    cr_assert_eq(pthread_create(&t, NULL, write_three, "x"), 0);
    write_three("y");
    pthread_join(t, NULL);
    char err[256] = "";
    cr_assert_eq(report_files_settle(err, sizeof err), 0, "%s", err);
    for (int i = 0; i < 3; i++) {
        char x[16], y[16];
        snprintf(x, sizeof x, "x%d.txt", i);
        snprintf(y, sizeof y, "y%d.txt", i);
        cr_expect(exists(x) && exists(y), "%s or %s missing", x, y);
    }
    cr_expect_eq(temporaries(), 0);
}
