/* UART transmitter FIFO timing (uart_tx.h). */
#include "uart_tx.h"

int uart_tx_init(uart_tx_t *u, uint32_t baud, uint32_t turnaround_ms, unsigned fifo)
{
    if (fifo == 0 || fifo > UART_TX_MAX_FIFO || line_pace_init(&u->line, baud, turnaround_ms)) {
        return -1;
    }
    u->fifo = fifo;
    u->next = 0;
    u->held = 0;
    return 0;
}

uint64_t uart_tx_ready_at(const uart_tx_t *u, uint64_t now_ns)
{
    if (u->held < u->fifo) {
        return now_ns;
    }
    /* Full: room once the oldest of the last fifo bytes has left. */
    uint64_t room = u->ends[u->next];
    return room > now_ns ? room : now_ns;
}

uint64_t uart_tx_put(uart_tx_t *u, uint64_t at_ns)
{
    uint64_t end = line_pace_send(&u->line, at_ns);
    u->ends[u->next] = end;
    u->next = (u->next + 1u) % u->fifo;
    if (u->held < u->fifo) {
        u->held++;
    }
    return end + u->line.latency_ns;
}
