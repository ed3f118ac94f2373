/* The sim agent's link at a UART's pace: bytes the agent writes leave at line
 * rate (the agent blocks while the transmitter's FIFO is full, as on a board)
 * and reach the socket after their serialisation plus the turnaround; bytes
 * from the host become readable at line rate plus the turnaround. A TX and an
 * RX thread move the bytes at their times; the timing is line_pace/uart_tx. */
#ifndef TLSRIG_PACED_LINK_H
#define TLSRIG_PACED_LINK_H

#include <stddef.h>
#include <stdint.h>

#define PACED_LINK_TX_FIFO 16u /* an STM32 USART has 1 + the shift register; 16 is a 16550 */

/* Takes over fd. 0, or -1 (message on stderr) on bad settings or no threads. */
int paced_link_start(int fd, uint32_t baud, uint32_t turnaround_ms);
/* port_link_write/port_link_read semantics (port.h). */
int paced_link_write(const uint8_t *buf, size_t len);
int paced_link_read(uint8_t *buf, size_t cap, uint32_t timeout_ms);
/* Waits until every byte written has reached the socket (before a reset). */
void paced_link_flush(void);

#endif
