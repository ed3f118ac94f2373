/* image_build() with the input list and the verification (image_stamp.h),
 * in a build folder that has no build system: `cmake --build` fails there,
 * so image_build() returning 0 proves it did not run, and a stale image is
 * refused exactly as a failed build always was. File times are set
 * explicitly (utimensat): nothing waits for the clock. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "flasher.h"
#include "image_stamp.h"

#define TARGET "tlsrig-agent-test"

static char dir[512], image[700], header[700], source[700], log_path[700];

static void make_file(const char *path, time_t when)
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "%s", path);
    fputs("x\n", f);
    cr_assert_eq(fclose(f), 0);
    struct timespec t[2] = {{.tv_sec = when}, {.tv_sec = when}};
    cr_assert_eq(utimensat(AT_FDCWD, path, t, 0), 0, "%s", path);
}

static void set_time(const char *path, time_t when)
{
    struct timespec t[2] = {{.tv_sec = when}, {.tv_sec = when}};
    cr_assert_eq(utimensat(AT_FDCWD, path, t, 0), 0, "%s", path);
}

/* Image, two inputs (t=1000), their list (t=2000), verified at t=3000. */
static void setup(void)
{
    snprintf(dir, sizeof dir, "%s/image-stamp-XXXXXX",
             getenv("TLSRIG_BUILD_DIR") ? getenv("TLSRIG_BUILD_DIR") : "/tmp");
    cr_assert_not_null(mkdtemp(dir));
    char images[600];
    snprintf(images, sizeof images, "%s/images", dir);
    cr_assert_eq(mkdir(images, 0755), 0);
    snprintf(image, sizeof image, "%s/" TARGET, images);
    snprintf(header, sizeof header, "%s/agent.h", dir);
    snprintf(source, sizeof source, "%s/agent.c", dir);
    snprintf(log_path, sizeof log_path, "%s/build.log", dir);
    make_file(header, 1000);
    make_file(source, 1000);
    make_file(image, 1500);
    char list[800];
    snprintf(list, sizeof list, "%s.inputs", image);
    FILE *f = fopen(list, "w");
    cr_assert_not_null(f);
    fprintf(f, "%s\n%s\n", header, source);
    cr_assert_eq(fclose(f), 0);
    set_time(list, 2000);
    char verified[800];
    snprintf(verified, sizeof verified, "%s.verified", image);
    make_file(verified, 3000);
}

static void teardown(void)
{
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_expect_eq(system(cmd), 0);
}

static char *log_text(void)
{
    static char buf[8192];
    FILE *f = fopen(log_path, "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    buf[n] = '\0';
    if (f) {
        fclose(f);
    }
    return buf;
}

TestSuite(image_stamp, .init = setup, .fini = teardown);

Test(image_stamp, current_image_skips_cmake)
{
    char err[512];
    cr_assert_eq(image_build(dir, TARGET, log_path, err, sizeof err), 0, "%s", err);
    cr_expect(strstr(log_text(), "current, cmake --build not run: its 2 inputs") != NULL, "%s",
              log_text());
}

Test(image_stamp, changed_input_runs_cmake_and_a_failed_build_is_refused)
{
    set_time(header, 3000); /* same instant as the verification: not older */
    char err[512];
    cr_assert_eq(image_build(dir, TARGET, log_path, err, sizeof err), -1);
    cr_expect(strstr(err, "building " TARGET " failed") != NULL, "%s", err);
    cr_expect(strstr(log_text(), "agent.h: changed since the last build") != NULL, "%s",
              log_text());
    /* The failed build removed the verification: the next run builds too. */
    size_t n;
    char why[600];
    cr_expect_not(image_stamp_current(image, &n, why, sizeof why));
    cr_expect(strstr(why, "no earlier build") != NULL, "%s", why);
}

Test(image_stamp, removed_input_is_stale)
{
    cr_assert_eq(unlink(source), 0);
    size_t n;
    char why[600];
    cr_expect_not(image_stamp_current(image, &n, why, sizeof why));
    cr_expect(strstr(why, "agent.c: gone") != NULL, "%s", why);
}

Test(image_stamp, list_rewritten_by_a_later_build_is_stale)
{
    char list[800];
    snprintf(list, sizeof list, "%s.inputs", image);
    set_time(list, 4000);
    size_t n;
    char why[600];
    cr_expect_not(image_stamp_current(image, &n, why, sizeof why));
    cr_expect(strstr(why, "rewritten by a build") != NULL, "%s", why);
}

Test(image_stamp, no_list_or_no_verification_is_stale)
{
    char path[800];
    snprintf(path, sizeof path, "%s.verified", image);
    cr_assert_eq(unlink(path), 0);
    size_t n;
    char why[600];
    cr_expect_not(image_stamp_current(image, &n, why, sizeof why));
    make_file(path, 3000);
    cr_expect(image_stamp_current(image, &n, why, sizeof why), "%s", why);
    cr_expect_eq(n, 2);
    snprintf(path, sizeof path, "%s.inputs", image);
    cr_assert_eq(unlink(path), 0);
    cr_expect_not(image_stamp_current(image, &n, why, sizeof why));
}

Test(image_stamp, successful_build_leaves_a_verification_from_before_it)
{
    /* begin + verified(true) is what a successful `cmake --build` leaves:
     * the verification's time is when the build began, before anything
     * edited during it. */
    char path[800];
    snprintf(path, sizeof path, "%s.verified", image);
    cr_assert_eq(unlink(path), 0);
    image_stamp_begin(image);
    struct stat before;
    char tmp[800];
    snprintf(tmp, sizeof tmp, "%s.verified.tmp", image);
    cr_assert_eq(stat(tmp, &before), 0);
    set_time(header, before.st_mtim.tv_sec + 1); /* edited while make ran */
    image_stamp_verified(image, true);
    size_t n;
    char why[600];
    cr_expect_not(image_stamp_current(image, &n, why, sizeof why), "an edit during the build");
    cr_expect(strstr(why, "agent.h: changed") != NULL, "%s", why);
}
