/* The real uart flasher (board_flasher_uart: serial transport on
 * libserialport, 8E1, DTR/RTS) through the fake VCP's port: the testbed's
 * /dev/ttyACM0 (tests/serial/testbed.umockdev) is a pty under umockdev's
 * preload and the TIOCM shim, with the AN3155 bootloader model on its
 * master side. ctest flash_uart_vcp sets the preloads. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <umockdev.h>

#include "an3155_model.h"
#include "board_flasher.h"
#include "image_util.h"

static UMockdevTestbed *g_bed;
static an3155_model_t model;
static char err[1024];

static int open_master(void)
{
    const char *pre = getenv("LD_PRELOAD");
    if (!pre || !strstr(pre, "tiocm_shim") || !strstr(pre, "umockdev")) {
        cr_skip_test("needs umockdev's preload and the TIOCM shim (ctest flash_uart_vcp)");
    }
    char bed[4200];
    snprintf(bed, sizeof bed, "%s/tests/serial/testbed.umockdev", getenv("TLSRIG_SOURCE_DIR"));
    g_bed = umockdev_testbed_new();
    cr_assert(umockdev_testbed_add_from_file(g_bed, bed, NULL), "%s", bed);
    int m = umockdev_testbed_get_dev_fd(g_bed, "/dev/ttyACM0");
    cr_assert(m >= 0);
    return dup(m);
}

static void teardown(void)
{
    an3155_model_free(&model);
    if (g_bed) {
        g_object_unref(g_bed);
        g_bed = NULL;
    }
}

TestSuite(flash_uart_vcp, .fini = teardown);

static board_config_t board(board_uart_boot_t *ub)
{
    board_config_t b;
    memset(&b, 0, sizeof b);
    b.name = "custom-uart";
    b.kind = BOARD_HW;
    b.flasher = FLASHER_UART;
    b.link.transport = TRANSPORT_SERIAL;
    b.link.address = "/dev/ttyACM0";
    b.link.baud = 115200;
    b.timeouts.flash_ms = 60000;
    b.uart_boot = ub;
    return b;
}

Test(flash_uart_vcp, flashes_through_libserialport_at_8e1_and_starts_with_go)
{
    an3155_model_start_pty(&model, open_master());
    board_config_t b = board(NULL);
    uint8_t *img = image_bytes(3000, 21);
    char path[4096];
    image_write(img, 3000, path, sizeof path);
    flash_report_t rep;
    int rc = board_flasher_uart.program(&b, path, &rep, err, sizeof err);
    an3155_model_stop(&model);
    cr_assert_eq(rc, 0, "%s", err);
    cr_assert_str_eq(model.log, "sync;get;getid;erase 0;go 08000000;");
    cr_assert_eq(model.nacks, 0);
    cr_assert_eq(memcmp(model.flash, img, 3000), 0);
    cr_assert_eq(rep.bytes_written, 3000);
    cr_assert_eq(rep.sectors_erased, 1);
    cr_assert(rep.verified);
    cr_assert_str_eq(rep.probe_serial, "/dev/ttyACM0");
    cr_assert(rep.seconds > 0.0);
    free(img);
}

Test(flash_uart_vcp, wired_board_leaves_boot0_low_and_nrst_released_on_the_port)
{
    an3155_model_start_pty(&model, open_master());
    board_uart_boot_t ub = {.boot0 = "dtr", .nrst = "rts", .inverted = false, .baud = 115200};
    board_config_t b = board(&ub);
    uint8_t *img = image_bytes(600, 22);
    char path[4096];
    image_write(img, 600, path, sizeof path);
    flash_report_t rep;
    int rc = board_flasher_uart.program(&b, path, &rep, err, sizeof err);
    an3155_model_stop(&model);
    cr_assert_eq(rc, 0, "%s", err);
    /* Left by a reset through the lines, not by Go. */
    cr_assert_str_eq(model.log, "sync;get;getid;erase 0;");
    /* The lines as libserialport left them (the shim keeps them per process). */
    int fd = open("/dev/ttyACM0", O_RDWR | O_NOCTTY | O_NONBLOCK);
    cr_assert(fd >= 0);
    int lines = 0;
    cr_assert_eq(ioctl(fd, TIOCMGET, &lines), 0);
    close(fd);
    cr_assert_eq(lines & (TIOCM_DTR | TIOCM_RTS), 0, "BOOT0 low, NRST released: 0x%x", lines);
    free(img);
}

Test(flash_uart_vcp, a_port_that_does_not_exist_is_named)
{
    board_config_t b = board(NULL);
    b.link.address = "/dev/ttyACM9";
    uint8_t img[16] = {1};
    char path[4096];
    image_write(img, sizeof img, path, sizeof path);
    flash_report_t rep;
    cr_assert_eq(board_flasher_uart.program(&b, path, &rep, err, sizeof err), -1);
    cr_assert_not_null(strstr(err, "board custom-uart: "), "%s", err);
    cr_assert_not_null(strstr(err, "/dev/ttyACM9"), "%s", err);
}

Test(flash_uart_vcp, link_address_auto_is_refused_for_the_bootloader_port)
{
    board_config_t b = board(NULL);
    b.link.address = "auto";
    uint8_t img[16] = {1};
    char path[4096];
    image_write(img, sizeof img, path, sizeof path);
    flash_report_t rep;
    cr_assert_eq(board_flasher_uart.program(&b, path, &rep, err, sizeof err), -1);
    cr_assert_str_eq(err, "board custom-uart: flasher uart needs link.address to be the serial "
                          "port's device path (e.g. /dev/ttyUSB0)");
}
