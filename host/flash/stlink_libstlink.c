/* stlink_ops_t on libstlink (Debian libstlink-dev 1.7.0), and the board
 * flasher "stlink". Runs inside the watchdog's child (stlink_flash.c): its
 * chatter goes to the child's log, its hangs are killed there. */
#include <stdio.h>
#include <string.h>

#include <stlink.h>
#include <flash_loader.h>
#include <logging.h>
#include <usb.h>

#include "board_flasher.h"
#include "stlink_flash.h"

/* libstlink reads flash through its 100 KB q_buf; st-flash reads 0x1800 at
 * a time. */
#define LIBSTLINK_READ_CHUNK 0x1800u
#define LIBSTLINK_SWD_KHZ 1800

static void *lib_open(void *ctx, const char *serial, uint32_t *flash_bytes, char *err,
                      size_t errlen)
{
    (void)ctx;
    char want[STLINK_SERIAL_BUFFER_SIZE] = {0};
    if (strlen(serial) != STLINK_SERIAL_LENGTH) {
        snprintf(err, errlen, "usb.serial must be the probe's %d-character serial",
                 STLINK_SERIAL_LENGTH);
        return NULL;
    }
    memcpy(want, serial, STLINK_SERIAL_LENGTH);
    /* CONNECT_NORMAL: attach and halt; flashing resets the board anyway. */
    stlink_t *sl = stlink_open_usb(UWARN, CONNECT_NORMAL, want, LIBSTLINK_SWD_KHZ);
    if (!sl) {
        snprintf(err, errlen, "no ST-Link with this serial is attached (or it is busy)");
        return NULL;
    }
    if (sl->flash_type == STLINK_FLASH_TYPE_UNKNOWN) {
        snprintf(err, errlen, "the probe answers but no target does (power, SWD cable?)");
        goto fail;
    }
    if (stlink_current_mode(sl) == STLINK_DEV_DFU_MODE && stlink_exit_dfu_mode(sl) != 0) {
        snprintf(err, errlen, "the probe stays in its own DFU mode");
        goto fail;
    }
    if (stlink_current_mode(sl) != STLINK_DEV_DEBUG_MODE && stlink_enter_swd_mode(sl) != 0) {
        snprintf(err, errlen, "entering SWD mode failed");
        goto fail;
    }
    /* The flash loader runs from RAM: the core must be halted. */
    if (stlink_force_debug(sl) != 0 || stlink_status(sl) != 0) {
        snprintf(err, errlen, "halting the core failed");
        goto fail;
    }
    *flash_bytes = (uint32_t)sl->flash_size;
    return sl;
fail:
    stlink_close(sl);
    return NULL;
}

static int lib_erase_sector(void *h, uint32_t addr, char *err, size_t errlen)
{
    if (stlink_erase_flash_page(h, addr) != 0) {
        snprintf(err, errlen, "libstlink could not erase the sector");
        return -1;
    }
    return 0;
}

/* stlink_write_flash() would erase again and verify on its own: the loader
 * calls program erased flash only. */
static int lib_write(void *h, uint32_t addr, const uint8_t *data, size_t len, char *err,
                     size_t errlen)
{
    flash_loader_t fl;
    memset(&fl, 0, sizeof fl);
    if (stlink_flashloader_start(h, &fl) != 0) {
        snprintf(err, errlen, "starting the flash loader failed");
        return -1;
    }
    int rc = stlink_flashloader_write(h, &fl, addr, (uint8_t *)data, (uint32_t)len);
    int stop = stlink_flashloader_stop(h, &fl);
    if (rc != 0 || stop != 0) {
        snprintf(err, errlen, "the flash loader reported an error");
        return -1;
    }
    return 0;
}

static int lib_read(void *h, uint32_t addr, uint8_t *buf, size_t len, char *err, size_t errlen)
{
    stlink_t *sl = h;
    for (size_t off = 0; off < len; off += LIBSTLINK_READ_CHUNK) {
        size_t n = len - off < LIBSTLINK_READ_CHUNK ? len - off : LIBSTLINK_READ_CHUNK;
        size_t aligned = (n + 3u) & ~(size_t)3u; /* read_mem32 wants words */
        if (stlink_read_mem32(sl, addr + (uint32_t)off, (uint16_t)aligned) != 0) {
            snprintf(err, errlen, "reading memory failed");
            return -1;
        }
        memcpy(buf + off, sl->q_buf, n);
    }
    return 0;
}

static int lib_reset(void *h, char *err, size_t errlen)
{
    /* RESET_AUTO: NRST when wired, else SYSRESETREQ. */
    if (stlink_reset(h, RESET_AUTO) != 0) {
        snprintf(err, errlen, "neither NRST nor SYSRESETREQ reset the core");
        return -1;
    }
    return 0;
}

static int lib_exit_debug(void *h, char *err, size_t errlen)
{
    if (stlink_run(h, RUN_NORMAL) != 0 || stlink_exit_debug_mode(h) != 0) {
        snprintf(err, errlen, "the core did not leave debug mode");
        return -1;
    }
    return 0;
}

static void lib_close(void *h)
{
    stlink_close(h);
}

static const stlink_ops_t libstlink_ops = {
    lib_open, lib_erase_sector, lib_write, lib_read, lib_reset, lib_exit_debug, lib_close, NULL,
};

static int stlink_program(const board_config_t *b, const char *image, flash_report_t *rep,
                          char *err, size_t errlen)
{
    /* libstlink's chatter into the image's console log (set by the session),
     * else beside the image. */
    return stlink_board_program(&libstlink_ops, b, image, board_flasher_console_log(), rep, err,
                                errlen);
}

static int stlink_reset_board(const board_config_t *b, char *err, size_t errlen)
{
    return stlink_board_reset(&libstlink_ops, b, board_flasher_console_log(), err, errlen);
}

const board_flasher_t board_flasher_stlink = {"stlink", stlink_program, stlink_reset_board};
