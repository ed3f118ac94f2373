#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "an3155_model.h"

#define BASE 0x08000000u
#define SIZE (2u * 1024 * 1024)

static void logf_(an3155_model_t *m, const char *fmt, unsigned v)
{
    pthread_mutex_lock(&m->mu);
    size_t l = strlen(m->log);
    snprintf(m->log + l, sizeof m->log - l, fmt, v);
    pthread_mutex_unlock(&m->mu);
}

/* 1 byte, or -1 at EOF (the flasher closed its end). Buffered: a Write
 * Memory is 260 bytes, one read(2) each would dominate the test's time. */
static int get(an3155_model_t *m)
{
    while (m->rx_pos == m->rx_len) {
        /* The stop pipe ends the thread (a pty master never sees EOF). */
        struct pollfd p[2] = {{.fd = m->fd, .events = POLLIN},
                              {.fd = m->stop[0], .events = POLLIN}};
        int r = poll(p, 2, m->pty ? 10 : -1);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r < 0 || (p[1].revents & POLLIN)) {
            return -1;
        }
        if (!(p[0].revents & POLLIN)) {
            continue; /* a pty master with no slave open hangs up: wait for one */
        }
        ssize_t n = read(m->fd, m->rx, sizeof m->rx);
        if (n < 0 && (errno == EINTR || (m->pty && errno == EIO))) {
            continue;
        }
        if (n <= 0) {
            return -1;
        }
        m->rx_pos = 0;
        m->rx_len = (size_t)n;
    }
    return m->rx[m->rx_pos++];
}

static int get_n(an3155_model_t *m, uint8_t *buf, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int c = get(m);
        if (c < 0) {
            return -1;
        }
        buf[i] = (uint8_t)c;
    }
    return 0;
}

static void put(an3155_model_t *m, const uint8_t *buf, size_t n)
{
    while (n > 0) {
        ssize_t w = write(m->fd, buf, n);
        if (w <= 0) {
            return;
        }
        buf += w;
        n -= (size_t)w;
    }
}

static void put1(an3155_model_t *m, uint8_t b)
{
    put(m, &b, 1);
}

static void nack(an3155_model_t *m)
{
    m->nacks++;
    put1(m, AN3155_NACK);
}

/* 4 address bytes and their XOR; -1 EOF, 0 bad checksum, 1 good. */
static int get_addr(an3155_model_t *m, uint32_t *addr)
{
    uint8_t b[5];
    if (get_n(m, b, 5) != 0) {
        return -1;
    }
    if ((b[0] ^ b[1] ^ b[2] ^ b[3]) != b[4]) {
        return 0;
    }
    *addr = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
    return 1;
}

/* The model's own F4 sector numbering: 12 per bank. */
static uint32_t sector_start(unsigned k, uint32_t *size)
{
    uint32_t bank = k / 12 * 1024u * 1024u;
    unsigned i = k % 12;
    if (i < 4) {
        *size = 16384;
        return bank + i * 16384u;
    }
    if (i == 4) {
        *size = 65536;
        return bank + 65536;
    }
    *size = 131072;
    return bank + (i - 4) * 131072u;
}

static int do_read(an3155_model_t *m)
{
    uint32_t a = 0;
    uint8_t n[2];
    put1(m, AN3155_ACK);
    int r = get_addr(m, &a);
    if (r <= 0 || a < BASE || a >= BASE + SIZE) {
        return r < 0 ? -1 : (nack(m), 0);
    }
    put1(m, AN3155_ACK);
    if (get_n(m, n, 2) != 0) {
        return -1;
    }
    unsigned complement = 0xFFu - n[0];
    if (complement != n[1] || a - BASE + n[0] + 1u > SIZE) {
        nack(m);
        return 0;
    }
    put1(m, AN3155_ACK);
    m->reads++;
    put(m, m->flash + (a - BASE), (size_t)n[0] + 1);
    return 0;
}

static int do_write(an3155_model_t *m)
{
    uint32_t a = 0;
    uint8_t buf[258];
    put1(m, AN3155_ACK);
    int r = get_addr(m, &a);
    if (r <= 0) {
        return r < 0 ? -1 : (nack(m), 0);
    }
    put1(m, AN3155_ACK);
    if (get_n(m, buf, 1) != 0 || get_n(m, buf + 1, (size_t)buf[0] + 2) != 0) {
        return -1;
    }
    size_t len = (size_t)buf[0] + 1;
    uint8_t x = buf[0];
    for (size_t i = 0; i < len; i++) {
        x ^= buf[1 + i];
    }
    m->writes++;
    if (x != buf[1 + len] || len % 4 != 0 || a % 4 != 0 || a < BASE || a - BASE + len > SIZE ||
        m->writes == m->nack_write_n) {
        nack(m);
        return 0;
    }
    for (size_t i = 0; i < len; i++) {
        uint8_t v = buf[1 + i];
        if (a + i == m->corrupt_write_addr) {
            v ^= 0x40;
        }
        m->flash[a - BASE + i] &= v;
    }
    put1(m, AN3155_ACK);
    return 0;
}

static int do_erase(an3155_model_t *m)
{
    uint8_t nn[2], list[2 * 64 + 1];
    put1(m, AN3155_ACK);
    if (get_n(m, nn, 2) != 0) {
        return -1;
    }
    unsigned n = ((unsigned)nn[0] << 8 | nn[1]) + 1;
    if (n > 64) { /* 0xFFFx: mass/bank erase, which the flasher never asks */
        logf_(m, "mass-erase;", 0);
        nack(m);
        return 0;
    }
    if (get_n(m, list, 2 * n + 1) != 0) {
        return -1;
    }
    uint8_t x = nn[0] ^ nn[1];
    for (unsigned i = 0; i < 2 * n; i++) {
        x ^= list[i];
    }
    if (x != list[2 * n]) {
        nack(m);
        return 0;
    }
    for (unsigned i = 0; i < n; i++) {
        unsigned k = (unsigned)list[2 * i] << 8 | list[2 * i + 1];
        uint32_t size = 0;
        uint32_t start = sector_start(k, &size);
        memset(m->flash + start, 0xFF, size);
        logf_(m, "erase %u;", k);
    }
    if (m->hang_erase) {
        pthread_mutex_lock(&m->mu);
        m->erase_hung = true;
        pthread_mutex_unlock(&m->mu);
        return 0; /* no ACK: the flasher must give up at its deadline */
    }
    put1(m, AN3155_ACK);
    return 0;
}

static void *model_main(void *arg)
{
    an3155_model_t *m = arg;
    for (;;) {
        int b = get(m);
        if (b < 0) {
            return NULL;
        }
        pthread_mutex_lock(&m->mu);
        bool boot = m->in_bootloader, synced = m->synced;
        pthread_mutex_unlock(&m->mu);
        if (!boot) {
            continue; /* the image runs: the bytes mean nothing to it */
        }
        if (!synced) {
            if (b == AN3155_SYNC) {
                pthread_mutex_lock(&m->mu);
                m->synced = true;
                pthread_mutex_unlock(&m->mu);
                logf_(m, "sync;", 0);
                put1(m, AN3155_ACK);
            }
            continue;
        }
        int c = get(m);
        if (c < 0) {
            return NULL;
        }
        if ((uint8_t)~b != c) {
            nack(m);
            continue;
        }
        int r = 0;
        uint32_t a = 0;
        switch (b) {
        case AN3155_GET:
            logf_(m, "get;", 0);
            put1(m, AN3155_ACK);
            put1(m, (uint8_t)m->ncmds);
            put1(m, 0x31);
            put(m, m->cmds, m->ncmds);
            put1(m, AN3155_ACK);
            break;
        case AN3155_GET_ID:
            logf_(m, "getid;", 0);
            put1(m, AN3155_ACK);
            put1(m, 1);
            put1(m, (uint8_t)(m->pid >> 8));
            put1(m, (uint8_t)m->pid);
            put1(m, AN3155_ACK);
            break;
        case AN3155_READ:
            r = do_read(m);
            break;
        case AN3155_WRITE:
            r = do_write(m);
            break;
        case AN3155_EXT_ERASE:
            r = do_erase(m);
            break;
        case AN3155_GO:
            put1(m, AN3155_ACK);
            r = get_addr(m, &a);
            if (r == 1) {
                logf_(m, "go %08x;", a);
                pthread_mutex_lock(&m->mu);
                m->go_addr = a;
                m->started_image = true;
                m->in_bootloader = false;
                pthread_mutex_unlock(&m->mu);
                put1(m, AN3155_ACK);
                r = 0;
            } else if (r == 0) {
                nack(m);
            }
            break;
        default:
            nack(m);
        }
        if (r < 0) {
            return NULL;
        }
    }
}

static void start(an3155_model_t *m, int fd, int host_fd, bool pty, bool in_bootloader)
{
    memset(m, 0, sizeof *m);
    m->fd = fd;
    m->host_fd = host_fd;
    m->pty = pty;
    cr_assert_eq(pipe(m->stop), 0);
    pthread_mutex_init(&m->mu, NULL);
    m->flash = malloc(SIZE);
    memset(m->flash, 0xA5, SIZE);
    m->pid = 0x419;
    const uint8_t f4[] = {0x00, 0x01, 0x02, 0x11, 0x21, 0x31, 0x44, 0x63, 0x73, 0x82, 0x92};
    memcpy(m->cmds, f4, sizeof f4);
    m->ncmds = sizeof f4;
    m->in_bootloader = in_bootloader;
    m->dtr = m->rts = SERIAL_LINE_LEAVE;
    cr_assert_eq(pthread_create(&m->thread, NULL, model_main, m), 0);
}

void an3155_model_start(an3155_model_t *m, bool in_bootloader)
{
    int sv[2];
    cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    start(m, sv[0], sv[1], false, in_bootloader);
}

void an3155_model_start_pty(an3155_model_t *m, int master_fd)
{
    start(m, master_fd, -1, true, true);
}

void an3155_model_stop(an3155_model_t *m)
{
    if (m->host_fd >= 0) {
        shutdown(m->host_fd, SHUT_RDWR);
        close(m->host_fd);
        m->host_fd = -1;
    }
    if (write(m->stop[1], "x", 1) != 1) {
        cr_log_warn("model stop pipe: %s", strerror(errno));
    }
    pthread_join(m->thread, NULL);
    close(m->fd);
    close(m->stop[0]);
    close(m->stop[1]);
    pthread_mutex_destroy(&m->mu);
}

void an3155_model_free(an3155_model_t *m)
{
    free(m->flash);
    m->flash = NULL;
}

static uint64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static ssize_t io_read(void *ctx, void *buf, size_t cap, int timeout_ms, char *err, size_t errlen)
{
    an3155_model_t *m = ctx;
    struct pollfd p = {.fd = m->host_fd, .events = POLLIN};
    /* A model that answers gets time for a loaded CI machine (the flasher's
     * real answer times are for a bootloader on a wire); tests of the
     * timeouts themselves are strict: strict_timeouts, or an erase the model
     * will never acknowledge (known only once the model thread has seen it,
     * so it is checked again every 20 ms). */
    uint64_t start = mono_ms();
    for (;;) {
        pthread_mutex_lock(&m->mu);
        bool strict = m->strict_timeouts || m->erase_hung;
        pthread_mutex_unlock(&m->mu);
        uint64_t limit = strict || timeout_ms >= 30000 ? (uint64_t)timeout_ms : 30000u;
        uint64_t spent = mono_ms() - start;
        if (spent >= limit) {
            return 0;
        }
        int slice = limit - spent < 20 ? (int)(limit - spent) : 20;
        int r = poll(&p, 1, slice);
        if (r > 0) {
            break;
        }
        if (r < 0 && errno != EINTR) {
            snprintf(err, errlen, "poll: %s", strerror(errno));
            return -1;
        }
    }
    ssize_t n = read(m->host_fd, buf, cap);
    if (n <= 0) {
        snprintf(err, errlen, "model socket closed");
        return -1;
    }
    return n;
}

static int io_write(void *ctx, const void *buf, size_t len, int timeout_ms, char *err,
                    size_t errlen)
{
    an3155_model_t *m = ctx;
    (void)timeout_ms;
    const uint8_t *p = buf;
    while (len > 0) {
        ssize_t n = write(m->host_fd, p, len);
        if (n <= 0) {
            snprintf(err, errlen, "model socket: %s", strerror(errno));
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static char level(serial_line_t l)
{
    return l == SERIAL_LINE_HIGH ? 'H' : l == SERIAL_LINE_LOW ? 'L' : '-';
}

/* BOOT0 on DTR, NRST on RTS: a reset released starts the bootloader or
 * the image, as BOOT0 says. */
static int io_set_lines(void *ctx, serial_line_t dtr, serial_line_t rts, char *err, size_t errlen)
{
    an3155_model_t *m = ctx;
    (void)err;
    (void)errlen;
    pthread_mutex_lock(&m->mu);
    bool was_reset = m->rts != SERIAL_LINE_LEAVE && ((m->rts == SERIAL_LINE_HIGH) != m->inverted);
    if (dtr != SERIAL_LINE_LEAVE) {
        m->dtr = dtr;
    }
    if (rts != SERIAL_LINE_LEAVE) {
        m->rts = rts;
    }
    size_t l = strlen(m->lines);
    snprintf(m->lines + l, sizeof m->lines - l, "dtr=%c rts=%c;", level(dtr), level(rts));
    bool reset = m->rts != SERIAL_LINE_LEAVE && ((m->rts == SERIAL_LINE_HIGH) != m->inverted);
    bool boot0 = m->dtr != SERIAL_LINE_LEAVE && ((m->dtr == SERIAL_LINE_HIGH) != m->inverted);
    if (reset) {
        m->in_bootloader = false;
        m->synced = false;
    } else if (was_reset) {
        m->in_bootloader = boot0;
        m->started_image = !boot0;
    }
    pthread_mutex_unlock(&m->mu);
    return 0;
}

static int io_flush(void *ctx)
{
    an3155_model_t *m = ctx;
    uint8_t junk[64];
    struct pollfd p = {.fd = m->host_fd, .events = POLLIN};
    while (poll(&p, 1, 0) == 1 && read(m->host_fd, junk, sizeof junk) > 0) {
    }
    return 0;
}

static uint64_t io_now(void *ctx)
{
    an3155_model_t *m = ctx;
    return mono_ms() + m->slept_ms;
}

static void io_sleep(void *ctx, unsigned ms)
{
    ((an3155_model_t *)ctx)->slept_ms += ms;
}

uart_io_t an3155_model_io(an3155_model_t *m)
{
    uart_io_t io = {io_read,         io_write, io_set_lines, io_flush, m, {io_now, io_sleep, m},
                    "/dev/ttyMODEL0"};
    return io;
}
