/* The DfuSe protocol of the STM32 system bootloader (ST AN3156, DfuSe 1.1a)
 * over one control-transfer function: libusb in dfu_libusb.c, a device
 * model in tests. Hand-written: Debian packages dfu-util as a program only,
 * no library exposes DfuSe. */
#ifndef TLSRIG_DFUSE_H
#define TLSRIG_DFUSE_H

#include <stddef.h>
#include <stdint.h>

#include "board_flasher.h"
#include "flash_clock.h"
#include "flash_map.h"

/* DFU class requests (DFU 1.1, section 3). */
enum {
    DFU_DETACH = 0,
    DFU_DNLOAD = 1,
    DFU_UPLOAD = 2,
    DFU_GETSTATUS = 3,
    DFU_CLRSTATUS = 4,
    DFU_GETSTATE = 5,
    DFU_ABORT = 6,
};
/* bmRequestType: class, interface; host-to-device and device-to-host. */
#define DFU_REQ_OUT 0x21
#define DFU_REQ_IN 0xA1

/* bState values. */
enum {
    DFU_STATE_APP_IDLE = 0,
    DFU_STATE_APP_DETACH = 1,
    DFU_STATE_IDLE = 2,
    DFU_STATE_DNLOAD_SYNC = 3,
    DFU_STATE_DNBUSY = 4,
    DFU_STATE_DNLOAD_IDLE = 5,
    DFU_STATE_MANIFEST_SYNC = 6,
    DFU_STATE_MANIFEST = 7,
    DFU_STATE_MANIFEST_WAIT_RESET = 8,
    DFU_STATE_UPLOAD_IDLE = 9,
    DFU_STATE_ERROR = 10,
};

/* DfuSe commands: DFU_DNLOAD with wBlockNum 0; data blocks from 2. */
#define DFUSE_CMD_SET_ADDRESS 0x21
#define DFUSE_CMD_ERASE 0x41
#define DFUSE_FIRST_DATA_BLOCK 2

/* control() returns this when the device has left the bus
 * (LIBUSB_ERROR_NO_DEVICE's value). */
#define DFU_IO_NO_DEVICE (-4)

typedef struct dfu_io {
    /* As libusb_control_transfer: bytes transferred, or a negative error. */
    int (*control)(void *ctx, uint8_t request_type, uint8_t request, uint16_t value, uint16_t index,
                   uint8_t *data, uint16_t length, unsigned timeout_ms);
    void *ctx;
    flash_clock_t clock;    /* bwPollTimeout waits and the deadline */
    uint16_t interface;     /* wIndex */
    uint16_t transfer_size; /* wTransferSize of the DFU functional descriptor */
    const char *device;     /* "DFU device 0483:df11 serial ..." for messages */
} dfu_io_t;

/* Erase the sectors of map that the image covers, download it from
 * map->base, read it back (UPLOAD) and compare, then leave the bootloader
 * (set address to map->base, zero-length DNLOAD, GETSTATUS: manifest). All
 * within deadline_ms. 0, or -1 with err naming the device, the block and
 * the device's status. */
int dfuse_program(const dfu_io_t *io, const flash_map_t *map, const uint8_t *img, size_t len,
                  uint32_t deadline_ms, flash_report_t *rep, char *err, size_t errlen);

/* "errPROG" ... for a bStatus; "dfuDNBUSY" ... for a bState. */
const char *dfu_status_name(uint8_t status);
const char *dfu_state_name(uint8_t state);

#endif
