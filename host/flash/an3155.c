/* AN3155 commands: each is {cmd, ~cmd}, ACK, then its arguments with an XOR
 * checksum, each acknowledged. */
#include <stdio.h>
#include <string.h>

#include "an3155.h"

/* Per-step answer time: the bootloader answers a command byte at once;
 * writes take a flash programming time. */
#define AN3155_ANSWER_MS 1000u
#define AN3155_WRITE_MS 2000u

static uint64_t now(const an3155_t *s)
{
    return s->io->clock.now_ms(s->io->clock.ctx);
}

/* ms to wait now: want, cut to what is left of the deadline. */
static int budget(an3155_t *s, unsigned want, const char *step)
{
    uint64_t t = now(s);
    if (t >= s->deadline) {
        snprintf(s->err, s->errlen, "%s: %s: the flash deadline (timeouts.flash_ms) ran out",
                 s->io->port, step);
        return -1;
    }
    uint64_t left = s->deadline - t;
    return (int)(left < want ? left : want);
}

static int send(an3155_t *s, const uint8_t *buf, size_t len, const char *step)
{
    char why[200] = "";
    int ms = budget(s, AN3155_ANSWER_MS, step);
    if (ms < 0) {
        return -1;
    }
    if (s->io->write(s->io->ctx, buf, len, ms, why, sizeof why) != 0) {
        snprintf(s->err, s->errlen, "%s: %s: write failed: %s", s->io->port, step, why);
        return -1;
    }
    return 0;
}

static int recv(an3155_t *s, uint8_t *buf, size_t len, unsigned want_ms, const char *step)
{
    size_t got = 0;
    char why[200] = "";
    while (got < len) {
        int ms = budget(s, want_ms, step);
        if (ms < 0) {
            return -1;
        }
        ssize_t n = s->io->read(s->io->ctx, buf + got, len - got, ms, why, sizeof why);
        if (n < 0) {
            snprintf(s->err, s->errlen, "%s: %s: read failed: %s", s->io->port, step, why);
            return -1;
        }
        if (n == 0) {
            snprintf(s->err, s->errlen, "%s: %s: no answer from the bootloader within %d ms",
                     s->io->port, step, ms);
            return -1;
        }
        got += (size_t)n;
    }
    return 0;
}

static int ack(an3155_t *s, unsigned want_ms, const char *step)
{
    uint8_t b = 0;
    if (recv(s, &b, 1, want_ms, step) != 0) {
        return -1;
    }
    if (b == AN3155_ACK) {
        return 0;
    }
    if (b == AN3155_NACK) {
        snprintf(s->err, s->errlen, "%s: %s: the bootloader answered NACK", s->io->port, step);
    } else {
        snprintf(s->err, s->errlen, "%s: %s: unexpected byte 0x%02x from the bootloader",
                 s->io->port, step, b);
    }
    return -1;
}

static int command(an3155_t *s, uint8_t cmd, const char *step)
{
    uint8_t b[2] = {cmd, (uint8_t)~cmd};
    if (send(s, b, 2, step) != 0) {
        return -1;
    }
    return ack(s, AN3155_ANSWER_MS, step);
}

static int address(an3155_t *s, uint32_t addr, const char *step)
{
    uint8_t b[5] = {(uint8_t)(addr >> 24), (uint8_t)(addr >> 16), (uint8_t)(addr >> 8),
                    (uint8_t)addr, 0};
    b[4] = b[0] ^ b[1] ^ b[2] ^ b[3];
    if (send(s, b, sizeof b, step) != 0) {
        return -1;
    }
    return ack(s, AN3155_ANSWER_MS, step);
}

int an3155_sync(an3155_t *s, unsigned tries)
{
    const char *step = "synchronising (0x7F)";
    for (unsigned i = 0; i < tries; i++) {
        uint8_t b = AN3155_SYNC;
        (void)s->io->flush_input(s->io->ctx);
        if (send(s, &b, 1, step) != 0) {
            return -1;
        }
        int ms = budget(s, 200, step);
        if (ms < 0) {
            return -1;
        }
        char why[200] = "";
        ssize_t n = s->io->read(s->io->ctx, &b, 1, ms, why, sizeof why);
        if (n < 0) {
            snprintf(s->err, s->errlen, "%s: %s: read failed: %s", s->io->port, step, why);
            return -1;
        }
        /* NACK: a bootloader synchronised before takes 0x7F as a bad command. */
        if (n == 1 && (b == AN3155_ACK || b == AN3155_NACK)) {
            return 0;
        }
    }
    snprintf(s->err, s->errlen,
             "%s: no answer to 0x7F after %u tries: is the board in its bootloader (BOOT0 "
             "high at reset), at 8E1 and the uart_boot baud?",
             s->io->port, tries);
    return -1;
}

int an3155_get(an3155_t *s, uint8_t *version, uint8_t *cmds, size_t cap, size_t *ncmds)
{
    const char *step = "Get (0x00)";
    uint8_t n = 0;
    uint8_t buf[256];
    if (command(s, AN3155_GET, step) != 0 || recv(s, &n, 1, AN3155_ANSWER_MS, step) != 0 ||
        recv(s, buf, (size_t)n + 1, AN3155_ANSWER_MS, step) != 0 ||
        ack(s, AN3155_ANSWER_MS, step) != 0) {
        return -1;
    }
    *version = buf[0];
    *ncmds = n < cap ? n : cap;
    memcpy(cmds, buf + 1, *ncmds);
    return 0;
}

int an3155_get_id(an3155_t *s, uint16_t *pid)
{
    const char *step = "Get ID (0x02)";
    uint8_t n = 0;
    uint8_t buf[256];
    if (command(s, AN3155_GET_ID, step) != 0 || recv(s, &n, 1, AN3155_ANSWER_MS, step) != 0 ||
        recv(s, buf, (size_t)n + 1, AN3155_ANSWER_MS, step) != 0 ||
        ack(s, AN3155_ANSWER_MS, step) != 0) {
        return -1;
    }
    if (n != 1) {
        snprintf(s->err, s->errlen, "%s: %s: %u ID bytes, not 2", s->io->port, step,
                 (unsigned)n + 1);
        return -1;
    }
    *pid = (uint16_t)(buf[0] << 8 | buf[1]);
    return 0;
}

int an3155_ext_erase(an3155_t *s, const uint16_t *sectors, size_t n, unsigned timeout_ms)
{
    char step[96];
    uint8_t buf[2 + 2 * 64 + 1];
    if (n == 0 || n > 64) {
        snprintf(s->err, s->errlen, "%s: erase of %zu sectors", s->io->port, n);
        return -1;
    }
    snprintf(step, sizeof step, "Extended Erase (0x44) of sectors %u..%u", (unsigned)sectors[0],
             (unsigned)sectors[n - 1]);
    size_t len = 0;
    buf[len++] = (uint8_t)((n - 1) >> 8);
    buf[len++] = (uint8_t)(n - 1);
    for (size_t i = 0; i < n; i++) {
        buf[len++] = (uint8_t)(sectors[i] >> 8);
        buf[len++] = (uint8_t)sectors[i];
    }
    uint8_t x = 0;
    for (size_t i = 0; i < len; i++) {
        x ^= buf[i];
    }
    buf[len++] = x;
    if (command(s, AN3155_EXT_ERASE, step) != 0 || send(s, buf, len, step) != 0) {
        return -1;
    }
    return ack(s, timeout_ms, step);
}

int an3155_write(an3155_t *s, uint32_t addr, const uint8_t *data, size_t len)
{
    char step[64];
    snprintf(step, sizeof step, "Write Memory (0x31) at 0x%08x", (unsigned)addr);
    if (len == 0 || len > AN3155_MAX_DATA) {
        snprintf(s->err, s->errlen, "%s: %s: %zu bytes", s->io->port, step, len);
        return -1;
    }
    uint8_t buf[AN3155_MAX_DATA + 2];
    buf[0] = (uint8_t)(len - 1);
    memcpy(buf + 1, data, len);
    uint8_t x = buf[0];
    for (size_t i = 0; i < len; i++) {
        x ^= data[i];
    }
    buf[len + 1] = x;
    if (command(s, AN3155_WRITE, step) != 0 || address(s, addr, step) != 0 ||
        send(s, buf, len + 2, step) != 0) {
        return -1;
    }
    return ack(s, AN3155_WRITE_MS, step);
}

int an3155_read(an3155_t *s, uint32_t addr, uint8_t *buf, size_t len)
{
    char step[64];
    snprintf(step, sizeof step, "Read Memory (0x11) at 0x%08x", (unsigned)addr);
    if (len == 0 || len > AN3155_MAX_DATA) {
        snprintf(s->err, s->errlen, "%s: %s: %zu bytes", s->io->port, step, len);
        return -1;
    }
    uint8_t n[2] = {(uint8_t)(len - 1), (uint8_t) ~(uint8_t)(len - 1)};
    if (command(s, AN3155_READ, step) != 0 || address(s, addr, step) != 0 ||
        send(s, n, 2, step) != 0 || ack(s, AN3155_ANSWER_MS, step) != 0) {
        return -1;
    }
    return recv(s, buf, len, AN3155_ANSWER_MS, step);
}

int an3155_go(an3155_t *s, uint32_t addr)
{
    const char *step = "Go (0x21)";
    if (command(s, AN3155_GO, step) != 0) {
        return -1;
    }
    return address(s, addr, step);
}
