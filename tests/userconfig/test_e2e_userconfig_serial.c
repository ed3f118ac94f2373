/* issue 17 cfgcross: a board driven over its serial port takes the user's image as it takes
 * ours. Under tests/serial/fake-vcp, board qemu-f405-serial (kind board: the command flasher
 * programs the image, the serial transport finds the board's VCP) runs the QEMU F405 image of
 * our `full` profile without MBEDTLS_SSL_SERVER_NAME_INDICATION: the flasher programs that
 * image, HELLO reports its build and configuration, and the happy scenario that sends SNI is
 * explained by the missing macro. The image is userconfig_qemu_e2e's (the same header), built
 * here when that test did not run first. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e_header.h"
#include "e2e_util.h"

#define SNI "MBEDTLS_SSL_SERVER_NAME_INDICATION"
#define HAPPY "happy-ecdhe-ecdsa-aes128-gcm-p256"

static const char *str(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

Test(e2e_userconfig_serial, the_board_flasher_programs_and_runs_the_users_image, .timeout = 900)
{
    char dir[512], out[700], err[700], runs[700], path[4300], digest[65], name[40];
    e2e_tmpdir("userconfig-serial", dir, sizeof dir);
    snprintf(out, sizeof out, "%s/stdout", dir);
    snprintf(err, sizeof err, "%s/stderr", dir);
    snprintf(runs, sizeof runs, "%s/run", dir);
    setenv("TLSRIG_LOCK_DIR", dir, 1); /* the board lock stays private to this test */
    e2e_make_header(dir, "dev-no-sni.h", "full", "#define " SNI, path, sizeof path, digest);
    snprintf(name, sizeof name, "user-%.16s", digest);
    const char *args[] = {"run",           "--board", "qemu-f405-serial",
                          "--config-file", path,      "--scenario",
                          HAPPY,           "--out",   runs,
                          "--quiet",       NULL};
    cr_assert_eq(e2e_run_err(out, err, args), 1, "%s", e2e_slurp(err));
    json_t *results = e2e_results(runs);
    cr_assert_not_null(results);
    size_t i;
    json_t *r;
    bool selftest = false, happy = false;
    json_array_foreach(results, i, r)
    {
        if (json_object_get(r, "record")) {
            continue; /* run-start, run-end */
        }
        cr_assert_str_eq(str(r, "board"), "qemu-f405-serial");
        cr_assert_str_eq(str(r, "config"), name);
        cr_assert_str_eq(str(json_object_get(r, "config_file"), "sha256"), digest);
        if (strcmp(str(r, "scenario"), "crypto-selftest") == 0) {
            /* Programmed by the board's flasher: the user's image, HELLO checked against it. */
            const json_t *flash = json_object_get(r, "flash");
            cr_assert_str_eq(str(flash, "flasher"), "command");
            cr_assert_str_eq(str(flash, "outcome"), "programmed", "%s", str(flash, "reason"));
            selftest = true;
        } else if (strcmp(str(r, "scenario"), HAPPY) == 0) {
            cr_assert(json_is_false(json_object_get(r, "expect_met")));
            cr_assert_str_eq(str(r, "verdict"), "sni-not-sent");
            cr_assert(strstr(str(r, "fix"), "does not define " SNI), "%s", str(r, "fix"));
            happy = true;
        }
    }
    cr_assert(selftest && happy);
    json_decref(results);
}
