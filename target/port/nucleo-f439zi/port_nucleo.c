/* port.h for the NUCLEO-F439ZI: link on USART3 (the ST-Link VCP), time from
 * the DWT cycle counter, entropy from the RNG (entropy.c), identity from the
 * factory UID, and what HELLO reports about the board: clock source, reset
 * cause, baud rate and the panic record of the last reset. */
#include <string.h>

#include "f4_port.h"
#include "nucleo_f439zi.h"
#include "port.h"
#include "stm32f4_regs.h"

#define FRAME_DELIMITER 0x00u
/* A frame that started arriving is finished even past the caller's timeout,
 * within this much more (a link that stalls mid-frame is broken). */
#define MID_FRAME_GRACE_MS 200u

uint32_t port_now_ms(void)
{
    return clock_ms();
}

uint64_t port_now_us(void)
{
    return clock_cycles() / (clock_plan()->sysclk_hz / 1000000u);
}

/* Cycles, not ns: per-primitive times on boards are core cycles (T_PRIM_NS). */
uint64_t port_now_ns(void)
{
    return clock_cycles();
}

int port_link_write(const uint8_t *buf, size_t len)
{
    usart3_write(buf, len);
    return 0;
}

/* Returns at a frame delimiter or when cap is full. The one place that kicks
 * the watchdog: the agent services the link here (watchdog.c). */
int port_link_read(uint8_t *buf, size_t cap, uint32_t timeout_ms)
{
    uint32_t start = clock_ms();
    size_t n = 0;
    watchdog_kick();
    while (n < cap) {
        uint8_t b;
        if (usart3_read(&b, 1) == 1) {
            buf[n++] = b;
            if (b == FRAME_DELIMITER) {
                break;
            }
            continue;
        }
        uint32_t waited = clock_ms() - start;
        if ((n == 0 && waited >= timeout_ms) || waited >= timeout_ms + MID_FRAME_GRACE_MS) {
            break;
        }
        __asm volatile("wfi"); /* a byte or the 1 ms tick wakes us */
    }
    return (int)n;
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

const char *port_board_name(void)
{
    return "nucleo-f439zi";
}

/* The factory-programmed 96-bit UID, as three little-endian words. */
void port_device_uid(uint8_t uid[12])
{
    for (size_t i = 0; i < 3u; i++) {
        uint32_t w = REG32(UID_BASE + 4u * i);
        for (size_t b = 0; b < 4u; b++) {
            uid[4u * i + b] = (uint8_t)(w >> (8u * b));
        }
    }
}

const char *port_clock_source(void)
{
    return clock_plan()->name;
}

const char *port_reset_cause(void)
{
    return watchdog_reset_cause();
}

uint32_t port_link_baud(void)
{
    return usart3_baud();
}

size_t port_panic_take(uint8_t *out, size_t cap)
{
    return panic_take(out, cap);
}

/* For scenario `requires:`: the bring-up scenarios run on silicon only. */
const char *port_features(void)
{
    return "silicon";
}

void port_reset(void)
{
    board_reset();
}

/* The session epoch (docs/protocol.md): the boot count kept in .noinit RAM
 * (panic.c; it restarts at 1 after a power-on) mixed with the RNG, so two
 * boots never share an epoch, whichever of the two repeats. */
uint32_t port_session_epoch(void)
{
    uint8_t r[4];
    uint32_t rng = 0;
    if (port_entropy(r, sizeof r) == 0) {
        rng = (uint32_t)r[0] | (uint32_t)r[1] << 8 | (uint32_t)r[2] << 16 | (uint32_t)r[3] << 24;
    }
    uint32_t e = panic_boot_count() * 2654435761u ^ rng;
    return e ? e : 1u;
}

/* Bring-up proofs of the panic record and the watchdog (docs/boards.md):
 * "crash" reads the unpopulated FMC bank (a precise BusFault), "hang" stops
 * servicing the link until the IWDG resets the chip. */
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
            __asm volatile("wfi");
        }
    } else if (strcmp(name, "garbage") == 0) {
        uint8_t junk[300];
        for (size_t i = 0; i < sizeof junk; i++) {
            junk[i] = (uint8_t)(0x55u + i * 7u) | 1u; /* never 0: no delimiter */
        }
        junk[sizeof junk - 1] = FRAME_DELIMITER;
        usart3_write(junk, sizeof junk);
    }
}
