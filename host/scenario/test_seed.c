#include "test_seed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent_rpc.h"
#include "mbedtls/sha256.h"
#include "proto.h"
#include "tlv.h"

bool test_seed_applies(const board_config_t *b)
{
    return b->kind == BOARD_SIM || b->kind == BOARD_QEMU;
}

void test_seed_derive(const char *scenario, const char *backend, test_seed_t *out)
{
    static const char label[] = "tlsrig TEST ONLY scenario seed";
    mbedtls_sha256_context c;
    mbedtls_sha256_init(&c);
    /* The NULs keep ("ab", "c") and ("a", "bc") apart. */
    (void)mbedtls_sha256_starts_ret(&c, 0);
    (void)mbedtls_sha256_update_ret(&c, (const unsigned char *)label, sizeof label);
    (void)mbedtls_sha256_update_ret(&c, (const unsigned char *)scenario, strlen(scenario) + 1);
    (void)mbedtls_sha256_update_ret(&c, (const unsigned char *)backend, strlen(backend) + 1);
    (void)mbedtls_sha256_finish_ret(&c, out->bytes);
    mbedtls_sha256_free(&c);
    for (size_t i = 0; i < TEST_SEED_LEN; i++) {
        snprintf(out->hex + 2 * i, 3, "%02x", out->bytes[i]);
    }
}

int test_seed_send(host_link_t *hl, const test_seed_t *seed, uint32_t timeout_ms, char *err,
                   size_t errlen)
{
    return agent_send_entropy(hl, seed->bytes, sizeof seed->bytes, timeout_ms, err, errlen);
}
