/* The DfuSe engine against a model of the STM32 bootloader: every control
 * transfer of a program run, the state machine, error status mid-write,
 * device gone, bwPollTimeout honoured on a virtual clock. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dfu_model.h"
#include "dfuse.h"
#include "image_util.h"

#define F439_LAYOUT                                                                                \
    "@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg,04*016Kg,01*064Kg,07*128Kg"
#define DEV "DFU device 0483:df11 serial 3276386B3331"

static dfu_model_t model;
static flash_map_t map;
static char err[1024];

static void setup(void)
{
    dfu_model_init(&model);
    cr_assert_eq(flash_map_dfuse(F439_LAYOUT, &map, err, sizeof err), 0, "%s", err);
    err[0] = '\0';
}

static void teardown(void)
{
    dfu_model_free(&model);
}

TestSuite(flash_dfu, .init = setup, .fini = teardown);

static int run(const uint8_t *img, size_t len, uint32_t deadline_ms, flash_report_t *rep)
{
    dfu_io_t io = dfu_model_io(&model);
    memset(rep, 0, sizeof *rep);
    return dfuse_program(&io, &map, img, len, deadline_ms, rep, err, sizeof err);
}

Test(flash_dfu, every_control_transfer_of_a_one_block_image)
{
    uint8_t *img = image_bytes(100, 1);
    flash_report_t rep;
    cr_assert_eq(run(img, 100, 60000, &rep), 0, "%s", err);
    cr_assert_str_eq(model.violation, "");
    const char *st = "A1.03 v0 n6;";
    char want[4096];
    snprintf(want, sizeof want,
             /* starting: dfuIDLE */
             "%s"
             /* erase sector 0: DNLOAD block 0, then sync and busy polls */
             "21.01 v0 n5 [4100000008];%s%s"
             /* set the address pointer, data block 2 */
             "21.01 v0 n5 [2100000008];%s%s"
             "21.01 v2 n100;%s%s"
             /* verify: ABORT to dfuIDLE, set pointer, ABORT, UPLOAD, ABORT */
             "%s21.06 v0 n0;%s"
             "21.01 v0 n5 [2100000008];%s%s"
             "%s21.06 v0 n0;%s"
             "A1.02 v2 n2048;"
             "%s21.06 v0 n0;%s"
             /* leave: set pointer to the start, zero-length DNLOAD, status */
             "21.01 v0 n5 [2100000008];%s%s"
             "21.01 v2 n0;%s",
             st, st, st, st, st, st, st, st, st, st, st, st, st, st, st, st, st, st);
    cr_assert_str_eq(model.log, want);
    cr_assert(model.left);
    cr_assert_eq(model.jump_to, 0x08000000);
    cr_assert_eq(memcmp(model.flash, img, 100), 0);
    cr_assert_eq(rep.bytes_written, 100);
    cr_assert_eq(rep.sectors_erased, 1);
    cr_assert(rep.verified);
    free(img);
}

Test(flash_dfu, multi_sector_image_erases_only_its_sectors_and_honours_poll_timeouts)
{
    size_t len = 70000; /* 4x16K + part of the 64K sector */
    uint8_t *img = image_bytes(len, 2);
    flash_report_t rep;
    cr_assert_eq(run(img, len, 60000, &rep), 0, "%s", err);
    cr_assert_str_eq(model.violation, "", "%s", model.violation);
    cr_assert_str_eq(model.erased, "08000000 08004000 08008000 0800c000 08010000 ");
    cr_assert_eq(memcmp(model.flash, img, len), 0);
    cr_assert_eq(model.flash[len], 0xFF);     /* rest of the 64K sector: erased */
    cr_assert_eq(model.flash[0x20000], 0xA5); /* next sector: never touched */
    unsigned blocks = (unsigned)((len + 2047) / 2048);
    cr_assert_eq(model.blocks, blocks);
    cr_assert_eq(rep.sectors_erased, 5);
    cr_assert_eq(rep.bytes_written, len);
    /* Waited exactly each bwPollTimeout: 5 erases, 3 set-address, the blocks. */
    cr_assert_eq(model.slept_ms, 5 * 25 + (3 + blocks) * 3);
    free(img);
}

Test(flash_dfu, error_status_mid_write_names_the_block_and_is_cleared)
{
    model.fail_block = 5;
    uint8_t *img = image_bytes(20000, 3);
    flash_report_t rep;
    cr_assert_eq(run(img, 20000, 60000, &rep), -1);
    cr_assert_str_eq(err, DEV ": writing block 5 (0x08001800, 2048 bytes): the device reports "
                              "errPROG in state dfuERROR");
    cr_assert_str_eq(model.violation, "");
    cr_assert_eq(model.state, DFU_STATE_IDLE, "CLRSTATUS after the error");
    cr_assert_not(model.left);
    cr_assert_eq(rep.bytes_written, 3 * 2048);
    cr_assert(!rep.verified);
    free(img);
}

Test(flash_dfu, device_gone_mid_write_is_named)
{
    model.gone_after = 20;
    uint8_t *img = image_bytes(20000, 4);
    flash_report_t rep;
    cr_assert_eq(run(img, 20000, 60000, &rep), -1);
    cr_assert_not_null(strstr(err, DEV ": gone from USB during writing block"), "%s", err);
    free(img);
}

Test(flash_dfu, poll_timeout_past_the_deadline_gives_up_without_sleeping_it)
{
    model.erase_poll_ms = 5000;
    uint8_t img[10] = {1};
    flash_report_t rep;
    cr_assert_eq(run(img, sizeof img, 3000, &rep), -1);
    cr_assert_str_eq(err, DEV ": still busy with erasing sector 0 at 0x08000000 when the flash "
                              "deadline (timeouts.flash_ms) ran out");
    cr_assert_eq(model.slept_ms, 0);
}

Test(flash_dfu, a_device_left_in_dfu_error_is_cleared_first)
{
    model.state = DFU_STATE_ERROR;
    model.status = 10;
    uint8_t img[10] = {1, 2};
    flash_report_t rep;
    cr_assert_eq(run(img, sizeof img, 60000, &rep), 0, "%s", err);
    cr_assert_eq(strncmp(model.log, "A1.03 v0 n6;21.04 v0 n0;A1.03 v0 n6;", 36), 0, "%s",
                 model.log);
    cr_assert_str_eq(model.violation, "");
}

Test(flash_dfu, verify_mismatch_is_an_error_and_the_image_is_not_started)
{
    model.corrupt_addr = 0x08000801;
    uint8_t *img = image_bytes(4096, 5);
    flash_report_t rep;
    cr_assert_eq(run(img, 4096, 60000, &rep), -1);
    char want[200];
    snprintf(want, sizeof want, DEV ": verify failed at 0x08000801: wrote 0x%02x, read 0x%02x",
             img[0x801], img[0x801] ^ 1);
    cr_assert_str_eq(err, want);
    cr_assert_not(model.left);
    free(img);
}

Test(flash_dfu, image_too_big_for_the_layout_is_refused_before_any_download)
{
    cr_assert_eq(flash_map_dfuse("@Internal Flash  /0x08000000/04*016Kg", &map, err, sizeof err),
                 0);
    uint8_t *img = image_bytes(70000, 6);
    flash_report_t rep;
    cr_assert_eq(run(img, 70000, 60000, &rep), -1);
    cr_assert_str_eq(err, DEV ": the image (70000 bytes) does not fit the flash (65536 bytes)");
    cr_assert_null(strstr(model.log, "21.01"));
    free(img);
}

Test(flash_dfu, a_slow_device_is_given_up_at_the_deadline_between_transfers)
{
    model.transfer_ms = 100; /* every transfer 100 ms: 40 blocks cannot fit 2 s */
    uint8_t *img = image_bytes(40 * 2048, 8);
    flash_report_t rep;
    cr_assert_eq(run(img, 40 * 2048, 2000, &rep), -1);
    cr_assert_not_null(strstr(err, ": the flash deadline (timeouts.flash_ms) ran out"), "%s", err);
    cr_assert_not_null(strstr(err, "block"), "%s", err);
    cr_assert_str_eq(model.violation, "");
    cr_assert_not(model.left);
    cr_assert(rep.bytes_written < 40 * 2048);
    free(img);
}
