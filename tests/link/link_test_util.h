/* Helpers shared by the link tests: a seeded PRNG and a recording endpoint
 * (what a link wrote, what it delivered). */
#ifndef TLSRIG_LINK_TEST_UTIL_H
#define TLSRIG_LINK_TEST_UTIL_H

#include "link.h"

typedef struct test_rng {
    uint64_t state;
} test_rng_t;

void rng_seed(test_rng_t *r, uint64_t seed);
uint32_t rng_next(test_rng_t *r);
/* Uniform in [0, bound); bound > 0. */
uint32_t rng_below(test_rng_t *r, uint32_t bound);
/* Random bytes; zero_one_in > 0 makes roughly one byte in zero_one_in a 0x00,
 * 0 leaves them uniform. */
void rng_fill(test_rng_t *r, uint8_t *buf, size_t len, uint32_t zero_one_in);

typedef struct test_msg {
    uint8_t channel;
    uint8_t type;
    size_t len;
    uint8_t data[LINK_MAX_PAYLOAD];
} test_msg_t;

/* Records everything a link writes (wire) and delivers (msgs). */
typedef struct test_endpoint {
    uint8_t *wire;
    size_t wire_len;
    size_t wire_cap;
    size_t writes;
    bool fail_writes; /* make ops->write fail */
    size_t refuse;    /* refuse (deliver returns false) this many messages, then take them */
    size_t refused;   /* messages refused so far */
    test_msg_t *msgs;
    size_t n_msgs;
    size_t msgs_cap;
} test_endpoint_t;

void endpoint_init(test_endpoint_t *e);
void endpoint_free(test_endpoint_t *e);
void endpoint_clear_wire(test_endpoint_t *e);
/* ops whose ctx is e: write appends to e->wire, deliver appends to e->msgs. */
link_ops_t endpoint_ops(test_endpoint_t *e);

#endif
