/* Internals of the QEMU STM32F405 port shared between its files. */
#ifndef TLSRIG_QEMU_F405_H
#define TLSRIG_QEMU_F405_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Exit statuses QEMU returns through semihosting (docs/qemu.md). */
#define QEMU_F405_EXIT_OK 0
#define QEMU_F405_EXIT_LINK_GONE 2
#define QEMU_F405_EXIT_FAULT 3

/* Semihosting: text to QEMU's stderr, and the exit status. */
void qemu_f405_semihost_write(const char *text);
__attribute__((noreturn)) void qemu_f405_exit(int status);

/* USART1, polled; its interrupt only wakes a sleeping wait. */
void usart_init(void);
void usart_write(const uint8_t *buf, size_t len);
int usart_read_byte(void); /* -1 when nothing is waiting */
/* WFI until a byte arrives or another interrupt (the SysTick wake-up) fires. */
void usart_sleep_until_rx(void);
void usart1_irq_handler(void);

/* Time from the TIM2 virtual-time counter (clock.c); SysTick only wakes WFI. */
void clock_init(void);
uint32_t clock_ms(void);
uint64_t clock_us(void);
uint64_t clock_virtual_ns(void); /* = instructions under -icount shift=0 */
void clock_wake_enable(bool on); /* SysTick interrupt on/off */

/* Metering (port_qemu.c): code between pause and resume (nestable) is left
 * out of port_instruction_count. The core brackets link and tunnel I/O, whose
 * cost depends on timing; port_link_read brackets itself. */
void port_meter_pause(void);
void port_meter_resume(void);

/* Report a fault (registers when frame != NULL; exception as in panic_record.h) over the link and
 * on semihosting, then exit QEMU with QEMU_F405_EXIT_FAULT. */
__attribute__((noreturn)) void qemu_f405_fault_report(const char *what, uint32_t exception,
                                                      const uint32_t *frame, uint32_t exc_return);

#endif
