#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dfu_model.h"
#include "image_util.h"

#define BASE 0x08000000u
#define SIZE (2u * 1024 * 1024)
#define STALL (-9) /* LIBUSB_ERROR_PIPE */

static void logf_(dfu_model_t *m, const char *s)
{
    size_t l = strlen(m->log);
    snprintf(m->log + l, sizeof m->log - l, "%s", s);
}

static int violate(dfu_model_t *m, const char *what)
{
    if (!m->violation[0]) {
        snprintf(m->violation, sizeof m->violation, "%s (state %s)", what,
                 dfu_state_name(m->state));
    }
    m->state = DFU_STATE_ERROR;
    m->status = 15; /* errSTALLEDPKT */
    return STALL;
}

static void fail(dfu_model_t *m, uint8_t status)
{
    m->state = DFU_STATE_ERROR;
    m->status = status;
}

/* Runs the DNLOAD that the sync GETSTATUS acknowledges. */
static void execute(dfu_model_t *m)
{
    m->busy_until = m->now + m->poll_ms;
    if (m->pending_block == 0) {
        uint32_t a = (uint32_t)m->pending[1] | (uint32_t)m->pending[2] << 8 |
                     (uint32_t)m->pending[3] << 16 | (uint32_t)m->pending[4] << 24;
        if (m->pending[0] == DFUSE_CMD_SET_ADDRESS) {
            m->pointer = a;
            return;
        }
        uint32_t size = 0;
        uint32_t start = f4_sector_of(a - BASE, &size);
        if (a < BASE || a - BASE >= SIZE || start != a - BASE) {
            fail(m, 8); /* errADDRESS */
            return;
        }
        memset(m->flash + start, 0xFF, size);
        m->erases++;
        size_t l = strlen(m->erased);
        snprintf(m->erased + l, sizeof m->erased - l, "%08x ", (unsigned)a);
        m->busy_until = m->now + m->erase_poll_ms;
        return;
    }
    uint32_t a = m->pointer + (uint32_t)(m->pending_block - 2) * m->transfer_size;
    if (a < BASE || a - BASE + m->pending_len > SIZE) {
        fail(m, 8);
        return;
    }
    if (m->pending_block == m->fail_block) {
        fail(m, 6); /* errPROG */
        return;
    }
    for (unsigned i = 0; i < m->pending_len; i++) {
        m->flash[a - BASE + i] &= m->pending[i];
    }
    m->blocks++;
}

static int get_status(dfu_model_t *m, uint16_t value, uint8_t *data, uint16_t len)
{
    if (len != 6 || value != 0 || !data) {
        return violate(m, "GETSTATUS with wValue/wLength not 0/6");
    }
    uint32_t poll = 0;
    if (m->state == DFU_STATE_DNLOAD_SYNC) {
        m->state = DFU_STATE_DNBUSY;
        execute(m);
        if (m->state == DFU_STATE_DNBUSY) {
            poll = (uint32_t)(m->busy_until - m->now);
        }
    } else if (m->state == DFU_STATE_DNBUSY) {
        if (m->now < m->busy_until) {
            violate(m, "GETSTATUS before bwPollTimeout elapsed");
        } else {
            m->state = DFU_STATE_DNLOAD_IDLE;
        }
    } else if (m->state == DFU_STATE_MANIFEST_SYNC) {
        m->state = DFU_STATE_MANIFEST;
        m->left = true;
        m->jump_to = m->pointer;
    }
    uint8_t st[6] = {
        m->status, (uint8_t)poll, (uint8_t)(poll >> 8), (uint8_t)(poll >> 16), m->state, 0};
    memcpy(data, st, 6);
    return 6;
}

static int dnload(dfu_model_t *m, uint16_t value, const uint8_t *data, uint16_t len)
{
    if (m->state != DFU_STATE_IDLE && m->state != DFU_STATE_DNLOAD_IDLE) {
        return violate(m, "DNLOAD outside dfuIDLE/dfuDNLOAD-IDLE");
    }
    if (len == 0) {
        if (m->state != DFU_STATE_DNLOAD_IDLE) {
            return violate(m, "zero-length DNLOAD outside dfuDNLOAD-IDLE");
        }
        m->state = DFU_STATE_MANIFEST_SYNC;
        return 0;
    }
    if (value == 1 || len > m->transfer_size || !data) {
        return violate(m, "DNLOAD block 1 or longer than wTransferSize");
    }
    if (value == 0 &&
        (len != 5 || (data[0] != DFUSE_CMD_SET_ADDRESS && data[0] != DFUSE_CMD_ERASE))) {
        return violate(m, "unknown DfuSe command");
    }
    m->pending_block = value;
    memcpy(m->pending, data, len);
    m->pending_len = len;
    m->state = DFU_STATE_DNLOAD_SYNC;
    return len;
}

static int upload(dfu_model_t *m, uint16_t value, uint8_t *data, uint16_t len)
{
    if ((m->state != DFU_STATE_IDLE && m->state != DFU_STATE_UPLOAD_IDLE) || value < 2 || !data) {
        return violate(m, "UPLOAD outside dfuIDLE/dfuUPLOAD-IDLE or block < 2");
    }
    uint32_t a = m->pointer + (uint32_t)(value - 2) * m->transfer_size;
    uint16_t n = len < m->transfer_size ? len : m->transfer_size;
    if (a < BASE || a - BASE + n > SIZE) {
        return violate(m, "UPLOAD outside flash");
    }
    memcpy(data, m->flash + (a - BASE), n);
    if (m->corrupt_addr >= a && m->corrupt_addr < a + n) {
        data[m->corrupt_addr - a] ^= 0x01;
    }
    m->uploads++;
    m->state = DFU_STATE_UPLOAD_IDLE;
    return n;
}

static int control(void *ctx, uint8_t type, uint8_t req, uint16_t value, uint16_t index,
                   uint8_t *data, uint16_t len, unsigned timeout_ms)
{
    dfu_model_t *m = ctx;
    char line[64];
    snprintf(line, sizeof line, "%02X.%02X v%u n%u", type, req, value, len);
    logf_(m, line);
    if (type == DFU_REQ_OUT && len == 5 && data) {
        snprintf(line, sizeof line, " [%02X%02X%02X%02X%02X]", data[0], data[1], data[2], data[3],
                 data[4]);
        logf_(m, line);
    }
    logf_(m, ";");
    m->transfers++;
    m->now += m->transfer_ms;
    if (m->gone_after >= 0 && m->transfers > (unsigned)m->gone_after) {
        return DFU_IO_NO_DEVICE;
    }
    if (index != 0 || timeout_ms == 0) {
        return violate(m, "wIndex not interface 0, or no timeout");
    }
    if (m->left) {
        return DFU_IO_NO_DEVICE;
    }
    if (type == DFU_REQ_IN && req == DFU_GETSTATUS) {
        return get_status(m, value, data, len);
    }
    if (type == DFU_REQ_OUT && req == DFU_DNLOAD) {
        return dnload(m, value, data, len);
    }
    if (type == DFU_REQ_IN && req == DFU_UPLOAD) {
        return upload(m, value, data, len);
    }
    if (type == DFU_REQ_OUT && req == DFU_CLRSTATUS && len == 0) {
        if (m->state != DFU_STATE_ERROR) {
            return violate(m, "CLRSTATUS outside dfuERROR");
        }
        m->state = DFU_STATE_IDLE;
        m->status = 0;
        return 0;
    }
    if (type == DFU_REQ_OUT && req == DFU_ABORT && len == 0) {
        if (m->state == DFU_STATE_ERROR || m->state == DFU_STATE_DNBUSY) {
            return violate(m, "ABORT in dfuERROR or dfuDNBUSY");
        }
        m->state = DFU_STATE_IDLE;
        return 0;
    }
    return violate(m, "request not in the DfuSe protocol");
}

static uint64_t now_ms(void *ctx)
{
    return ((dfu_model_t *)ctx)->now;
}

static void sleep_ms(void *ctx, unsigned ms)
{
    dfu_model_t *m = ctx;
    m->now += ms;
    m->slept_ms += ms;
}

void dfu_model_init(dfu_model_t *m)
{
    memset(m, 0, sizeof *m);
    m->flash = malloc(SIZE);
    memset(m->flash, 0xA5, SIZE);
    m->state = DFU_STATE_IDLE;
    m->transfer_size = 2048;
    m->poll_ms = 3;
    m->erase_poll_ms = 25;
    m->gone_after = -1;
    m->now = 1000;
}

void dfu_model_free(dfu_model_t *m)
{
    free(m->flash);
    m->flash = NULL;
}

dfu_io_t dfu_model_io(dfu_model_t *m)
{
    dfu_io_t io = {control,
                   m,
                   {now_ms, sleep_ms, m},
                   0,
                   m->transfer_size,
                   "DFU device 0483:df11 serial 3276386B3331"};
    return io;
}
