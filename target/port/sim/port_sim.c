/* Sim port: the agent as a native process. The link is a socket (an fd handed
 * over by the host, or a TCP connection to HOST:PORT), optionally paced like a
 * UART (--baud, --turnaround-ms: paced_link.h), time from CLOCK_MONOTONIC. Entropy comes from the
 * OS (sw images) or the RNG model (hw images) until the host sends a TEST ONLY seed (CTRL_ENTROPY,
 * one per scenario): from then on from that seed, so runs repeat exactly. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "fd_io.h"
#include "host_seed.h"
#include "paced_link.h"
#include "port.h"
#include "port_sim.h"
#include "proto.h"

#if defined(TLSRIG_BACKEND_HW)
/* hw images: entropy from the RNG model through the driver, faults on request. */
#include "hw_driver_fault.h"
#include "periph_sim.h"
#include "rng_hw.h"
#endif

static int g_fd = -1;
static uint32_t g_baud; /* 0: the bare socket, unpaced */
static uint8_t g_uid[12] = {'t', 'l', 's', 'r', 'i', 'g', '-', 's', 'i', 'm', '0', '0'};

void port_sim_set_link_fd(int fd)
{
    g_fd = fd;
}

int port_sim_pace_link(uint32_t baud, uint32_t turnaround_ms)
{
    if (paced_link_start(g_fd, baud, turnaround_ms) != 0) {
        return -1;
    }
    g_baud = baud;
    return 0;
}

uint32_t port_link_baud(void)
{
    return g_baud;
}

void port_sim_set_uid(const char *text)
{
    memset(g_uid, 0, sizeof g_uid);
    size_t n = strlen(text);
    memcpy(g_uid, text, n < sizeof g_uid ? n : sizeof g_uid);
}

uint64_t port_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

uint32_t port_now_ms(void)
{
    return (uint32_t)(port_now_us() / 1000u);
}

int port_link_write(const uint8_t *buf, size_t len)
{
    if (g_baud) {
        return paced_link_write(buf, len);
    }
    return fd_write_all(g_fd, buf, len);
}

int port_link_read(uint8_t *buf, size_t cap, uint32_t timeout_ms)
{
    if (g_baud) {
        return paced_link_read(buf, cap, timeout_ms);
    }
    struct pollfd p = {.fd = g_fd, .events = POLLIN};
    int r = poll(&p, 1, (int)timeout_ms);
    if (r < 0) {
        return errno == EINTR ? 0 : -1;
    }
    if (r == 0) {
        return 0;
    }
    ssize_t n = read(g_fd, buf, cap);
    if (n <= 0) {
        return (n < 0 && errno == EINTR) ? 0 : -1; /* EOF: the host is gone */
    }
    return (int)n;
}

uint64_t port_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The sim is an emulated board: it takes the host's TEST ONLY seed. */
bool port_accepts_host_entropy(void)
{
    return true;
}

#if defined(TLSRIG_BACKEND_HW)
/* hw images: the seed goes into the RNG model, so the DRBG still draws
 * through the RNG driver under test. FNV-1a folds it to the model's 64 bits. */
int port_host_entropy(const uint8_t *seed, size_t len)
{
    if (host_seed_set(seed, len) != 0) {
        return -1;
    }
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < len; i++) {
        h = (h ^ seed[i]) * 0x100000001b3ull;
    }
    periph_rng_seed(h);
    return 0;
}

int port_entropy(uint8_t *buf, size_t len)
{
    while (len > 0) {
        size_t olen = 0;
        if (hw_rng_entropy(NULL, buf, len, &olen) != 0 || olen == 0 || olen > len) {
            return -1;
        }
        buf += olen;
        len -= olen;
    }
    return 0;
}

int port_inject_fault(const char *name, uint32_t every_n)
{
    /* Silicon faults live in the models, driver bugs in the drivers. */
    if (periph_fault_set(name, every_n) == 0 || hw_driver_fault_set(name, every_n) == 0) {
        fprintf(stderr, "tlsrig-agent-sim: fault %s armed (every %u)\n", name, every_n);
        return 0;
    }
    return -1;
}
#else
int port_host_entropy(const uint8_t *seed, size_t len)
{
    return host_seed_set(seed, len);
}

int port_entropy(uint8_t *buf, size_t len)
{
    if (host_seed_present()) {
        return host_seed_fill(buf, len);
    }
    while (len > 0) {
        ssize_t n = getrandom(buf, len, 0);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -1;
        }
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

#endif

/* Every process start is a boot: the OS's entropy, never the host's seed
 * or the RNG model (whose default seed repeats from boot to boot). */
uint32_t port_session_epoch(void)
{
    uint32_t e = 0;
    while (e == 0) {
        if (getrandom(&e, sizeof e, 0) != (ssize_t)sizeof e) {
            e = (uint32_t)port_now_us() | 1u;
        }
    }
    return e;
}

/* CTRL_RESET: the process ends with a status the host's sim flasher reads as
 * "reset on request" and starts it again. */
void port_reset(void)
{
    fprintf(stderr, "tlsrig-agent-sim: reset on request (CTRL_RESET)\n");
    fflush(stderr);
    if (g_baud) {
        paced_link_flush(); /* the answer to CTRL_RESET is still on the line */
    }
    _exit(PROTO_SIM_EXIT_RESET);
}

const char *port_board_name(void)
{
    return "sim";
}

const char *port_clock_source(void)
{
    return "sim"; /* the host's clock */
}

void port_device_uid(uint8_t uid[12])
{
    memcpy(uid, g_uid, sizeof g_uid);
}

void port_sim_fault(const char *name)
{
    if (strcmp(name, "crash") == 0) {
        fprintf(stderr, "tlsrig-agent-sim: injected crash\n");
        abort();
    } else if (strcmp(name, "hang") == 0) {
        fprintf(stderr, "tlsrig-agent-sim: injected hang\n");
        for (;;) {
            pause(); /* never services the link again; the host must time out */
        }
    } else if (strcmp(name, "garbage") == 0) {
        /* Noise with no frame delimiters in it, then a delimiter: the host's
         * decoder must resynchronise and count it. */
        uint8_t junk[300];
        (void)port_entropy(junk, sizeof junk);
        for (size_t i = 0; i < sizeof junk; i++) {
            junk[i] = junk[i] ? junk[i] : 0x55;
        }
        junk[sizeof junk - 1] = 0;
        (void)port_link_write(junk, sizeof junk);
    }
}
