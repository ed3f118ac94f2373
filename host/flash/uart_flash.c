#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flash_map.h"
#include "uart_flash.h"

/* NRST held low this long (the F4 needs 20 us; RC filters on boards more),
 * then this long for the bootloader to start listening. */
#define UART_RESET_HOLD_MS 50u
#define UART_BOOT_WAIT_MS 100u
#define UART_SYNC_TRIES 5u
/* Per sector: the F4's 128 KB sector erase takes up to 4 s (RM0090). */
#define UART_ERASE_SECTOR_MS 4000u

int uart_wiring_from_board(const board_config_t *b, uart_wiring_t *w, char *err, size_t errlen)
{
    memset(w, 0, sizeof *w);
    const board_uart_boot_t *u = b->uart_boot;
    if (!u) {
        return 0;
    }
    const char *names[2] = {u->boot0, u->nrst};
    const char *keys[2] = {"uart_boot.boot0", "uart_boot.nrst"};
    bool *wired[2] = {&w->boot0_wired, &w->nrst_wired};
    bool *dtr[2] = {&w->boot0_on_dtr, &w->nrst_on_dtr};
    for (int i = 0; i < 2; i++) {
        if (!names[i] || !names[i][0]) {
            continue;
        }
        if (strcmp(names[i], "dtr") != 0 && strcmp(names[i], "rts") != 0) {
            snprintf(err, errlen, "board %s: %s is \"%s\", not dtr or rts", b->name, keys[i],
                     names[i]);
            return -1;
        }
        *wired[i] = true;
        *dtr[i] = strcmp(names[i], "dtr") == 0;
    }
    if (w->boot0_wired && w->nrst_wired && w->boot0_on_dtr == w->nrst_on_dtr) {
        snprintf(err, errlen, "board %s: uart_boot.boot0 and uart_boot.nrst name one line",
                 b->name);
        return -1;
    }
    w->inverted = u->inverted;
    return 0;
}

uint32_t uart_flash_bytes_of_pid(uint16_t pid)
{
    switch (pid) {
    case 0x413: /* F405/407/415/417 */
        return 1024u * 1024;
    case 0x419: /* F42x/F43x: F439ZI */
    case 0x434: /* F469/479 */
        return 2048u * 1024;
    case 0x421: /* F446 */
    case 0x431: /* F411 */
    case 0x433: /* F401xD/E */
        return 512u * 1024;
    case 0x423: /* F401xB/C */
        return 256u * 1024;
    default:
        return 0;
    }
}

/* Drive BOOT0 and NRST; unwired lines are left as they are. */
static int lines(const uart_io_t *io, const uart_wiring_t *w, bool boot0, bool reset, char *err,
                 size_t errlen)
{
    serial_line_t dtr = SERIAL_LINE_LEAVE, rts = SERIAL_LINE_LEAVE;
    if (w->boot0_wired) {
        serial_line_t v = boot0 != w->inverted ? SERIAL_LINE_HIGH : SERIAL_LINE_LOW;
        *(w->boot0_on_dtr ? &dtr : &rts) = v;
    }
    if (w->nrst_wired) {
        serial_line_t v = reset != w->inverted ? SERIAL_LINE_HIGH : SERIAL_LINE_LOW;
        *(w->nrst_on_dtr ? &dtr : &rts) = v;
    }
    char why[200] = "";
    if (io->set_lines(io->ctx, dtr, rts, why, sizeof why) != 0) {
        snprintf(err, errlen, "%s: setting DTR/RTS failed: %s", io->port, why);
        return -1;
    }
    return 0;
}

/* Reset with BOOT0 at the given level: the board starts in the bootloader
 * (boot0) or in its image. */
static int restart(const uart_io_t *io, const uart_wiring_t *w, bool boot0, char *err,
                   size_t errlen)
{
    if (lines(io, w, boot0, true, err, errlen) != 0) {
        return -1;
    }
    io->clock.sleep_ms(io->clock.ctx, UART_RESET_HOLD_MS);
    if (lines(io, w, boot0, false, err, errlen) != 0) {
        return -1;
    }
    io->clock.sleep_ms(io->clock.ctx, UART_BOOT_WAIT_MS);
    return 0;
}

/* Bootloader identity: Extended Erase available, flash map from the PID. */
static int identify(an3155_t *s, flash_map_t *map)
{
    uint8_t version = 0, cmds[64];
    size_t ncmds = 0;
    uint16_t pid = 0;
    if (an3155_get(s, &version, cmds, sizeof cmds, &ncmds) != 0) {
        return -1;
    }
    bool ext = memchr(cmds, AN3155_EXT_ERASE, ncmds) != NULL;
    bool wr = memchr(cmds, AN3155_WRITE, ncmds) != NULL;
    bool rd = memchr(cmds, AN3155_READ, ncmds) != NULL;
    if (!ext || !wr || !rd) {
        snprintf(s->err, s->errlen,
                 "%s: bootloader v%u.%u lacks %s (read-protected, or not an STM32F4?)", s->io->port,
                 version >> 4, version & 15u,
                 !ext  ? "Extended Erase (0x44)"
                 : !wr ? "Write Memory (0x31)"
                       : "Read Memory (0x11)");
        return -1;
    }
    if (an3155_get_id(s, &pid) != 0) {
        return -1;
    }
    uint32_t bytes = uart_flash_bytes_of_pid(pid);
    char why[160];
    if (bytes == 0) {
        snprintf(s->err, s->errlen, "%s: product id 0x%03x is not an STM32F4 this flasher knows",
                 s->io->port, (unsigned)pid);
        return -1;
    }
    if (flash_map_stm32f4(bytes, map, why, sizeof why) != 0) {
        snprintf(s->err, s->errlen, "%s: %s", s->io->port, why);
        return -1;
    }
    return 0;
}

static int erase_write_verify(an3155_t *s, const flash_map_t *map, const uint8_t *img, size_t len,
                              flash_report_t *rep)
{
    unsigned first = 0, count = 0;
    char why[160];
    if (flash_map_span(map, len, &first, &count, why, sizeof why) != 0) {
        snprintf(s->err, s->errlen, "%s: %s", s->io->port, why);
        return -1;
    }
    /* One sector per command: each gets its own erase time. */
    for (unsigned i = first; i < first + count; i++) {
        uint16_t sector = (uint16_t)i;
        if (an3155_ext_erase(s, &sector, 1, UART_ERASE_SECTOR_MS) != 0) {
            return -1;
        }
        rep->sectors_erased++;
    }
    uint8_t chunk[AN3155_MAX_DATA];
    for (size_t off = 0; off < len; off += AN3155_MAX_DATA) {
        size_t n = len - off < AN3155_MAX_DATA ? len - off : AN3155_MAX_DATA;
        /* The F4 programs words: pad the tail with erased bytes, inside
         * the same (erased) sector. */
        size_t padded = (n + 3u) & ~(size_t)3u;
        memset(chunk, 0xFF, sizeof chunk);
        memcpy(chunk, img + off, n);
        if (an3155_write(s, map->base + (uint32_t)off, chunk, padded) != 0) {
            return -1;
        }
        rep->bytes_written += n;
    }
    for (size_t off = 0; off < len; off += AN3155_MAX_DATA) {
        size_t n = len - off < AN3155_MAX_DATA ? len - off : AN3155_MAX_DATA;
        if (an3155_read(s, map->base + (uint32_t)off, chunk, n) != 0) {
            return -1;
        }
        for (size_t i = 0; i < n; i++) {
            if (chunk[i] != img[off + i]) {
                snprintf(s->err, s->errlen,
                         "%s: verify failed at 0x%08x: wrote 0x%02x, read 0x%02x", s->io->port,
                         (unsigned)(map->base + off + i), img[off + i], chunk[i]);
                return -1;
            }
        }
    }
    rep->verified = true;
    return 0;
}

int uart_flash_program(const uart_io_t *io, const uart_wiring_t *w, const uint8_t *img, size_t len,
                       uint32_t deadline_ms, flash_report_t *rep, char *err, size_t errlen)
{
    an3155_t s = {io, io->clock.now_ms(io->clock.ctx) + deadline_ms, err, errlen};
    flash_map_t map;
    bool by_lines = w->boot0_wired && w->nrst_wired;
    if (by_lines && restart(io, w, true, err, errlen) != 0) {
        return -1;
    }
    if (an3155_sync(&s, UART_SYNC_TRIES) != 0 || identify(&s, &map) != 0 ||
        erase_write_verify(&s, &map, img, len, rep) != 0) {
        return -1;
    }
    /* Leave: a reset with BOOT0 low starts the image with every peripheral
     * reset; Go (no reset) only when the lines are not wired. */
    if (by_lines) {
        return restart(io, w, false, err, errlen);
    }
    return an3155_go(&s, map.base);
}

int uart_flash_reset(const uart_io_t *io, const uart_wiring_t *w, char *err, size_t errlen)
{
    if (!w->nrst_wired) {
        snprintf(err, errlen, "%s: no NRST line wired (board file uart_boot.nrst)", io->port);
        return -1;
    }
    return restart(io, w, false, err, errlen);
}
