/* port.h for the STM32F405 on QEMU netduinoplus2: link on USART1, time from
 * TIM2, entropy from the host's seed (QEMU's RNG reads 0), instruction
 * counts from TIM2 under -icount, faults reported by fault.c. */
#include <string.h>

#include "f4_port.h"
#include "host_seed.h"
#include "port.h"
#include "qemu_f405.h"

#define FRAME_DELIMITER 0x00u
/* A frame that started arriving is finished even past the caller's timeout,
 * within this much more (a link that stalls mid-frame is broken). */
#define MID_FRAME_GRACE_MS 200u

/* Polls of an empty USART before sleeping: QEMU hands over the next byte of a
 * burst from its main loop, usually within a few polls. */
#define SPIN_POLLS 64u

static uint32_t g_meter_depth;    /* > 0: inside port_meter_pause */
static uint64_t g_pause_start_ns; /* virtual time of the outermost pause */
static uint64_t g_paused_ns;      /* virtual time spent paused, all told */

uint32_t port_now_ms(void)
{
    return clock_ms();
}

uint64_t port_now_us(void)
{
    return clock_us();
}

int port_link_write(const uint8_t *buf, size_t len)
{
    usart_write(buf, len);
    return 0;
}

void port_meter_pause(void)
{
    if (g_meter_depth++ == 0) {
        g_pause_start_ns = clock_virtual_ns();
    }
}

void port_meter_resume(void)
{
    if (g_meter_depth > 0 && --g_meter_depth == 0) {
        g_paused_ns += clock_virtual_ns() - g_pause_start_ns;
    }
}

/* Returns at a frame delimiter or when cap is full: the chunks the core sees
 * then depend on the bytes only, not on when they arrived. The whole call is
 * left out of the instruction count. When nothing comes for a while the CPU
 * sleeps in WFI (woken by the USART or the 1 ms SysTick): with -icount sleep=on virtual
 * time then follows real time, so timeouts mean what they say. */
int port_link_read(uint8_t *buf, size_t cap, uint32_t timeout_ms)
{
    port_meter_pause();
    clock_wake_enable(true);
    uint32_t start = clock_ms();
    uint32_t idle_polls = 0;
    size_t n = 0;
    while (n < cap) {
        int c = usart_read_byte();
        if (c >= 0) {
            buf[n++] = (uint8_t)c;
            idle_polls = 0;
            if (c == FRAME_DELIMITER) {
                break;
            }
            continue;
        }
        uint32_t waited = clock_ms() - start;
        if ((n == 0 && waited >= timeout_ms) || waited >= timeout_ms + MID_FRAME_GRACE_MS) {
            break;
        }
        if (++idle_polls >= SPIN_POLLS) {
            usart_sleep_until_rx(); /* a byte or the 1 ms tick wakes us */
        }
    }
    clock_wake_enable(false);
    port_meter_resume();
    return (int)n;
}

bool port_instruction_count(uint64_t *count)
{
    /* -icount shift=0: 1 ns of virtual time per instruction (docs/qemu.md). */
    uint64_t now = g_meter_depth > 0 ? g_pause_start_ns : clock_virtual_ns();
    *count = now - g_paused_ns;
    return true;
}

bool port_stack_peak(uint32_t *bytes)
{
    *bytes = (uint32_t)f4_stack_peak();
    return true;
}

void port_stack_peak_reset(void)
{
    f4_stack_repaint();
}

bool port_accepts_host_entropy(void)
{
    return true;
}

int port_host_entropy(const uint8_t *seed, size_t len)
{
    return host_seed_set(seed, len);
}

/* QEMU's RNG reads 0: entropy is the host's TEST ONLY seed (host_seed.c).
 * No seed: fail, so nothing runs on a predictable DRBG. */
int port_entropy(uint8_t *buf, size_t len)
{
    return host_seed_fill(buf, len);
}

const char *port_board_name(void)
{
    return "qemu-f405";
}

/* QEMU does not model the factory-programmed UID (0x1FFF7A10): a fixed id. */
void port_device_uid(uint8_t uid[12])
{
    static const uint8_t k_uid[12] = {'q', 'e', 'm', 'u', '-', 'f', '4', '0', '5', '-', '0', '0'};
    memcpy(uid, k_uid, sizeof k_uid);
}

/* A read from the FSMC bank (not populated, not modelled): a precise bus
 * fault that escalates to HardFault, as a wild pointer would. */
static __attribute__((noinline)) uint32_t injected_bad_read(void)
{
    return *(volatile uint32_t *)0x60000000u;
}

void port_sim_fault(const char *name)
{
    if (strcmp(name, "crash") == 0) {
        (void)injected_bad_read();
    } else if (strcmp(name, "hang") == 0) {
        for (;;) {
            __asm volatile("wfi"); /* nothing wakes it: the link is never serviced */
        }
    } else if (strcmp(name, "garbage") == 0) {
        uint8_t junk[300];
        for (size_t i = 0; i < sizeof junk; i++) {
            junk[i] = (uint8_t)(0x55u + i * 7u) | 1u; /* never 0: no delimiter */
        }
        junk[sizeof junk - 1] = FRAME_DELIMITER;
        usart_write(junk, sizeof junk);
    }
}

/* QEMU models no clock controller: the clock is what the machine says. */
const char *port_clock_source(void)
{
    return "qemu";
}
