/* ENTROPY: a seed from the host, for emulators whose RNG reads 0 (QEMU).
 * Boards with a real RNG refuse it: a host seed there would hide a broken
 * entropy source. */
#include "commands.h"
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
    if (port_host_entropy(rq->u.data.data, rq->u.data.len) != 0) {
        return ST_ERR_MALFORMED; /* the port says how long a seed must be */
    }
    /* Re-seed from scratch so the DRBG state depends on this seed only. */
    return tls_platform_reseed() == 0 ? ST_OK : ST_ERR_REFUSED;
}
