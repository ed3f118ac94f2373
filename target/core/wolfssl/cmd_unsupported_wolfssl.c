/* SELFTEST, BENCH and FAULT on the wolfssl stack: their code is written against mbedTLS's
 * primitives (target/crypto/selftest, cmd_bench.c) and the hw fault models sit behind
 * mbedTLS's ALT drivers, so a wolfSSL image answers ST_ERR_UNSUPPORTED with the reason,
 * which the host records as a skip with that reason, never as a pass. */
#include "commands.h"
#include "proto.h"
#include "tlv.h"

#define UNSUPPORTED_TEXT                                                                           \
    "unsupported on this stack (wolfssl): the crypto self-tests and benchmarks are mbedTLS's"

static size_t unsupported(uint8_t *out, size_t cap)
{
    tlv_writer_t w;
    tlv_writer_init(&w, out, cap);
    tlv_put_u8(&w, T_STATUS, ST_ERR_UNSUPPORTED);
    tlv_put_str(&w, T_TEXT, UNSUPPORTED_TEXT);
    return w.overflow ? 0 : w.len;
}

size_t cmd_selftest(uint8_t *out, size_t cap)
{
    return unsupported(out, cap);
}

size_t cmd_bench(uint8_t *out, size_t cap)
{
    return unsupported(out, cap);
}

uint8_t cmd_fault(const ctrl_request_t *rq)
{
    (void)rq;
    return ST_ERR_UNSUPPORTED;
}
