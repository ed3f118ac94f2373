/* Internals of the QEMU STM32F405 port shared between its files. */
#ifndef TLSRIG_QEMU_F405_H
#define TLSRIG_QEMU_F405_H

#include <stddef.h>
#include <stdint.h>

/* Exit statuses QEMU returns through semihosting (docs/qemu.md). */
#define QEMU_F405_EXIT_OK 0
#define QEMU_F405_EXIT_LINK_GONE 2
#define QEMU_F405_EXIT_FAULT 3

/* Semihosting: text to QEMU's stderr, and the exit status. */
void qemu_f405_semihost_write(const char *text);
__attribute__((noreturn)) void qemu_f405_exit(int status);

/* USART1, polled. */
void usart_init(void);
void usart_write(const uint8_t *buf, size_t len);
int usart_read_byte(void); /* -1 when nothing is waiting */

/* SysTick 1 ms tick and the TIM2 virtual-time counter. */
void clock_init(void);
uint32_t clock_ms(void);
uint64_t clock_us(void);
uint64_t clock_virtual_ns(void); /* = instructions << shift under -icount */

/* Instructions outside link waits (see port_qemu.c). */
void meter_wait_begin(void);
void meter_wait_end(void);
uint64_t meter_busy_ns(void);

/* Stack high-water mark in bytes (the stack is painted at reset). */
size_t qemu_f405_stack_peak(void);

/* Report a fault (registers when frame != NULL) over the link and on
 * semihosting, then exit QEMU with QEMU_F405_EXIT_FAULT. */
__attribute__((noreturn)) void qemu_f405_fault_report(const char *what, const uint32_t *frame,
                                                      uint32_t exc_return);

#endif
