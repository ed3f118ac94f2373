/* image_check (image_check.h): the up-to-date check on its own thread says what image_build's
 * would, and notes a current image as image_build does; a stale one is left to image_build
 * (which notes why and builds). A build folder without a build system; file times set
 * explicitly, nothing waits for the clock. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image_check.h"

#define TARGET "tlsrig-agent-test"

static char dir[512], image[700], source[700], log_path[700];

static void stamp(const char *path, time_t when)
{
    struct timespec t[2] = {{.tv_sec = when}, {.tv_sec = when}};
    cr_assert_eq(utimensat(AT_FDCWD, path, t, 0), 0, "%s", path);
}

static void write_file(const char *path, const char *text, time_t when)
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "%s", path);
    fputs(text, f);
    cr_assert_eq(fclose(f), 0);
    stamp(path, when);
}

/* An image, its one input (t=1000), the input list (t=2000), verified at t=3000. */
static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/tlsrig-image-check-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    char images[600], list[800], verified[800];
    snprintf(images, sizeof images, "%s/images", dir);
    cr_assert_eq(mkdir(images, 0755), 0);
    snprintf(image, sizeof image, "%s/" TARGET, images);
    snprintf(source, sizeof source, "%s/agent.c", dir);
    snprintf(log_path, sizeof log_path, "%s/build.log", dir);
    write_file(source, "x\n", 1000);
    write_file(image, "x\n", 1500);
    char line[720];
    snprintf(line, sizeof line, "%s\n", source);
    snprintf(list, sizeof list, "%s.inputs", image);
    write_file(list, line, 2000);
    snprintf(verified, sizeof verified, "%s.verified", image);
    write_file(verified, "", 3000);
}

static void teardown(void)
{
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_expect_eq(system(cmd), 0);
}

static bool log_exists(void)
{
    return access(log_path, F_OK) == 0;
}

Test(image_check, a_current_image_is_current_and_noted, .init = setup, .fini = teardown)
{
    image_check_t c;
    cr_assert_eq(image_check_begin(&c, dir, TARGET), 0);
    cr_expect(image_check_end(&c, log_path));
    FILE *f = fopen(log_path, "r");
    cr_assert_not_null(f);
    char text[1024] = "";
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    cr_expect(strstr(text, "tlsrig: " TARGET ": current, cmake --build not run") != NULL, "%s",
              text);
}

Test(image_check, an_input_changed_since_the_build_is_stale, .init = setup, .fini = teardown)
{
    stamp(source, 4000); /* edited after the verification */
    image_check_t c;
    cr_assert_eq(image_check_begin(&c, dir, TARGET), 0);
    cr_expect_not(image_check_end(&c, log_path));
    cr_expect_not(log_exists(), "a stale image is image_build's to note");
}

Test(image_check, a_missing_image_list_is_stale, .init = setup, .fini = teardown)
{
    char list[800];
    snprintf(list, sizeof list, "%s.inputs", image);
    cr_assert_eq(unlink(list), 0);
    image_check_t c;
    cr_assert_eq(image_check_begin(&c, dir, TARGET), 0);
    cr_expect_not(image_check_end(&c, log_path));
}
