/* A model of the STM32 system bootloader on its USART (AN3155) in a thread
 * behind a socketpair: sync, Get, Get ID, Read/Write Memory with XOR
 * checksums (NACK on a bad one), Extended Erase per sector, Go; NOR flash;
 * BOOT0/NRST read from the DTR/RTS levels the host sets, recorded. */
#ifndef TLSRIG_TEST_AN3155_MODEL_H
#define TLSRIG_TEST_AN3155_MODEL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "an3155.h"

typedef struct an3155_model {
    int fd, host_fd; /* the model's end, the flasher's end (-1: a pty) */
    int stop[2];     /* written by an3155_model_stop */
    bool pty;        /* fd is a pty master: wait for a slave, EIO until then */
    pthread_t thread;
    pthread_mutex_t mu;
    uint8_t *flash; /* 2 MB, 0xA5 until erased */
    uint16_t pid;
    uint8_t cmds[16];
    unsigned ncmds;
    /* The model's own reading of the wiring: BOOT0 on DTR, NRST on RTS. */
    bool inverted;
    serial_line_t dtr, rts;
    bool in_bootloader, synced, started_image;
    uint32_t go_addr;
    char lines[1024]; /* "dtr=H rts=H;..." */
    char log[4096];   /* "sync;get;getid;erase 0;go 08000000;" */
    unsigned writes, reads, nacks;
    unsigned nack_write_n;       /* NACK the nth Write Memory (1-based) */
    uint32_t corrupt_write_addr; /* this byte is stored flipped */
    bool hang_erase;             /* never acknowledges an erase */
    uint64_t slept_ms;           /* the flasher's line-pulse waits, virtual */
    bool strict_timeouts;        /* reads wait what the flasher asks, not 30 s */
    uint8_t rx[1024];            /* the model thread's input buffer */
    size_t rx_pos, rx_len;
    bool erase_hung; /* hang_erase reached: strict from here */
} an3155_model_t;

/* Starts the thread; pid 0x419 (F439), the F4 command set. */
void an3155_model_start(an3155_model_t *m, bool in_bootloader);
/* The model on a pty master (the fake VCP's /dev/ttyACM0): the flasher
 * opens the slave through the serial transport; the model starts in its
 * bootloader and does not see the modem lines. */
void an3155_model_start_pty(an3155_model_t *m, int master_fd);
/* Closes the flasher's end, joins the thread; the flash stays to inspect. */
void an3155_model_stop(an3155_model_t *m);
void an3155_model_free(an3155_model_t *m);
/* The flasher's I/O: the socket with deadlines, lines into the model,
 * sleeps on a virtual clock added to the monotonic one. */
uart_io_t an3155_model_io(an3155_model_t *m);

#endif
