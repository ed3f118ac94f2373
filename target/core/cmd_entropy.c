/* ENTROPY: a TEST ONLY seed from the host, for emulated boards (QEMU, whose
 * RNG reads 0, and sim). The host sends one per scenario, derived from the
 * scenario, so every handshake draws the same random values whatever ran
 * before it: sizes, heap peaks and instruction counts repeat exactly.
 * Boards with a real RNG refuse it: a host seed there would hide a broken
 * entropy source. */
#include "commands.h"
#include "debug_log.h"
#include "port.h"
#include "proto.h"
#include "tls_platform.h"

uint8_t cmd_entropy(const ctrl_request_t *rq)
{
    if (!port_accepts_host_entropy()) {
        return ST_ERR_REFUSED;
    }
    if (rq->status != ST_OK) {
        return rq->status;
    }
    return entropy_take_seed(rq->u.data.data, rq->u.data.len);
}

uint8_t entropy_take_seed(const uint8_t *seed, size_t len)
{
    if (!port_accepts_host_entropy()) {
        return ST_ERR_REFUSED;
    }
    if (port_host_entropy(seed, len) != 0) {
        return ST_ERR_MALFORMED; /* the port says how long a seed must be */
    }
    /* Re-seed from scratch so the DRBG state depends on this seed only. The
     * seed is taken either way: when the entropy source fails (a sim hw
     * image's RNG with an injected fault), the DRBG stays unseeded and the
     * next handshake fails with MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED,
     * a TLS-level failure of the crypto under test, not of the rig. */
    int ret = tls_platform_reseed();
    if (ret != 0) {
        debug_log_printf("tlsrig: ! DRBG seeding failed -0x%04x\n", (unsigned)-ret);
        debug_log_flush();
    }
    return ST_OK;
}
