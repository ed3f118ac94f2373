/* Linker wraps (-Wl,--wrap=...) around the core's tunnel BIO and link log:
 * their cost depends on timing (link retransmits, how the host chunked the
 * bytes, whether the link window is open), so they stay out of the
 * instruction count, as link waits do. Done here rather than in the core
 * because only this port meters instructions.
 *
 * The receive wrap also reads all that the TLS stack asked for (mbedTLS and
 * wolfSSL ask for exactly what the record needs), so their own read loops run
 * the same number of times whatever the chunking; less only on EOF, error or
 * timeout. No TLS header: the wrap serves every stack's images. */
#include "port.h"
#include "qemu_f405.h"
#include "tunnel_bio.h"

int __real_tunnel_open(tunnel_bio_t *b, uint32_t timeout_ms);
int __wrap_tunnel_open(tunnel_bio_t *b, uint32_t timeout_ms);
void __real_tunnel_close(tunnel_bio_t *b);
void __wrap_tunnel_close(tunnel_bio_t *b);
int __real_tunnel_send(void *ctx, const unsigned char *buf, size_t len);
int __wrap_tunnel_send(void *ctx, const unsigned char *buf, size_t len);
int __real_tunnel_recv_timeout(void *ctx, unsigned char *buf, size_t len, uint32_t timeout_ms);
int __wrap_tunnel_recv_timeout(void *ctx, unsigned char *buf, size_t len, uint32_t timeout_ms);
void __real_agent_log(const char *text, size_t len);
void __wrap_agent_log(const char *text, size_t len);

int __wrap_tunnel_open(tunnel_bio_t *b, uint32_t timeout_ms)
{
    port_meter_pause();
    int ret = __real_tunnel_open(b, timeout_ms);
    port_meter_resume();
    return ret;
}

void __wrap_tunnel_close(tunnel_bio_t *b)
{
    port_meter_pause();
    __real_tunnel_close(b);
    port_meter_resume();
}

int __wrap_tunnel_send(void *ctx, const unsigned char *buf, size_t len)
{
    port_meter_pause();
    int ret = __real_tunnel_send(ctx, buf, len);
    port_meter_resume();
    return ret;
}

static int recv_full(void *ctx, unsigned char *buf, size_t len, uint32_t timeout_ms)
{
    uint32_t start = port_now_ms();
    size_t got = 0;
    for (;;) {
        uint32_t left = 0; /* 0 = no timeout, as the tunnel means it */
        if (timeout_ms != 0) {
            uint32_t waited = port_now_ms() - start;
            if (waited >= timeout_ms) {
                return got > 0 ? (int)got : TUNNEL_ERR_TIMEOUT;
            }
            left = timeout_ms - waited;
        }
        int ret = __real_tunnel_recv_timeout(ctx, buf + got, len - got, left);
        if (ret <= 0) {
            /* EOF or an error: hand over what came first; the next call
             * sees the same condition again. */
            return got > 0 ? (int)got : ret;
        }
        got += (size_t)ret;
        if (got >= len) {
            return (int)got;
        }
    }
}

int __wrap_tunnel_recv_timeout(void *ctx, unsigned char *buf, size_t len, uint32_t timeout_ms)
{
    port_meter_pause();
    int ret = recv_full(ctx, buf, len, timeout_ms);
    port_meter_resume();
    return ret;
}

void __wrap_agent_log(const char *text, size_t len)
{
    port_meter_pause();
    __real_agent_log(text, len);
    port_meter_resume();
}
