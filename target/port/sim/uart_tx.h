/* A UART transmitter with a small FIFO, as pure arithmetic over line_pace:
 * the writer may hand over a byte only while fewer than fifo bytes are still
 * being sent, as a driver polling TXE on a real UART would. */
#ifndef TLSRIG_UART_TX_H
#define TLSRIG_UART_TX_H

#include <stdint.h>

#include "line_pace.h"

#define UART_TX_MAX_FIFO 64u

typedef struct uart_tx {
    line_pace_t line;
    uint64_t ends[UART_TX_MAX_FIFO]; /* when each of the last fifo bytes leaves */
    unsigned fifo;
    unsigned next; /* slot of the oldest of the last fifo bytes */
    unsigned held; /* slots in use (up to fifo) */
} uart_tx_t;

/* 0, or -1 on a bad baud, turnaround or fifo (1..UART_TX_MAX_FIFO). */
int uart_tx_init(uart_tx_t *u, uint32_t baud, uint32_t turnaround_ms, unsigned fifo);

/* The earliest time (ns) the next byte fits into the FIFO; not before now_ns. */
uint64_t uart_tx_ready_at(const uart_tx_t *u, uint64_t now_ns);

/* Hands one byte over at at_ns (>= uart_tx_ready_at): returns when it
 * reaches the far end (ns). */
uint64_t uart_tx_put(uart_tx_t *u, uint64_t at_ns);

#endif
