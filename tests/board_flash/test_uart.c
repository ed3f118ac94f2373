/* The uart flasher (AN3155) against a bootloader model in a thread behind a
 * socketpair: the whole sequence, the BOOT0/NRST line changes, checksums
 * (the model NACKs a bad one), erase of exactly the image's sectors, every
 * failure path, deadlines. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "an3155_model.h"
#include "image_util.h"
#include "uart_flash.h"

static an3155_model_t model;
static char err[1024];
/* BOOT0 on DTR, NRST on RTS, as the model reads them. */
static const uart_wiring_t wired = {true, true, true, false, false};
static const uart_wiring_t unwired = {false, false, false, false, false};

static void teardown(void)
{
    an3155_model_free(&model);
}

TestSuite(flash_uart, .fini = teardown);

static int run(const uart_wiring_t *w, const uint8_t *img, size_t len, uint32_t deadline_ms,
               flash_report_t *rep)
{
    uart_io_t io = an3155_model_io(&model);
    memset(rep, 0, sizeof *rep);
    err[0] = '\0';
    return uart_flash_program(&io, w, img, len, deadline_ms, rep, err, sizeof err);
}

Test(flash_uart, wired_board_enters_the_bootloader_flashes_verifies_and_restarts)
{
    an3155_model_start(&model, false);
    uint8_t *img = image_bytes(1000, 1);
    flash_report_t rep;
    int rc = run(&wired, img, 1000, 60000, &rep);
    an3155_model_stop(&model);
    cr_assert_eq(rc, 0, "%s", err);
    /* Enter: BOOT0 high, NRST pulsed; leave: BOOT0 low, NRST pulsed. */
    cr_assert_str_eq(model.lines, "dtr=H rts=H;dtr=H rts=L;dtr=L rts=H;dtr=L rts=L;");
    cr_assert_str_eq(model.log, "sync;get;getid;erase 0;");
    cr_assert_eq(model.writes, 4); /* 3x256 + 232 */
    cr_assert_eq(model.reads, 4);
    cr_assert_eq(model.nacks, 0, "every checksum right");
    cr_assert(model.started_image);
    cr_assert_eq(memcmp(model.flash, img, 1000), 0);
    cr_assert_eq(model.flash[1000], 0xFF);
    cr_assert_eq(model.flash[16384], 0xA5, "sector 1 never touched");
    cr_assert_eq(rep.bytes_written, 1000);
    cr_assert_eq(rep.sectors_erased, 1);
    cr_assert(rep.verified);
    cr_assert_eq(model.slept_ms, 2 * (50 + 100), "line pulses wait on the (virtual) clock");
    free(img);
}

Test(flash_uart, inverted_wiring_drives_the_opposite_levels)
{
    an3155_model_start(&model, false);
    model.inverted = true;
    uart_wiring_t w = wired;
    w.inverted = true;
    uint8_t img[64] = {1, 2, 3, 4};
    flash_report_t rep;
    int rc = run(&w, img, sizeof img, 60000, &rep);
    an3155_model_stop(&model);
    cr_assert_eq(rc, 0, "%s", err);
    cr_assert_str_eq(model.lines, "dtr=L rts=L;dtr=L rts=H;dtr=H rts=L;dtr=H rts=H;");
    cr_assert(model.started_image);
}

Test(flash_uart, unwired_board_in_its_bootloader_is_started_with_go)
{
    an3155_model_start(&model, true);
    uint8_t *img = image_bytes(300, 2);
    flash_report_t rep;
    int rc = run(&unwired, img, 300, 60000, &rep);
    an3155_model_stop(&model);
    cr_assert_eq(rc, 0, "%s", err);
    cr_assert_str_eq(model.lines, "");
    cr_assert_str_eq(model.log, "sync;get;getid;erase 0;go 08000000;");
    cr_assert_eq(memcmp(model.flash, img, 300), 0);
    free(img);
}

Test(flash_uart, image_past_bank_1_erases_sector_12_of_bank_2)
{
    an3155_model_start(&model, true);
    size_t len = 1024 * 1024 + 100;
    uint8_t *img = image_bytes(len, 3);
    flash_report_t rep;
    int rc = run(&unwired, img, len, 120000, &rep);
    an3155_model_stop(&model);
    cr_assert_eq(rc, 0, "%s", err);
    cr_assert_str_eq(model.log, "sync;get;getid;erase 0;erase 1;erase 2;erase 3;erase 4;erase "
                                "5;erase 6;erase 7;erase 8;erase 9;erase 10;erase 11;erase "
                                "12;go 08000000;");
    cr_assert_eq(memcmp(model.flash, img, len), 0);
    cr_assert_eq(model.flash[1024 * 1024 + 16384], 0xA5);
    cr_assert_eq(rep.sectors_erased, 13);
    free(img);
}

Test(flash_uart, bootloader_that_never_answers_names_the_port)
{
    an3155_model_start(&model, false);
    model.strict_timeouts = true;
    uint8_t img[4] = {0};
    flash_report_t rep;
    int rc = run(&unwired, img, sizeof img, 60000, &rep);
    an3155_model_stop(&model);
    cr_assert_eq(rc, -1);
    cr_assert_str_eq(err, "/dev/ttyMODEL0: no answer to 0x7F after 5 tries: is the board in its "
                          "bootloader (BOOT0 high at reset), at 8E1 and the uart_boot baud?");
}

Test(flash_uart, nack_on_a_write_names_the_address)
{
    an3155_model_start(&model, true);
    model.nack_write_n = 2;
    uint8_t *img = image_bytes(1000, 4);
    flash_report_t rep;
    int rc = run(&unwired, img, 1000, 60000, &rep);
    an3155_model_stop(&model);
    cr_assert_eq(rc, -1);
    cr_assert_str_eq(err, "/dev/ttyMODEL0: Write Memory (0x31) at 0x08000100: the bootloader "
                          "answered NACK");
    cr_assert_eq(rep.bytes_written, 256);
    cr_assert_null(strstr(model.log, "go"), "a half-written image is not started");
    free(img);
}

Test(flash_uart, verify_mismatch_is_an_error)
{
    an3155_model_start(&model, true);
    model.corrupt_write_addr = 0x08000123;
    uint8_t *img = image_bytes(1000, 5);
    flash_report_t rep;
    int rc = run(&unwired, img, 1000, 60000, &rep);
    an3155_model_stop(&model);
    cr_assert_eq(rc, -1);
    char want[200];
    snprintf(want, sizeof want,
             "/dev/ttyMODEL0: verify failed at 0x08000123: wrote 0x%02x, read 0x%02x", img[0x123],
             img[0x123] ^ 0x40);
    cr_assert_str_eq(err, want);
    cr_assert(!rep.verified);
    free(img);
}

Test(flash_uart, image_too_big_for_the_part_is_refused_before_erasing)
{
    an3155_model_start(&model, true);
    model.pid = 0x413; /* F405: 1 MB */
    uint8_t *img = image_bytes(1024 * 1024 + 1, 6);
    flash_report_t rep;
    int rc = run(&unwired, img, 1024 * 1024 + 1, 60000, &rep);
    an3155_model_stop(&model);
    cr_assert_eq(rc, -1);
    cr_assert_str_eq(err, "/dev/ttyMODEL0: the image (1048577 bytes) does not fit the flash "
                          "(1048576 bytes)");
    cr_assert_str_eq(model.log, "sync;get;getid;");
    free(img);
}

Test(flash_uart, bootloader_without_extended_erase_is_refused)
{
    an3155_model_start(&model, true);
    const uint8_t old[] = {0x00, 0x01, 0x02, 0x11, 0x21, 0x31, 0x43};
    memcpy(model.cmds, old, sizeof old);
    model.ncmds = sizeof old;
    uint8_t img[4] = {0};
    flash_report_t rep;
    int rc = run(&unwired, img, sizeof img, 60000, &rep);
    an3155_model_stop(&model);
    cr_assert_eq(rc, -1);
    cr_assert_str_eq(err, "/dev/ttyMODEL0: bootloader v3.1 lacks Extended Erase (0x44) "
                          "(read-protected, or not an STM32F4?)");
}

Test(flash_uart, unknown_product_id_is_refused)
{
    an3155_model_start(&model, true);
    model.pid = 0x440; /* an F0 */
    uint8_t img[4] = {0};
    flash_report_t rep;
    int rc = run(&unwired, img, sizeof img, 60000, &rep);
    an3155_model_stop(&model);
    cr_assert_eq(rc, -1);
    cr_assert_str_eq(err, "/dev/ttyMODEL0: product id 0x440 is not an STM32F4 this flasher knows");
}

Test(flash_uart, erase_without_ack_gives_up_at_the_deadline)
{
    an3155_model_start(&model, true);
    model.hang_erase = true;
    uint8_t img[4] = {0};
    flash_report_t rep;
    int rc = run(&unwired, img, sizeof img, 1500, &rep);
    an3155_model_stop(&model);
    cr_assert_eq(rc, -1);
    cr_assert_not_null(strstr(err, "/dev/ttyMODEL0: Extended Erase (0x44) of sectors 0..0: "), "%s",
                       err);
    cr_assert(strstr(err, "no answer from the bootloader") ||
                  strstr(err, "the flash deadline (timeouts.flash_ms) ran out"),
              "%s", err);
}

Test(flash_uart, reset_pulses_nrst_with_boot0_low)
{
    an3155_model_start(&model, false);
    uart_io_t io = an3155_model_io(&model);
    int rc = uart_flash_reset(&io, &wired, err, sizeof err);
    an3155_model_stop(&model);
    cr_assert_eq(rc, 0, "%s", err);
    cr_assert_str_eq(model.lines, "dtr=L rts=H;dtr=L rts=L;");
    cr_assert(model.started_image);
}

Test(flash_uart, reset_without_nrst_wiring_is_an_error)
{
    an3155_model_start(&model, false);
    uart_io_t io = an3155_model_io(&model);
    int rc = uart_flash_reset(&io, &unwired, err, sizeof err);
    an3155_model_stop(&model);
    cr_assert_eq(rc, -1);
    cr_assert_str_eq(err, "/dev/ttyMODEL0: no NRST line wired (board file uart_boot.nrst)");
}

Test(flash_uart, wiring_from_the_board_file)
{
    board_uart_boot_t u = {.boot0 = "rts", .nrst = "dtr", .inverted = true, .baud = 57600};
    board_config_t b = {.name = "custom", .uart_boot = &u};
    uart_wiring_t w;
    cr_assert_eq(uart_wiring_from_board(&b, &w, err, sizeof err), 0, "%s", err);
    cr_assert(w.boot0_wired && w.nrst_wired && !w.boot0_on_dtr && w.nrst_on_dtr && w.inverted);
    u.nrst = "rts";
    cr_assert_eq(uart_wiring_from_board(&b, &w, err, sizeof err), -1);
    cr_assert_str_eq(err, "board custom: uart_boot.boot0 and uart_boot.nrst name one line");
    u.nrst = "cts";
    cr_assert_eq(uart_wiring_from_board(&b, &w, err, sizeof err), -1);
    cr_assert_str_eq(err, "board custom: uart_boot.nrst is \"cts\", not dtr or rts");
    b.uart_boot = NULL;
    cr_assert_eq(uart_wiring_from_board(&b, &w, err, sizeof err), 0);
    cr_assert(!w.boot0_wired && !w.nrst_wired);
}
