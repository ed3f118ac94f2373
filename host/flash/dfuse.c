/* DfuSe engine: the request sequences of AN3156 and the DFU state machine
 * as the host sees it through DFU_GETSTATUS. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dfuse.h"

/* One control transfer never waits longer than this. */
#define DFU_TRANSFER_MS 5000u

typedef struct dfu_status {
    uint8_t status;
    uint32_t poll_ms;
    uint8_t state;
} dfu_status_t;

/* One run: the I/O and its deadline. */
typedef struct dfu_run {
    const dfu_io_t *io;
    uint64_t deadline;
    char *err;
    size_t errlen;
} dfu_run_t;

const char *dfu_status_name(uint8_t status)
{
    static const char *const names[] = {
        "OK",      "errTARGET", "errFILE",    "errWRITE",      "errERASE",    "errCHECK_ERASED",
        "errPROG", "errVERIFY", "errADDRESS", "errNOTDONE",    "errFIRMWARE", "errVENDOR",
        "errUSBR", "errPOR",    "errUNKNOWN", "errSTALLEDPKT",
    };
    return status < sizeof names / sizeof names[0] ? names[status] : "status?";
}

const char *dfu_state_name(uint8_t state)
{
    static const char *const names[] = {
        "appIDLE",          "appDETACH",   "dfuIDLE",
        "dfuDNLOAD-SYNC",   "dfuDNBUSY",   "dfuDNLOAD-IDLE",
        "dfuMANIFEST-SYNC", "dfuMANIFEST", "dfuMANIFEST-WAIT-RESET",
        "dfuUPLOAD-IDLE",   "dfuERROR",
    };
    return state < sizeof names / sizeof names[0] ? names[state] : "state?";
}

static int transfer_failed(dfu_run_t *r, int got, const char *step)
{
    if (got == DFU_IO_NO_DEVICE) {
        snprintf(r->err, r->errlen, "%s: gone from USB during %s (unplugged or reset?)",
                 r->io->device, step);
    } else {
        snprintf(r->err, r->errlen, "%s: %s failed (USB error %d)", r->io->device, step, got);
    }
    return -1;
}

static int ctl(dfu_run_t *r, uint8_t type, uint8_t req, uint16_t value, uint8_t *data, uint16_t len,
               const char *step)
{
    /* Every transfer inside the run's deadline. */
    uint64_t now = r->io->clock.now_ms(r->io->clock.ctx);
    if (now >= r->deadline) {
        snprintf(r->err, r->errlen, "%s: %s: the flash deadline (timeouts.flash_ms) ran out",
                 r->io->device, step);
        return -1;
    }
    uint64_t left = r->deadline - now;
    unsigned timeout = left < DFU_TRANSFER_MS ? (unsigned)left : DFU_TRANSFER_MS;
    int got = r->io->control(r->io->ctx, type, req, value, r->io->interface, data, len, timeout);
    if (got < 0) {
        return transfer_failed(r, got, step);
    }
    return got;
}

static int get_status(dfu_run_t *r, dfu_status_t *st, const char *step)
{
    uint8_t buf[6] = {0};
    int got = ctl(r, DFU_REQ_IN, DFU_GETSTATUS, 0, buf, sizeof buf, step);
    if (got < 0) {
        return -1;
    }
    if (got != (int)sizeof buf) {
        snprintf(r->err, r->errlen, "%s: DFU_GETSTATUS during %s answered %d bytes, not 6",
                 r->io->device, step, got);
        return -1;
    }
    st->status = buf[0];
    st->poll_ms = (uint32_t)buf[1] | (uint32_t)buf[2] << 8 | (uint32_t)buf[3] << 16;
    st->state = buf[4];
    return 0;
}

/* Wait bwPollTimeout before the next GETSTATUS, within the deadline. */
static int poll_wait(dfu_run_t *r, uint32_t ms, const char *step)
{
    uint64_t now = r->io->clock.now_ms(r->io->clock.ctx);
    if (now + ms > r->deadline) {
        snprintf(r->err, r->errlen,
                 "%s: still busy with %s when the flash deadline (timeouts.flash_ms) ran out",
                 r->io->device, step);
        return -1;
    }
    if (ms) {
        r->io->clock.sleep_ms(r->io->clock.ctx, ms);
    }
    return 0;
}

/* Clear an error state so the device accepts the next session. */
static void clear_error(dfu_run_t *r)
{
    char *keep = r->err;
    char scratch[128];
    r->err = scratch;
    (void)ctl(r, DFU_REQ_OUT, DFU_CLRSTATUS, 0, NULL, 0, "DFU_CLRSTATUS");
    r->err = keep;
}

/* After a DNLOAD: GETSTATUS until dfuDNLOAD-IDLE (or `want`), honouring
 * bwPollTimeout while dfuDNBUSY. */
static int wait_state(dfu_run_t *r, uint8_t want, const char *step)
{
    for (;;) {
        dfu_status_t st;
        if (get_status(r, &st, step) != 0) {
            return -1;
        }
        if (st.status != 0 || st.state == DFU_STATE_ERROR) {
            snprintf(r->err, r->errlen, "%s: %s: the device reports %s in state %s", r->io->device,
                     step, dfu_status_name(st.status), dfu_state_name(st.state));
            clear_error(r);
            return -1;
        }
        if (st.state == want) {
            return 0;
        }
        if (st.state != DFU_STATE_DNBUSY && st.state != DFU_STATE_DNLOAD_SYNC) {
            snprintf(r->err, r->errlen, "%s: %s: unexpected state %s", r->io->device, step,
                     dfu_state_name(st.state));
            return -1;
        }
        if (poll_wait(r, st.poll_ms, step) != 0) {
            return -1;
        }
    }
}

/* dfuIDLE from whatever the last session left: CLRSTATUS an error, ABORT
 * anything else. */
static int to_idle(dfu_run_t *r, const char *step)
{
    dfu_status_t st;
    if (get_status(r, &st, step) != 0) {
        return -1;
    }
    if (st.state == DFU_STATE_IDLE) {
        return 0;
    }
    uint8_t req = st.state == DFU_STATE_ERROR ? DFU_CLRSTATUS : DFU_ABORT;
    if (ctl(r, DFU_REQ_OUT, req, 0, NULL, 0, step) < 0 || get_status(r, &st, step) != 0) {
        return -1;
    }
    if (st.state != DFU_STATE_IDLE) {
        snprintf(r->err, r->errlen, "%s: %s: stays in %s (%s), not dfuIDLE", r->io->device, step,
                 dfu_state_name(st.state), dfu_status_name(st.status));
        return -1;
    }
    return 0;
}

/* A DfuSe command: DNLOAD block 0 {cmd, address little-endian}. */
static int command(dfu_run_t *r, uint8_t cmd, uint32_t addr, const char *step)
{
    uint8_t buf[5] = {cmd, (uint8_t)addr, (uint8_t)(addr >> 8), (uint8_t)(addr >> 16),
                      (uint8_t)(addr >> 24)};
    if (ctl(r, DFU_REQ_OUT, DFU_DNLOAD, 0, buf, sizeof buf, step) < 0) {
        return -1;
    }
    return wait_state(r, DFU_STATE_DNLOAD_IDLE, step);
}

static int erase(dfu_run_t *r, const flash_map_t *map, size_t len, flash_report_t *rep)
{
    unsigned first = 0, count = 0;
    char step[96];
    char why[160];
    if (flash_map_span(map, len, &first, &count, why, sizeof why) != 0) {
        snprintf(r->err, r->errlen, "%s: %s", r->io->device, why);
        return -1;
    }
    for (unsigned i = first; i < first + count; i++) {
        snprintf(step, sizeof step, "erasing sector %u at 0x%08x", i, (unsigned)map->start[i]);
        if (command(r, DFUSE_CMD_ERASE, map->start[i], step) != 0) {
            return -1;
        }
        rep->sectors_erased++;
    }
    return 0;
}

static int download(dfu_run_t *r, uint32_t base, const uint8_t *img, size_t len,
                    flash_report_t *rep)
{
    const size_t ts = r->io->transfer_size;
    char step[96];
    if (command(r, DFUSE_CMD_SET_ADDRESS, base, "setting the address pointer") != 0) {
        return -1;
    }
    uint32_t block = DFUSE_FIRST_DATA_BLOCK;
    for (size_t off = 0; off < len; off += ts, block++) {
        size_t n = len - off < ts ? len - off : ts;
        snprintf(step, sizeof step, "writing block %u (0x%08x, %zu bytes)", (unsigned)block,
                 (unsigned)(base + off), n);
        if (block > 0xFFFF) {
            snprintf(r->err, r->errlen, "%s: %s: past the last block number", r->io->device, step);
            return -1;
        }
        if (ctl(r, DFU_REQ_OUT, DFU_DNLOAD, (uint16_t)block, (uint8_t *)img + off, (uint16_t)n,
                step) < 0 ||
            wait_state(r, DFU_STATE_DNLOAD_IDLE, step) != 0) {
            return -1;
        }
        rep->bytes_written += n;
    }
    return 0;
}

static int verify(dfu_run_t *r, uint32_t base, const uint8_t *img, size_t len)
{
    const size_t ts = r->io->transfer_size;
    char step[96];
    int rc = -1;
    uint8_t *back = malloc(ts);
    if (!back) {
        snprintf(r->err, r->errlen, "%s: out of memory for verify", r->io->device);
        goto exit;
    }
    /* UPLOAD reads from the address pointer, which is set from dfuIDLE. */
    if (to_idle(r, "verify") != 0 ||
        command(r, DFUSE_CMD_SET_ADDRESS, base, "setting the address pointer to verify") != 0 ||
        to_idle(r, "verify") != 0) {
        goto exit;
    }
    uint32_t block = DFUSE_FIRST_DATA_BLOCK;
    for (size_t off = 0; off < len; off += ts, block++) {
        size_t n = len - off < ts ? len - off : ts;
        snprintf(step, sizeof step, "reading back block %u (0x%08x)", (unsigned)block,
                 (unsigned)(base + off));
        int got = ctl(r, DFU_REQ_IN, DFU_UPLOAD, (uint16_t)block, back, (uint16_t)ts, step);
        if (got < 0) {
            goto exit;
        }
        if ((size_t)got < n) {
            snprintf(r->err, r->errlen, "%s: %s: %d bytes, wanted %zu", r->io->device, step, got,
                     n);
            goto exit;
        }
        for (size_t i = 0; i < n; i++) {
            if (back[i] != img[off + i]) {
                snprintf(r->err, r->errlen,
                         "%s: verify failed at 0x%08x: wrote 0x%02x, read 0x%02x", r->io->device,
                         (unsigned)(base + off + i), img[off + i], back[i]);
                goto exit;
            }
        }
    }
    if (to_idle(r, "ending verify") != 0) {
        goto exit;
    }
    rc = 0;
exit:
    free(back);
    return rc;
}

/* Leave: the bootloader jumps to the address pointer after a zero-length
 * DNLOAD and the GETSTATUS that starts the manifest. */
static int leave(dfu_run_t *r, uint32_t base)
{
    if (command(r, DFUSE_CMD_SET_ADDRESS, base, "setting the start address") != 0) {
        return -1;
    }
    if (ctl(r, DFU_REQ_OUT, DFU_DNLOAD, DFUSE_FIRST_DATA_BLOCK, NULL, 0, "leaving DFU mode") < 0) {
        return -1;
    }
    uint8_t buf[6] = {0};
    int got = r->io->control(r->io->ctx, DFU_REQ_IN, DFU_GETSTATUS, 0, r->io->interface, buf,
                             sizeof buf, DFU_TRANSFER_MS);
    if (got < 0) {
        return 0; /* the device left the bus to start the image: done */
    }
    if (got == 6 && buf[0] == 0 &&
        (buf[4] == DFU_STATE_MANIFEST || buf[4] == DFU_STATE_MANIFEST_SYNC ||
         buf[4] == DFU_STATE_MANIFEST_WAIT_RESET)) {
        return 0;
    }
    snprintf(r->err, r->errlen, "%s: leaving DFU mode: the device reports %s in state %s",
             r->io->device, got == 6 ? dfu_status_name(buf[0]) : "a short status",
             got == 6 ? dfu_state_name(buf[4]) : "?");
    return -1;
}

int dfuse_program(const dfu_io_t *io, const flash_map_t *map, const uint8_t *img, size_t len,
                  uint32_t deadline_ms, flash_report_t *rep, char *err, size_t errlen)
{
    dfu_run_t r = {io, io->clock.now_ms(io->clock.ctx) + deadline_ms, err, errlen};
    if (io->transfer_size == 0) {
        snprintf(err, errlen, "%s: wTransferSize 0", io->device);
        return -1;
    }
    if (to_idle(&r, "starting") != 0 || erase(&r, map, len, rep) != 0 ||
        download(&r, map->base, img, len, rep) != 0 || verify(&r, map->base, img, len) != 0) {
        return -1;
    }
    rep->verified = true;
    return leave(&r, map->base);
}
