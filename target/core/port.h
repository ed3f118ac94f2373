/* What a board port provides to the portable agent core. Everything the core
 * needs from the outside world goes through here, so the core stays free of
 * POSIX and of any vendor HAL. */
#ifndef TLSRIG_PORT_H
#define TLSRIG_PORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Monotonic time since boot. */
uint32_t port_now_ms(void);
uint64_t port_now_us(void);

/* Link transport. write: all of buf or <0. read: up to cap bytes, waiting at
 * most timeout_ms; 0 on timeout, <0 when the link is gone (the agent exits). */
int port_link_write(const uint8_t *buf, size_t len);
int port_link_read(uint8_t *buf, size_t cap, uint32_t timeout_ms);

/* Hardware entropy for the DRBG; 0 on success. */
int port_entropy(uint8_t *buf, size_t len);

/* Identity. */
const char *port_board_name(void);
void port_device_uid(uint8_t uid[12]);

/* Test-only misbehaviour on request: "crash", "hang", "garbage". The sim and
 * QEMU ports for robustness tests; boards for bring-up (a crash must come
 * back as a panic record, a hang as a watchdog reset: docs/boards.md). */
void port_sim_fault(const char *name);

/* Optional hooks: weak defaults in port_defaults.c (no, not measured,
 * refused); the QEMU port overrides them. */

/* CTRL_ENTROPY: emulators whose RNG reads 0 take their seed from the host.
 * Real boards refuse (ST_ERR_REFUSED). port_host_entropy: 0 or <0. */
bool port_accepts_host_entropy(void);
int port_host_entropy(const uint8_t *seed, size_t len);

/* Instructions executed so far outside link waits (deterministic under QEMU
 * -icount), and the stack high-water mark; false when the port cannot tell. */
bool port_instruction_count(uint64_t *count);
bool port_stack_peak(uint32_t *bytes);
/* Start a new stack high-water mark (before each handshake, so its peak is
 * its own, whatever ran before). */
void port_stack_peak_reset(void);

/* Fine clock for per-primitive timing: ns on sim, cycles on boards with a
 * cycle counter. Default: port_now_us() * 1000. */
uint64_t port_now_ns(void);
/* Inject a crypto fault (sim hardware models and driver-bug switches):
 * 0 set, -1 unknown name, -2 not possible in this image (refused). */
int port_inject_fault(const char *name, uint32_t every_n);

/* The session epoch, asked once at boot: a value that differs from the last
 * boot's, so the host sees an agent reset in HELLO or PING (docs/protocol.md).
 * Boards: a boot counter in no-init RAM mixed with the RNG; sim: the OS's
 * entropy. Default: 4 bytes of port_entropy(), else the clock. Never 0 (0
 * means "no epoch" to the host). */
uint32_t port_session_epoch(void);
/* CTRL_RESET, after the answer went out: reset the target (boards:
 * NVIC_SystemReset; sim: exit with a status the host restarts on). The default
 * returns, and agent_run() then returns AGENT_EXIT_RESET to the port's main,
 * which may start it again (a soft reset). */
void port_reset(void);

/* HELLO's board facts (weak defaults: not reported). Clock source
 * (T_CLOCK_SOURCE, e.g. "hse-bypass-168mhz") and reset cause (T_RESET_CAUSE,
 * e.g. "iwdg") as strings, or NULL; the UART's real baud rate (T_LINK_BAUD),
 * 0 on socket links. */
const char *port_clock_source(void);
const char *port_reset_cause(void);
uint32_t port_link_baud(void);
/* The panic record kept across the last reset (panic_record.h wire bytes):
 * copied to out and forgotten; 0 when there is none or cap is too small. */
size_t port_panic_take(uint8_t *out, size_t cap);
/* Features of the board for scenario `requires:`, appended to the image's
 * T_CAP_FEATURES: "" (default) or comma-separated names ("silicon"). */
const char *port_features(void);

#endif
