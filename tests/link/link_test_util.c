#include "link_test_util.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

void rng_seed(test_rng_t *r, uint64_t seed)
{
    r->state = seed ? seed : 0x9E3779B97F4A7C15u;
}

/* xorshift64*: deterministic across platforms, good enough for test data. */
uint32_t rng_next(test_rng_t *r)
{
    r->state ^= r->state >> 12;
    r->state ^= r->state << 25;
    r->state ^= r->state >> 27;
    return (uint32_t)((r->state * 0x2545F4914F6CDD1Du) >> 32);
}

uint32_t rng_below(test_rng_t *r, uint32_t bound)
{
    return rng_next(r) % bound;
}

void rng_fill(test_rng_t *r, uint8_t *buf, size_t len, uint32_t zero_one_in)
{
    for (size_t i = 0; i < len; i++) {
        if (zero_one_in > 0) {
            buf[i] = rng_below(r, zero_one_in) == 0 ? 0 : (uint8_t)(1u + rng_below(r, 255));
        } else {
            buf[i] = (uint8_t)rng_next(r);
        }
    }
}

void endpoint_init(test_endpoint_t *e)
{
    memset(e, 0, sizeof *e);
    e->wire_cap = 1u << 20;
    e->wire = malloc(e->wire_cap);
    e->msgs_cap = 4096;
    e->msgs = malloc(e->msgs_cap * sizeof *e->msgs);
    cr_assert(e->wire && e->msgs);
}

void endpoint_free(test_endpoint_t *e)
{
    free(e->wire);
    free(e->msgs);
}

void endpoint_clear_wire(test_endpoint_t *e)
{
    e->wire_len = 0;
}

static int endpoint_write(void *ctx, const uint8_t *buf, size_t len)
{
    test_endpoint_t *e = ctx;
    e->writes++;
    if (e->fail_writes) {
        return -1;
    }
    cr_assert(e->wire_len + len <= e->wire_cap, "test wire buffer full");
    memcpy(e->wire + e->wire_len, buf, len);
    e->wire_len += len;
    return 0;
}

static bool endpoint_deliver(void *ctx, uint8_t channel, uint8_t type, const uint8_t *payload,
                             size_t len)
{
    test_endpoint_t *e = ctx;
    if (e->refuse > 0) {
        e->refuse--;
        e->refused++;
        return false;
    }
    cr_assert(e->n_msgs < e->msgs_cap, "test message buffer full");
    cr_assert(len <= LINK_MAX_PAYLOAD);
    test_msg_t *m = &e->msgs[e->n_msgs++];
    m->channel = channel;
    m->type = type;
    m->len = len;
    if (len > 0) {
        memcpy(m->data, payload, len);
    }
    return true;
}

link_ops_t endpoint_ops(test_endpoint_t *e)
{
    link_ops_t ops = {.write = endpoint_write, .deliver = endpoint_deliver, .ctx = e};
    return ops;
}
