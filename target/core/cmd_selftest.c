/* SELFTEST: known-answer tests of every crypto primitive through the mbedTLS
 * API (target/crypto/selftest), so sw and hw images run the same vectors and
 * a divergence names its primitive. FAULT: arm a test fault in the sim's
 * crypto models (refused on images without them). */
#include <string.h>

#include "commands.h"
#include "crypto_selftest.h"
#include "port.h"
#include "proto.h"
#include "selftest_wire.h"
#include "tls_platform.h"
#include "tlv.h"

static int selftest_rng(void *data, unsigned char *out, size_t len, size_t *olen)
{
    (void)data;
    if (port_entropy(out, len) != 0) {
        return -1;
    }
    *olen = len;
    return 0;
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
    return w.overflow ? 0 : w.len;
}

uint8_t cmd_fault(const ctrl_request_t *rq)
{
    if (rq->status != ST_OK) {
        return rq->status;
    }
    int rc = port_inject_fault(rq->u.fault.name, rq->u.fault.every);
    if (rc == -2) {
        return ST_ERR_REFUSED;
    }
    if (rc != 0) {
        return ST_ERR_UNSUPPORTED;
    }
    /* A fault in the RNG must reach the DRBG too: seed it again from the source. */
    (void)tls_platform_reseed();
    return ST_OK;
}
