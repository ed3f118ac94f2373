/* The board flasher "dfu": the STM32 system bootloader's DfuSe interface
 * found on libusb (0483:df11, usb.serial when set), driven by dfuse.c. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <libusb.h>

#include "board_flasher.h"
#include "dfuse.h"
#include "flash_image.h"

#define STM32_DFU_VID 0x0483
#define STM32_DFU_PID 0xdf11
#define DFU_FUNCTIONAL_DESCRIPTOR 0x21
#define DFU_DEFAULT_TRANSFER 2048
#define DFU_IMAGE_MAX (16u * 1024 * 1024)

typedef struct dfu_dev {
    libusb_context *ctx;
    libusb_device_handle *h;
    bool claimed;
    char layout[256];       /* alt setting 0's name: the flash layout */
    uint16_t transfer_size; /* from the DFU functional descriptor */
    char serial[128];
} dfu_dev_t;

static int usb_control(void *ctx, uint8_t type, uint8_t req, uint16_t value, uint16_t index,
                       uint8_t *data, uint16_t length, unsigned timeout_ms)
{
    dfu_dev_t *d = ctx;
    int got = libusb_control_transfer(d->h, type, req, value, index, data, length, timeout_ms);
    return got == LIBUSB_ERROR_NO_DEVICE ? DFU_IO_NO_DEVICE : got;
}

/* Interface 0, alt 0: its name (the layout) and wTransferSize. */
static int read_descriptors(dfu_dev_t *d, libusb_device *dev, char *err, size_t errlen)
{
    struct libusb_config_descriptor *cfg = NULL;
    if (libusb_get_active_config_descriptor(dev, &cfg) != 0 || cfg->bNumInterfaces < 1 ||
        cfg->interface[0].num_altsetting < 1) {
        snprintf(err, errlen, "no DFU interface descriptor");
        if (cfg) {
            libusb_free_config_descriptor(cfg);
        }
        return -1;
    }
    const struct libusb_interface_descriptor *alt = &cfg->interface[0].altsetting[0];
    d->transfer_size = DFU_DEFAULT_TRANSFER;
    for (int off = 0; off + 7 <= alt->extra_length; off += alt->extra[off]) {
        const unsigned char *x = alt->extra + off;
        if (x[0] < 2) {
            break;
        }
        if (x[1] == DFU_FUNCTIONAL_DESCRIPTOR && x[0] >= 7) {
            d->transfer_size = (uint16_t)(x[5] | x[6] << 8);
        }
    }
    int n = alt->iInterface ? libusb_get_string_descriptor_ascii(d->h, alt->iInterface,
                                                                 (unsigned char *)d->layout,
                                                                 (int)sizeof d->layout - 1)
                            : -1;
    libusb_free_config_descriptor(cfg);
    if (n <= 0) {
        snprintf(err, errlen, "its alt setting 0 has no name (no flash layout)");
        return -1;
    }
    d->layout[n] = '\0';
    return 0;
}

/* Opens the one DFU device that matches (serial NULL: any, but only one). */
static int dfu_open(dfu_dev_t *d, const char *serial, char *err, size_t errlen)
{
    libusb_device **list = NULL;
    int rc = -1;
    unsigned matches = 0;
    int open_error = 0;
    if (libusb_init(&d->ctx) != 0) {
        snprintf(err, errlen, "libusb_init failed");
        d->ctx = NULL;
        return -1;
    }
    ssize_t n = libusb_get_device_list(d->ctx, &list);
    for (ssize_t i = 0; i < n; i++) {
        struct libusb_device_descriptor desc;
        if (libusb_get_device_descriptor(list[i], &desc) != 0 || desc.idVendor != STM32_DFU_VID ||
            desc.idProduct != STM32_DFU_PID) {
            continue;
        }
        libusb_device_handle *h = NULL;
        int orc = libusb_open(list[i], &h);
        if (orc != 0) {
            open_error = orc;
            continue;
        }
        char got[128] = "";
        if (desc.iSerialNumber) {
            (void)libusb_get_string_descriptor_ascii(h, desc.iSerialNumber, (unsigned char *)got,
                                                     (int)sizeof got);
        }
        if ((serial && strcmp(serial, got) != 0) || d->h) {
            matches += !serial || strcmp(serial, got) == 0;
            libusb_close(h);
            continue;
        }
        matches++;
        d->h = h;
        snprintf(d->serial, sizeof d->serial, "%s", got);
        if (read_descriptors(d, list[i], err, errlen) != 0) {
            goto exit;
        }
    }
    if (!d->h && open_error) {
        snprintf(err, errlen,
                 "attached but cannot be opened (%s: permissions? see the udev rules in "
                 "docs/boards.md)",
                 libusb_error_name(open_error));
        goto exit;
    }
    if (!d->h) {
        snprintf(err, errlen,
                 "not found on USB (is the board in its bootloader: BOOT0 high, "
                 "then reset?)");
        goto exit;
    }
    if (matches > 1) {
        snprintf(err, errlen, "%u DFU devices attached and no usb.serial to choose one", matches);
        goto exit;
    }
    if (libusb_claim_interface(d->h, 0) != 0) {
        snprintf(err, errlen, "cannot claim interface 0 (in use, or no permission: udev rules)");
        goto exit;
    }
    d->claimed = true;
    if (libusb_set_interface_alt_setting(d->h, 0, 0) != 0) {
        snprintf(err, errlen, "cannot select alt setting 0 (internal flash)");
        goto exit;
    }
    rc = 0;
exit:
    if (list) {
        libusb_free_device_list(list, 1);
    }
    return rc;
}

static void dfu_close(dfu_dev_t *d)
{
    if (d->h && d->claimed) {
        (void)libusb_release_interface(d->h, 0); /* fails once the device left: fine */
    }
    if (d->h) {
        libusb_close(d->h);
    }
    if (d->ctx) {
        libusb_exit(d->ctx);
    }
    memset(d, 0, sizeof *d);
}

static int dfu_program(const board_config_t *b, const char *image, flash_report_t *rep, char *err,
                       size_t errlen)
{
    int rc = -1;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    dfu_dev_t d;
    memset(&d, 0, sizeof d);
    memset(rep, 0, sizeof *rep);
    flash_image_t img = {0};
    flash_map_t map;
    char why[384] = "";
    char device[200];
    const char *serial = b->usb && b->usb->serial && b->usb->serial[0] ? b->usb->serial : NULL;
    snprintf(device, sizeof device, "DFU device %04x:%04x%s%s", STM32_DFU_VID, STM32_DFU_PID,
             serial ? " serial " : "", serial ? serial : "");
    if (flash_image_load(image, DFU_IMAGE_MAX, &img, err, errlen) != 0) {
        goto exit;
    }
    if (dfu_open(&d, serial, why, sizeof why) != 0) {
        snprintf(err, errlen, "%s: %s", device, why);
        goto exit;
    }
    snprintf(rep->probe_serial, sizeof rep->probe_serial, "%s", d.serial);
    if (flash_map_dfuse(d.layout, &map, why, sizeof why) != 0) {
        snprintf(err, errlen, "%s: %s", device, why);
        goto exit;
    }
    dfu_io_t io = {usb_control, &d, flash_clock_real, 0, d.transfer_size, device};
    uint32_t deadline = b->timeouts.flash_ms ? b->timeouts.flash_ms : 60000;
    rc = dfuse_program(&io, &map, img.data, img.len, deadline, rep, err, errlen);
exit:
    dfu_close(&d);
    flash_image_free(&img);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    rep->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    return rc;
}

/* No reset: a board in its bootloader has no running image to reset, and a
 * running board has no DFU interface. */
const board_flasher_t board_flasher_dfu = {"dfu", dfu_program, NULL};
