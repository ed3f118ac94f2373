/* A model of the STM32 system bootloader's DfuSe interface behind the
 * control-transfer seam: the DFU state machine, DfuSe commands, NOR flash,
 * bwPollTimeout on a virtual clock, and a check of every transfer. */
#ifndef TLSRIG_TEST_DFU_MODEL_H
#define TLSRIG_TEST_DFU_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "dfuse.h"

typedef struct dfu_model {
    uint8_t *flash; /* 2 MB from 0x08000000, 0xA5 until erased */
    uint8_t state, status;
    uint32_t pointer;
    uint16_t transfer_size;
    /* What the GETSTATUS in dfuDNLOAD-SYNC executes. */
    uint16_t pending_block;
    uint8_t pending[2048];
    uint16_t pending_len;
    uint64_t now, busy_until; /* virtual ms */
    uint32_t poll_ms, erase_poll_ms;
    uint64_t slept_ms;
    uint32_t transfer_ms;  /* each transfer takes this long (virtual) */
    unsigned fail_block;   /* data block answered with errPROG */
    int gone_after;        /* transfers before the device leaves the bus; -1 never */
    uint32_t corrupt_addr; /* UPLOAD returns this byte flipped */
    unsigned transfers, erases, blocks, uploads;
    bool left; /* manifested: jumped to the image */
    uint32_t jump_to;
    char violation[256]; /* first protocol violation by the host */
    char log[16384];     /* every transfer, "A1.03 v0 n6;" */
    char erased[1024];   /* "08000000 08004000 " */
} dfu_model_t;

void dfu_model_init(dfu_model_t *m);
void dfu_model_free(dfu_model_t *m);
/* The engine's I/O on this model, virtual clock included. */
dfu_io_t dfu_model_io(dfu_model_t *m);

#endif
