#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image_util.h"
#include "stlink_model.h"

#define BASE 0x08000000u

static void record(stlink_model_t *m, const char *fmt, uint32_t a, size_t n)
{
    size_t l = strlen(m->calls);
    snprintf(m->calls + l, sizeof m->calls - l, fmt, (unsigned)a, n);
}

static bool fails(stlink_model_t *m, const char *step, char *err, size_t errlen)
{
    if (m->fail_at && strcmp(m->fail_at, step) == 0) {
        snprintf(err, errlen, "model: %s failed", step);
        return true;
    }
    return false;
}

static void *m_open(void *ctx, const char *serial, uint32_t *flash_bytes, char *err, size_t errlen)
{
    stlink_model_t *m = ctx;
    record(m, "open;", 0, 0);
    if (m->chatter) {
        printf("2026-01-01T00:00:00 INFO common.c: model chatter on stdout\n");
        fprintf(stderr, "2026-01-01T00:00:00 WARN usb.c: model chatter on stderr\n");
    }
    if (fails(m, "open", err, errlen)) {
        snprintf(err, errlen, "no ST-Link with this serial is attached");
        return NULL;
    }
    (void)serial;
    m->opens++;
    *flash_bytes = m->flash_bytes;
    return m;
}

static int m_erase(void *h, uint32_t addr, char *err, size_t errlen)
{
    stlink_model_t *m = h;
    record(m, "erase %08x;", addr, 0);
    if (fails(m, "erase", err, errlen)) {
        return -1;
    }
    uint32_t size = 0;
    uint32_t start = f4_sector_of(addr - BASE, &size);
    if (addr - BASE != start || addr < BASE || addr - BASE >= m->flash_bytes) {
        snprintf(err, errlen, "model: 0x%08x is not a sector start", (unsigned)addr);
        return -1;
    }
    memset(m->flash + start, 0xFF, size);
    return 0;
}

static int m_write(void *h, uint32_t addr, const uint8_t *data, size_t len, char *err,
                   size_t errlen)
{
    stlink_model_t *m = h;
    record(m, "write %08x %zu;", addr, len);
    if (m->hang_at_write) {
        for (;;) {
            pause(); /* like libstlink's flash wait on a wedged probe */
        }
    }
    if (fails(m, "write", err, errlen)) {
        return -1;
    }
    if (addr < BASE || addr - BASE + len > m->flash_bytes) {
        snprintf(err, errlen, "model: write outside flash");
        return -1;
    }
    for (size_t i = 0; i < len; i++) {
        m->flash[addr - BASE + i] &= data[i]; /* NOR: programming clears bits */
    }
    return 0;
}

static int m_read(void *h, uint32_t addr, uint8_t *buf, size_t len, char *err, size_t errlen)
{
    stlink_model_t *m = h;
    record(m, "read %08x %zu;", addr, len);
    if (fails(m, "read", err, errlen)) {
        return -1;
    }
    memcpy(buf, m->flash + (addr - BASE), len);
    if (m->corrupt_addr >= addr && m->corrupt_addr < addr + len) {
        buf[m->corrupt_addr - addr] ^= 0x10;
    }
    return 0;
}

static int m_reset(void *h, char *err, size_t errlen)
{
    stlink_model_t *m = h;
    record(m, "reset;", 0, 0);
    return fails(m, "reset", err, errlen) ? -1 : 0;
}

static int m_exit(void *h, char *err, size_t errlen)
{
    stlink_model_t *m = h;
    record(m, "exit;", 0, 0);
    return fails(m, "exit", err, errlen) ? -1 : 0;
}

static void m_close(void *h)
{
    stlink_model_t *m = h;
    record(m, "close;", 0, 0);
    m->closes++;
}

void stlink_model_init(stlink_model_t *m, uint32_t flash_bytes)
{
    memset(m, 0, sizeof *m);
    m->flash_bytes = flash_bytes;
    m->flash = malloc(flash_bytes);
    memset(m->flash, 0xA5, flash_bytes);
}

void stlink_model_free(stlink_model_t *m)
{
    free(m->flash);
    m->flash = NULL;
}

stlink_ops_t stlink_model_ops(stlink_model_t *m)
{
    stlink_ops_t ops = {m_open, m_erase, m_write, m_read, m_reset, m_exit, m_close, m};
    return ops;
}
