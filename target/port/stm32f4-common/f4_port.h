/* What target/port/stm32f4-common gives the STM32F4 ports, and the hooks each
 * port provides to it. */
#ifndef TLSRIG_F4_PORT_H
#define TLSRIG_F4_PORT_H

#include <stddef.h>
#include <stdint.h>

#include "panic_record.h"

/* ---- Provided by the port --------------------------------------------------------------- */

/* A fault or an unexpected exception: what ("HardFault", "abort", ...), the
 * exception number (panic_record.h; 0 = no exception frame), the stacked
 * frame (NULL without one) and EXC_RETURN. Must not return. */
__attribute__((noreturn)) void f4_fault(const char *what, uint32_t exception, const uint32_t *frame,
                                        uint32_t exc_return);
/* main() returned. Must not return. */
__attribute__((noreturn)) void f4_main_returned(int status);

/* ---- Provided by stm32f4-common ---------------------------------------------------------- */

/* startup_f4.c: stack high-water mark in bytes (the stack is painted at
 * reset), and a new mark below the caller's frame. */
size_t f4_stack_peak(void);
void f4_stack_repaint(void);

/* fault_capture.c: the registers of a fault into a panic record (exception,
 * stacked registers, SP, EXC_RETURN, CFSR/HFSR/MMFAR/BFAR, stack peak and a
 * heuristic backtrace: stack words above the frame that look like Thumb
 * return addresses into .text). uptime_ms and boot_count are the port's. */
void f4_fault_capture(panic_record_t *rec, uint32_t exception, const uint32_t *frame,
                      uint32_t exc_return);
/* One line of text for a record: "tlsrig: fault: HardFault pc=0x... backtrace=...\n". */
size_t f4_fault_format(const panic_record_t *rec, const char *what, char *out, size_t cap);

/* usart_f4.c: the USART block, polled. brr from f4_usart_brr(). */
void f4_usart_configure(uint32_t base, uint32_t brr, uint32_t cr1_extra);
void f4_usart_write_polled(uint32_t base, const uint8_t *buf, size_t len);
int f4_usart_read_polled(uint32_t base); /* -1 when nothing is waiting */

#endif
