/* The stlink flasher's sequencing: what to erase, in which order, verify,
 * reset. The probe itself is behind stlink_ops_t. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "flash_image.h"
#include "flash_map.h"
#include "flash_watchdog.h"
#include "stlink_flash.h"

/* Larger than any STM32F4's flash: a bigger .bin is not an image. */
#define STLINK_IMAGE_MAX (16u * 1024 * 1024)

static int verify(const stlink_ops_t *ops, void *h, const char *serial, const uint8_t *img,
                  size_t len, char *err, size_t errlen)
{
    int rc = -1;
    char why[256] = "";
    uint8_t *back = malloc(STLINK_CHUNK);
    if (!back) {
        snprintf(err, errlen, "stlink probe %s: out of memory for verify", serial);
        goto exit;
    }
    for (size_t off = 0; off < len; off += STLINK_CHUNK) {
        size_t n = len - off < STLINK_CHUNK ? len - off : STLINK_CHUNK;
        uint32_t addr = STM32_FLASH_BASE + (uint32_t)off;
        if (ops->read(h, addr, back, n, why, sizeof why) != 0) {
            snprintf(err, errlen, "stlink probe %s: verify read at 0x%08x failed: %s", serial,
                     (unsigned)addr, why);
            goto exit;
        }
        for (size_t i = 0; i < n; i++) {
            if (back[i] != img[off + i]) {
                snprintf(err, errlen,
                         "stlink probe %s: verify failed at 0x%08x: wrote 0x%02x, read 0x%02x",
                         serial, (unsigned)(addr + i), img[off + i], back[i]);
                goto exit;
            }
        }
    }
    rc = 0;
exit:
    free(back);
    return rc;
}

/* The F4's flash loader programs whole words: a tail that is not one is
 * padded with erased bytes (0xFF), inside the image's last sector. */
static int write_chunk(const stlink_ops_t *ops, void *h, uint32_t addr, const uint8_t *data,
                       size_t n, char *why, size_t whylen)
{
    if (n % 4 == 0) {
        return ops->write(h, addr, data, n, why, whylen);
    }
    size_t padded = (n + 3u) & ~(size_t)3u;
    uint8_t *buf = malloc(padded);
    if (!buf) {
        snprintf(why, whylen, "out of memory");
        return -1;
    }
    memset(buf, 0xFF, padded);
    memcpy(buf, data, n);
    int rc = ops->write(h, addr, buf, padded, why, whylen);
    free(buf);
    return rc;
}

/* Reset the target, then leave debug mode so the image runs: the end of a
 * program and the whole of a reset. what names the step in errors. */
static int reset_and_run(const stlink_ops_t *ops, void *h, const char *serial, const char *what,
                         char *err, size_t errlen)
{
    char why[256] = "";
    if (ops->reset(h, why, sizeof why) != 0) {
        snprintf(err, errlen, "stlink probe %s: %s failed: %s", serial, what, why);
        return -1;
    }
    if (ops->exit_debug(h, why, sizeof why) != 0) {
        snprintf(err, errlen, "stlink probe %s: leaving debug mode failed: %s", serial, why);
        return -1;
    }
    return 0;
}

int stlink_flash_program(const stlink_ops_t *ops, const char *serial, const uint8_t *img,
                         size_t len, flash_report_t *rep, char *err, size_t errlen)
{
    int rc = -1;
    char why[256] = "";
    uint32_t flash_bytes = 0;
    flash_map_t map;
    unsigned first = 0, count = 0;
    void *h = ops->open(ops->ctx, serial, &flash_bytes, why, sizeof why);
    if (!h) {
        snprintf(err, errlen, "stlink probe %s: %s", serial, why);
        goto exit;
    }
    if (flash_map_stm32f4(flash_bytes, &map, why, sizeof why) != 0 ||
        flash_map_span(&map, len, &first, &count, why, sizeof why) != 0) {
        snprintf(err, errlen, "stlink probe %s: %s", serial, why);
        goto exit;
    }
    /* Erase all first, then write: a failed erase leaves the old image's
     * other sectors untouched. */
    for (unsigned i = first; i < first + count; i++) {
        if (ops->erase_sector(h, map.start[i], why, sizeof why) != 0) {
            snprintf(err, errlen, "stlink probe %s: erasing sector %u at 0x%08x failed: %s", serial,
                     i, (unsigned)map.start[i], why);
            goto exit;
        }
        rep->sectors_erased++;
    }
    for (size_t off = 0; off < len; off += STLINK_CHUNK) {
        size_t n = len - off < STLINK_CHUNK ? len - off : STLINK_CHUNK;
        uint32_t addr = STM32_FLASH_BASE + (uint32_t)off;
        if (write_chunk(ops, h, addr, img + off, n, why, sizeof why) != 0) {
            snprintf(err, errlen, "stlink probe %s: writing %zu bytes at 0x%08x failed: %s", serial,
                     n, (unsigned)addr, why);
            goto exit;
        }
        rep->bytes_written += n;
    }
    if (verify(ops, h, serial, img, len, err, errlen) != 0) {
        goto exit;
    }
    rep->verified = true;
    /* libstlink's run alone starts the image with the peripherals as the
     * old image left them: reset first. */
    if (reset_and_run(ops, h, serial, "reset after flashing", err, errlen) != 0) {
        goto exit;
    }
    rc = 0;
exit:
    if (h) {
        ops->close(h);
    }
    return rc;
}

int stlink_flash_reset(const stlink_ops_t *ops, const char *serial, char *err, size_t errlen)
{
    int rc = -1;
    char why[256] = "";
    uint32_t flash_bytes = 0;
    void *h = ops->open(ops->ctx, serial, &flash_bytes, why, sizeof why);
    if (!h) {
        snprintf(err, errlen, "stlink probe %s: %s", serial, why);
        goto exit;
    }
    if (reset_and_run(ops, h, serial, "reset", err, errlen) != 0) {
        goto exit;
    }
    rc = 0;
exit:
    if (h) {
        ops->close(h);
    }
    return rc;
}

/* What the watched child runs. */
typedef struct stlink_job {
    const stlink_ops_t *ops;
    const char *serial;
    const flash_image_t *img; /* NULL: reset only */
} stlink_job_t;

static int stlink_job_run(void *arg, flash_report_t *rep, char *err, size_t errlen)
{
    const stlink_job_t *job = arg;
    if (!job->img) {
        return stlink_flash_reset(job->ops, job->serial, err, errlen);
    }
    return stlink_flash_program(job->ops, job->serial, job->img->data, job->img->len, rep, err,
                                errlen);
}

static const char *board_serial(const board_config_t *b, char *err, size_t errlen)
{
    if (!b->usb || !b->usb->serial || !b->usb->serial[0]) {
        snprintf(err, errlen, "board %s: flasher stlink needs usb.serial (the probe's serial)",
                 b->name);
        return NULL;
    }
    return b->usb->serial;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

int stlink_board_program(const stlink_ops_t *ops, const board_config_t *b, const char *image,
                         const char *log, flash_report_t *rep, char *err, size_t errlen)
{
    int rc = -1;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    flash_image_t img = {0};
    char own_log[4200];
    char what[200];
    memset(rep, 0, sizeof *rep);
    const char *serial = board_serial(b, err, errlen);
    if (!serial) {
        goto exit;
    }
    snprintf(rep->probe_serial, sizeof rep->probe_serial, "%s", serial);
    if (flash_image_load(image, STLINK_IMAGE_MAX, &img, err, errlen) != 0) {
        goto exit;
    }
    if (!log || !log[0]) {
        snprintf(own_log, sizeof own_log, "%s.stlink.log", image);
        log = own_log;
    }
    snprintf(what, sizeof what, "stlink probe %s", serial);
    stlink_job_t job = {ops, serial, &img};
    rc =
        flash_watchdog_run(stlink_job_run, &job, b->timeouts.flash_ms, log, what, rep, err, errlen);
exit:
    flash_image_free(&img);
    rep->seconds = seconds_since(&t0);
    return rc;
}

int stlink_board_reset(const stlink_ops_t *ops, const board_config_t *b, const char *log, char *err,
                       size_t errlen)
{
    flash_report_t rep = {0};
    const char *serial = board_serial(b, err, errlen);
    if (!serial) {
        return -1;
    }
    char what[200];
    snprintf(what, sizeof what, "stlink probe %s", serial);
    stlink_job_t job = {ops, serial, NULL};
    return flash_watchdog_run(stlink_job_run, &job, b->timeouts.flash_ms, log, what, &rep, err,
                              errlen);
}
