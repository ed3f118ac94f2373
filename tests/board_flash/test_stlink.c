/* The stlink flasher's sequencing against a model of the probe: which
 * sectors are erased, write/verify/reset order, every failure path, the
 * watchdog on a hung probe, libstlink's chatter kept in its log. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "file_read.h"
#include "image_util.h"
#include "stlink_flash.h"
#include "stlink_model.h"

#define SERIAL "0669FF555052836687031234"
#define MB (1024u * 1024u)

static stlink_model_t model;
static char err[1024];

static void setup(void)
{
    err[0] = '\0';
}

static int program(uint32_t flash_bytes, size_t len, flash_report_t *rep, uint8_t **img_out)
{
    stlink_model_init(&model, flash_bytes);
    stlink_ops_t ops = stlink_model_ops(&model);
    uint8_t *img = image_bytes(len, 7);
    memset(rep, 0, sizeof *rep);
    int rc = stlink_flash_program(&ops, SERIAL, img, len, rep, err, sizeof err);
    *img_out = img;
    return rc;
}

TestSuite(flash_stlink, .init = setup);

Test(flash_stlink, small_image_erases_its_three_sectors_writes_verifies_resets)
{
    flash_report_t rep;
    uint8_t *img = NULL;
    cr_assert_eq(program(MB, 40000, &rep, &img), 0, "%s", err);
    cr_assert_str_eq(model.calls, "open;erase 08000000;erase 08004000;erase 08008000;"
                                  "write 08000000 16384;write 08004000 16384;"
                                  "write 08008000 7232;read 08000000 16384;"
                                  "read 08004000 16384;read 08008000 7232;reset;exit;close;");
    cr_assert_eq(memcmp(model.flash, img, 40000), 0);
    /* The rest of sector 2 is erased; sector 3 is never touched. */
    cr_assert_eq(model.flash[40000], 0xFF);
    cr_assert_eq(model.flash[49152], 0xA5);
    cr_assert_eq(rep.bytes_written, 40000);
    cr_assert_eq(rep.sectors_erased, 3);
    cr_assert(rep.verified);
    free(img);
    stlink_model_free(&model);
}

Test(flash_stlink, image_into_the_128k_sectors_erases_only_those_it_covers)
{
    flash_report_t rep;
    uint8_t *img = NULL;
    cr_assert_eq(program(MB, 200000, &rep, &img), 0, "%s", err);
    cr_assert_eq(rep.sectors_erased, 6); /* 4x16K, 64K, one 128K */
    cr_assert_not_null(strstr(model.calls, "erase 08020000;write"));
    cr_assert_null(strstr(model.calls, "erase 08040000"));
    cr_assert_eq(memcmp(model.flash, img, 200000), 0);
    cr_assert_eq(model.flash[0x40000], 0xA5);
    free(img);
    stlink_model_free(&model);
}

Test(flash_stlink, dual_bank_f439_image_crosses_into_bank_2)
{
    flash_report_t rep;
    uint8_t *img = NULL;
    cr_assert_eq(program(2 * MB, 1536 * 1024, &rep, &img), 0, "%s", err);
    /* Bank 1: 12 sectors; bank 2 again 4x16K, 64K, then 3x128K. */
    cr_assert_eq(rep.sectors_erased, 20);
    cr_assert_not_null(strstr(model.calls, "erase 080e0000;erase 08100000;erase 08104000;"));
    cr_assert_not_null(strstr(model.calls, "erase 08160000;write"));
    cr_assert_eq(memcmp(model.flash, img, 1536 * 1024), 0);
    cr_assert_eq(model.flash[1536 * 1024], 0xA5);
    free(img);
    stlink_model_free(&model);
}

Test(flash_stlink, image_larger_than_the_flash_is_refused_before_any_erase)
{
    flash_report_t rep;
    uint8_t *img = NULL;
    cr_assert_eq(program(MB, MB + 1, &rep, &img), -1);
    cr_assert_not_null(strstr(err, "does not fit the flash"), "%s", err);
    cr_assert_not_null(strstr(err, SERIAL), "%s", err);
    cr_assert_str_eq(model.calls, "open;close;");
    cr_assert_eq(rep.sectors_erased, 0);
    free(img);
    stlink_model_free(&model);
}

Test(flash_stlink, probe_gone_at_open_names_the_serial)
{
    stlink_model_init(&model, MB);
    model.fail_at = "open";
    stlink_ops_t ops = stlink_model_ops(&model);
    uint8_t img[16] = {1};
    flash_report_t rep = {0};
    cr_assert_eq(stlink_flash_program(&ops, SERIAL, img, sizeof img, &rep, err, sizeof err), -1);
    cr_assert_str_eq(err, "stlink probe " SERIAL ": no ST-Link with this serial is attached");
    cr_assert_eq(model.closes, 0);
    stlink_model_free(&model);
}

Test(flash_stlink, write_error_names_the_address_and_never_starts_the_image)
{
    stlink_model_init(&model, MB);
    model.fail_at = "write";
    stlink_ops_t ops = stlink_model_ops(&model);
    uint8_t *img = image_bytes(20000, 3);
    flash_report_t rep = {0};
    cr_assert_eq(stlink_flash_program(&ops, SERIAL, img, 20000, &rep, err, sizeof err), -1);
    cr_assert_not_null(strstr(err, "writing 16384 bytes at 0x08000000 failed: model: write"), "%s",
                       err);
    cr_assert_null(strstr(model.calls, "reset"));
    cr_assert_eq(model.closes, 1);
    cr_assert_eq(rep.bytes_written, 0);
    cr_assert(!rep.verified);
    free(img);
    stlink_model_free(&model);
}

Test(flash_stlink, erase_error_names_the_sector)
{
    stlink_model_init(&model, MB);
    model.fail_at = "erase";
    stlink_ops_t ops = stlink_model_ops(&model);
    uint8_t img[100] = {0};
    flash_report_t rep = {0};
    cr_assert_eq(stlink_flash_program(&ops, SERIAL, img, sizeof img, &rep, err, sizeof err), -1);
    cr_assert_not_null(strstr(err, "erasing sector 0 at 0x08000000 failed"), "%s", err);
    cr_assert_null(strstr(model.calls, "write"));
    cr_assert_eq(model.closes, 1);
    stlink_model_free(&model);
}

Test(flash_stlink, verify_mismatch_names_the_byte_and_does_not_reset)
{
    stlink_model_init(&model, MB);
    model.corrupt_addr = 0x08004123;
    stlink_ops_t ops = stlink_model_ops(&model);
    uint8_t *img = image_bytes(30000, 5);
    flash_report_t rep = {0};
    cr_assert_eq(stlink_flash_program(&ops, SERIAL, img, 30000, &rep, err, sizeof err), -1);
    char want[200];
    snprintf(want, sizeof want, "verify failed at 0x08004123: wrote 0x%02x, read 0x%02x",
             img[0x4123], img[0x4123] ^ 0x10);
    cr_assert_not_null(strstr(err, want), "%s", err);
    cr_assert(!rep.verified);
    cr_assert_null(strstr(model.calls, "reset"));
    cr_assert_eq(model.closes, 1);
    free(img);
    stlink_model_free(&model);
}

Test(flash_stlink, reset_failure_after_a_good_write_is_an_error)
{
    stlink_model_init(&model, MB);
    model.fail_at = "reset";
    stlink_ops_t ops = stlink_model_ops(&model);
    uint8_t img[64] = {9};
    flash_report_t rep = {0};
    cr_assert_eq(stlink_flash_program(&ops, SERIAL, img, sizeof img, &rep, err, sizeof err), -1);
    cr_assert_not_null(strstr(err, "reset after flashing failed"), "%s", err);
    cr_assert(rep.verified);
    cr_assert_eq(model.closes, 1);
    stlink_model_free(&model);
}

Test(flash_stlink, reset_alone_resets_then_leaves_debug_mode)
{
    stlink_model_init(&model, MB);
    stlink_ops_t ops = stlink_model_ops(&model);
    cr_assert_eq(stlink_flash_reset(&ops, SERIAL, err, sizeof err), 0, "%s", err);
    cr_assert_str_eq(model.calls, "open;reset;exit;close;");
    stlink_model_free(&model);
}

static board_config_t board(board_usb_t *usb, uint32_t flash_ms)
{
    board_config_t b;
    memset(&b, 0, sizeof b);
    b.name = "nucleo-test";
    b.kind = BOARD_HW;
    b.flasher = FLASHER_STLINK;
    b.usb = usb;
    b.timeouts.flash_ms = flash_ms;
    return b;
}

Test(flash_stlink, watched_run_reports_through_the_pipe_and_logs_the_chatter)
{
    board_usb_t usb = {.vid = 0x0483, .pid = 0x374b, .serial = SERIAL};
    board_config_t b = board(&usb, 10000);
    stlink_model_init(&model, MB);
    model.chatter = true;
    stlink_ops_t ops = stlink_model_ops(&model);
    uint8_t *img = image_bytes(70000, 11);
    char path[4096];
    image_write(img, 70000, path, sizeof path);
    flash_report_t rep;
    cr_assert_eq(stlink_board_program(&ops, &b, path, NULL, &rep, err, sizeof err), 0, "%s", err);
    cr_assert_eq(rep.bytes_written, 70000);
    cr_assert_eq(rep.sectors_erased, 5);
    cr_assert(rep.verified);
    cr_assert_str_eq(rep.probe_serial, SERIAL);
    cr_assert(rep.seconds >= 0.0 && rep.seconds < 10.0);
    char log[4200];
    snprintf(log, sizeof log, "%s.stlink.log", path);
    char *text = file_read_all(log, 1 << 20, NULL);
    cr_assert_not_null(text, "the child's output goes to %s", log);
    cr_assert_not_null(strstr(text, "model chatter on stdout"));
    cr_assert_not_null(strstr(text, "model chatter on stderr"));
    free(text);
    free(img);
    stlink_model_free(&model);
}

Test(flash_stlink, hung_probe_is_stopped_by_the_watchdog_at_flash_ms)
{
    board_usb_t usb = {.serial = SERIAL};
    board_config_t b = board(&usb, 300);
    stlink_model_init(&model, MB);
    model.hang_at_write = true;
    stlink_ops_t ops = stlink_model_ops(&model);
    uint8_t img[1000] = {1, 2, 3};
    char path[4096];
    image_write(img, sizeof img, path, sizeof path);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    flash_report_t rep;
    cr_assert_eq(stlink_board_program(&ops, &b, path, NULL, &rep, err, sizeof err), -1);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    cr_assert_not_null(strstr(err, "stlink probe " SERIAL ": no answer within 300 ms; stopped "
                                   "by the watchdog"),
                       "%s", err);
    cr_assert(s >= 0.29 && s < 5.0, "watchdog fired after %.3f s", s);
    cr_assert(rep.seconds >= 0.29);
    stlink_model_free(&model);
}

Test(flash_stlink, board_without_usb_serial_is_refused)
{
    board_config_t b = board(NULL, 1000);
    stlink_model_init(&model, MB);
    stlink_ops_t ops = stlink_model_ops(&model);
    flash_report_t rep;
    cr_assert_eq(stlink_board_program(&ops, &b, "/nonexistent/fw", NULL, &rep, err, sizeof err),
                 -1);
    cr_assert_str_eq(err, "board nucleo-test: flasher stlink needs usb.serial (the probe's "
                          "serial)");
    stlink_model_free(&model);
}

Test(flash_stlink, missing_and_empty_images_are_refused_naming_the_bin)
{
    board_usb_t usb = {.serial = SERIAL};
    board_config_t b = board(&usb, 1000);
    stlink_model_init(&model, MB);
    stlink_ops_t ops = stlink_model_ops(&model);
    flash_report_t rep;
    cr_assert_eq(stlink_board_program(&ops, &b, "/nonexistent/fw", NULL, &rep, err, sizeof err),
                 -1);
    cr_assert_not_null(strstr(err, "/nonexistent/fw.bin: No such file"), "%s", err);
    char path[4096];
    image_write(NULL, 0, path, sizeof path);
    cr_assert_eq(stlink_board_program(&ops, &b, path, NULL, &rep, err, sizeof err), -1);
    cr_assert_not_null(strstr(err, "fw.bin: the image is empty"), "%s", err);
    cr_assert_eq(model.opens, 0);
    stlink_model_free(&model);
}

Test(flash_stlink, odd_sized_image_tail_is_padded_to_a_word_with_erased_bytes)
{
    flash_report_t rep;
    uint8_t *img = NULL;
    cr_assert_eq(program(MB, 16384 + 1001, &rep, &img), 0, "%s", err);
    cr_assert_not_null(strstr(model.calls, "write 08000000 16384;write 08004000 1004;"), "%s",
                       model.calls);
    cr_assert_not_null(strstr(model.calls, "read 08004000 1001;"), "%s", model.calls);
    cr_assert_eq(memcmp(model.flash, img, 16384 + 1001), 0);
    cr_assert_eq(model.flash[16384 + 1001], 0xFF);
    cr_assert_eq(model.flash[16384 + 1003], 0xFF);
    cr_assert_eq(rep.bytes_written, 16384 + 1001);
    free(img);
    stlink_model_free(&model);
}

Test(flash_stlink, chatter_goes_to_the_console_log_when_the_session_names_one)
{
    board_usb_t usb = {.serial = SERIAL};
    board_config_t b = board(&usb, 10000);
    stlink_model_init(&model, MB);
    model.chatter = true;
    stlink_ops_t ops = stlink_model_ops(&model);
    uint8_t img[256] = {7};
    char path[4096], console[4200];
    image_write(img, sizeof img, path, sizeof path);
    snprintf(console, sizeof console, "%s.console.log", path);
    flash_report_t rep;
    cr_assert_eq(stlink_board_program(&ops, &b, path, console, &rep, err, sizeof err), 0, "%s",
                 err);
    char *text = file_read_all(console, 1 << 20, NULL);
    cr_assert_not_null(text);
    cr_assert_not_null(strstr(text, "model chatter on stderr"));
    free(text);
    char own[4200];
    snprintf(own, sizeof own, "%s.stlink.log", path);
    cr_assert_eq(access(own, F_OK), -1, "no log beside the image when a console log is named");
    stlink_model_free(&model);
}

Test(flash_stlink, read_failure_during_verify_names_the_address)
{
    stlink_model_init(&model, MB);
    model.fail_at = "read";
    stlink_ops_t ops = stlink_model_ops(&model);
    uint8_t img[64] = {3};
    flash_report_t rep = {0};
    cr_assert_eq(stlink_flash_program(&ops, SERIAL, img, sizeof img, &rep, err, sizeof err), -1);
    cr_assert_str_eq(err, "stlink probe " SERIAL
                          ": verify read at 0x08000000 failed: model: read failed");
    cr_assert(!rep.verified);
    cr_assert_null(strstr(model.calls, "reset"));
    cr_assert_eq(model.closes, 1);
    stlink_model_free(&model);
}

Test(flash_stlink, leaving_debug_mode_failure_is_an_error_after_the_reset)
{
    stlink_model_init(&model, MB);
    model.fail_at = "exit";
    stlink_ops_t ops = stlink_model_ops(&model);
    uint8_t img[64] = {3};
    flash_report_t rep = {0};
    cr_assert_eq(stlink_flash_program(&ops, SERIAL, img, sizeof img, &rep, err, sizeof err), -1);
    cr_assert_str_eq(err, "stlink probe " SERIAL ": leaving debug mode failed: model: exit failed");
    cr_assert_not_null(strstr(model.calls, "reset;exit;close;"));
    stlink_model_free(&model);
}
