/* SELFTEST, BENCH and FAULT on the wolfssl stack (issue 18 wolfint). SELFTEST runs the
 * known-answer tests of target/crypto/selftest through wolfCrypt (target/crypto/wolfssl_cb:
 * same vectors and check names as on mbedTLS images); on hw images with the crypto callback
 * device's devId, so a faulty driver names its primitive. FAULT arms the sim models' and
 * drivers' faults on hw images, as on mbedTLS. BENCH answers ST_ERR_UNSUPPORTED with the
 * reason (its timing loops are written against mbedTLS's API), which the host records as a
 * skip with that reason, never as a pass. */
#include <string.h>

#include "commands.h"
#include "crypto_selftest.h"
#include "port.h"
#include "proto.h"
#include "selftest_wire.h"
#include "tlv.h"

#if defined(TLSRIG_WOLFSSL_HW)
#include "tlsrig_wolf_hw.h"
#endif

#define BENCH_UNSUPPORTED_TEXT                                                                     \
    "unsupported on this stack (wolfssl): the benchmarks are written against mbedTLS's API"

/* sw: the port's entropy, as on mbedTLS images; hw: the seed path wolfSSL uses (the device). */
static int selftest_rng(void *data, unsigned char *out, size_t len, size_t *olen)
{
#if defined(TLSRIG_WOLFSSL_HW)
    return tlsrig_wolf_hw_selftest_rng(data, out, len, olen);
#else
    (void)data;
    if (port_entropy(out, len) != 0) {
        return -1;
    }
    *olen = len;
    return 0;
#endif
}

size_t cmd_selftest(uint8_t *out, size_t cap)
{
    static crypto_selftest_report_t report;
    tlv_writer_t w;
    tlv_writer_init(&w, out, cap);
    tlv_put_u8(&w, T_STATUS, ST_OK);
    crypto_selftest_set_rng(selftest_rng, NULL);
    uint64_t t0 = port_now_ns();
    (void)crypto_selftest_run(&report);
    tlv_put_u64(&w, T_DURATION_US, (port_now_ns() - t0) / 1000u);
    for (size_t i = 0; i < report.count; i++) {
        selftest_put_result(&w, &report.results[i]);
    }
#if defined(TLSRIG_WOLFSSL_HW)
    /* The checks' hash objects are gone; their slots must not crowd the next handshake. */
    tlsrig_wolf_hw_hash_release_all();
    tlsrig_wolf_hw_stats_reset();
#endif
    return w.overflow ? 0 : w.len;
}

size_t cmd_bench(uint8_t *out, size_t cap)
{
    tlv_writer_t w;
    tlv_writer_init(&w, out, cap);
    tlv_put_u8(&w, T_STATUS, ST_ERR_UNSUPPORTED);
    tlv_put_str(&w, T_TEXT, BENCH_UNSUPPORTED_TEXT);
    return w.overflow ? 0 : w.len;
}

/* Each WOLFSSL seeds its own DRBG when it is created, so a fault in the RNG reaches the next
 * handshake without a reseed here. */
uint8_t cmd_fault(const ctrl_request_t *rq)
{
    if (rq->status != ST_OK) {
        return rq->status;
    }
    int rc = port_inject_fault(rq->u.fault.name, rq->u.fault.every);
    if (rc == -2) {
        return ST_ERR_REFUSED;
    }
    return rc == 0 ? ST_OK : ST_ERR_UNSUPPORTED;
}
