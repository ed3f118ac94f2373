/* issue 18 wolfqemu: the runner's view of which images a build makes (image_targets.h): the
 * image names per firmware, stack and backend, and the lookup in <build>/image-targets.txt,
 * whose absence (an older build) means "assume it exists" and never "not built". */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "board_config.h"
#include "image_targets.h"

static char g_dir[256];

static void make_dir(void)
{
    snprintf(g_dir, sizeof g_dir, "/tmp/tlsrig-image-targets-XXXXXX");
    cr_assert_not_null(mkdtemp(g_dir));
}

static void write_list(const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/" IMAGE_TARGETS_FILE, g_dir);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    cr_assert_eq(fputs(text, f) >= 0, true);
    cr_assert_eq(fclose(f), 0);
}

static void remove_dir(void)
{
    char path[512];
    snprintf(path, sizeof path, "%s/" IMAGE_TARGETS_FILE, g_dir);
    (void)unlink(path);
    (void)rmdir(g_dir);
}

TestSuite(image_targets, .init = make_dir, .fini = remove_dir);

static board_config_t *board(const char *name)
{
    char dir[4200], err[1024];
    snprintf(dir, sizeof dir, "%s/rig-config/boards", getenv("TLSRIG_SOURCE_DIR"));
    board_config_t *b = board_config_load(dir, name, err, sizeof err);
    cr_assert_not_null(b, "%s", err);
    return b;
}

Test(image_targets, names_follow_firmware_backend_profile_and_stack)
{
    char out[300];
    board_config_t *q = board("qemu-f405");
    image_target_name(q, "sw", "full", "wolfssl", out, sizeof out);
    cr_assert_str_eq(out, "tlsrig-agent-qemu-f405-sw-full-wolfssl");
    image_target_name(q, "sw", "full", "mbedtls-2.28", out, sizeof out);
    cr_assert_str_eq(out, "tlsrig-agent-qemu-f405-sw-full");
    board_config_free(q);
    board_config_t *s = board("sim");
    image_target_name(s, "hw", "no-sni", "wolfssl", out, sizeof out);
    cr_assert_str_eq(out, "tlsrig-agent-sim-hw-no-sni-wolfssl");
    board_config_free(s);
}

Test(image_targets, listed_and_not_listed)
{
    write_list("# comment: tlsrig-agent-sim-sw-small-wolfssl\n"
               "tlsrig-agent-qemu-f405-sw-full-wolfssl\n"
               "tlsrig-agent-sim-sw-full\r\n"
               "tlsrig-agent-sim-sw-full-wolfssl");
    cr_assert_eq(image_target_lookup(g_dir, "tlsrig-agent-qemu-f405-sw-full-wolfssl"),
                 IMAGE_TARGET_LISTED);
    cr_assert_eq(image_target_lookup(g_dir, "tlsrig-agent-sim-sw-full"), IMAGE_TARGET_LISTED);
    /* The last line needs no newline. */
    cr_assert_eq(image_target_lookup(g_dir, "tlsrig-agent-sim-sw-full-wolfssl"),
                 IMAGE_TARGET_LISTED);
    /* A prefix of a listed name, and a name only in a comment, are not listed. */
    cr_assert_eq(image_target_lookup(g_dir, "tlsrig-agent-qemu-f405-sw-full"),
                 IMAGE_TARGET_NOT_LISTED);
    cr_assert_eq(image_target_lookup(g_dir, "tlsrig-agent-sim-sw-small-wolfssl"),
                 IMAGE_TARGET_NOT_LISTED);
    cr_assert_eq(image_target_lookup(g_dir, "tlsrig-agent-qemu-f405-sw-no-sni-wolfssl"),
                 IMAGE_TARGET_NOT_LISTED);
}

Test(image_targets, an_overlong_line_matches_nothing_and_the_next_line_still_counts)
{
    char text[2000];
    memset(text, 'x', 1500);
    snprintf(text + 1500, sizeof text - 1500,
             "tlsrig-agent-sim-sw-full\ntlsrig-agent-sim-sw-small\n");
    write_list(text);
    cr_assert_eq(image_target_lookup(g_dir, "tlsrig-agent-sim-sw-full"), IMAGE_TARGET_NOT_LISTED);
    cr_assert_eq(image_target_lookup(g_dir, "tlsrig-agent-sim-sw-small"), IMAGE_TARGET_LISTED);
}

Test(image_targets, no_list_means_unknown_not_missing)
{
    cr_assert_eq(image_target_lookup(g_dir, "tlsrig-agent-sim-sw-full"), IMAGE_TARGET_NO_LIST);
    cr_assert_eq(image_target_lookup("/nonexistent/build", "tlsrig-agent-sim-sw-full"),
                 IMAGE_TARGET_NO_LIST);
}

Test(image_targets, hints_name_the_cache_variables_of_the_stack_and_firmware)
{
    cr_assert(strstr(image_target_hint("qemu-f405", "wolfssl"), "TLSRIG_WOLFSSL_CROSS_PROFILES"));
    cr_assert_null(strstr(image_target_hint("sim", "wolfssl"), "CROSS"));
    cr_assert(strstr(image_target_hint("sim", "mbedtls-3.6"), "TLSRIG_STACK36_PROFILES"));
    cr_assert(strstr(image_target_hint("qemu-f405", "mbedtls-2.28"), "TLSRIG_QEMU_PROFILES"));
}
