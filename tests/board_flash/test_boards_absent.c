/* The real stlink and dfu flashers (libstlink, libusb) with no board on
 * USB, as CI is: they fail with exit 3 and name the probe serial or DFU
 * device they looked for. Under a umockdev testbed with a DFU bootloader the
 * dfu flasher finds the device by VID/PID through libusb and stops at its
 * descriptors (the testbed answers no USB requests). */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image_util.h"
#include "run_tlsrig.h"

#define SERIAL "0669FF555052836687031234"

static void tool(char *out, size_t cap)
{
    snprintf(out, cap, "%s/tests/board_flash/flash_board_tool", getenv("TLSRIG_BUILD_DIR"));
}

static void image(char *path, size_t cap)
{
    uint8_t *img = image_bytes(4096, 9);
    image_write(img, 4096, path, cap);
    free(img);
}

Test(flash_absent, stlink_without_a_probe_exits_3_naming_the_serial)
{
    char bin[4200], img[4096];
    tool(bin, sizeof bin);
    image(img, sizeof img);
    const char *argv[] = {bin, "stlink", SERIAL, img, NULL};
    tlsrig_run_t r = run_program(argv);
    cr_assert_eq(r.exit_code, 3, "%s%s", r.out, r.err);
    cr_assert_str_eq(r.err, "error: stlink probe " SERIAL
                            ": no ST-Link with this serial is attached (or it is busy)\n");
    cr_assert_str_eq(r.out, "", "libstlink's chatter stays out of our output");
    run_tlsrig_free(&r);
}

Test(flash_absent, dfu_without_a_device_exits_3_naming_it)
{
    char bin[4200], img[4096];
    tool(bin, sizeof bin);
    image(img, sizeof img);
    const char *argv[] = {bin, "dfu", "375A38633438", img, NULL};
    tlsrig_run_t r = run_program(argv);
    cr_assert_eq(r.exit_code, 3, "%s%s", r.out, r.err);
    cr_assert_not_null(strstr(r.err, "error: DFU device 0483:df11 serial 375A38633438: "), "%s",
                       r.err);
    run_tlsrig_free(&r);
}

static bool have_umockdev(void)
{
    const char *path = getenv("PATH");
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path ? path : "/usr/bin");
    for (char *save = NULL, *d = strtok_r(buf, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
        char exe[4200];
        snprintf(exe, sizeof exe, "%s/umockdev-run", d);
        if (access(exe, X_OK) == 0) {
            return true;
        }
    }
    return false;
}

static tlsrig_run_t dfu_under_testbed(const char *serial)
{
    char bin[4200], img[4096], bed[4200];
    tool(bin, sizeof bin);
    image(img, sizeof img);
    snprintf(bed, sizeof bed, "%s/tests/probes/testbeds/dfu.umockdev", getenv("TLSRIG_SOURCE_DIR"));
    const char *argv[] = {"umockdev-run", "-d", bed, "--", bin, "dfu", serial, img, NULL};
    return run_program(argv);
}

Test(flash_absent, dfu_under_a_testbed_finds_the_bootloader_by_vid_pid)
{
    if (!have_umockdev()) {
        cr_skip_test("umockdev-run not installed (Debian package umockdev)");
    }
    /* No usb.serial: the one 0483:df11 device is taken; the testbed answers
     * no string or config request, so the run stops there, not at "not
     * found". */
    tlsrig_run_t r = dfu_under_testbed("");
    cr_assert_eq(r.exit_code, 3, "%s%s", r.out, r.err);
    cr_assert_not_null(strstr(r.err, "error: DFU device 0483:df11: "), "%s", r.err);
    cr_assert_null(strstr(r.err, "not found"), "%s", r.err);
    run_tlsrig_free(&r);
    /* A serial the testbed's device does not report: not this device. */
    r = dfu_under_testbed("0000DEADBEEF");
    cr_assert_eq(r.exit_code, 3, "%s%s", r.out, r.err);
    cr_assert_not_null(strstr(r.err, "error: DFU device 0483:df11 serial 0000DEADBEEF: not found "
                                     "on USB"),
                       "%s", r.err);
    run_tlsrig_free(&r);
}
