/*
 * SHA-1 and SHA-256 requests on the HASH engine (hash_hw.c, the driver the mbedTLS hw backend
 * uses: one engine shared by many contexts through CSR save/restore).
 *
 * A wolfSSL hash object has no room for the engine state (hw_hash_state_t: 38 context words and
 * a block buffer), so the device keeps it in a slot and puts the slot's handle (index and
 * generation) into the object's devCtx. wolfSSL does not tell a callback when it copies a hash
 * (wc_Sha256Copy is a memcpy) or frees one, so:
 *   - a call on an object at another address than the slot's is a copy: the slot is cloned on
 *     the engine (hw_hash_clone(), where the sha-clone driver bug lives) and the copy gets its
 *     own slot: the same path as mbedtls_sha256_clone() on mbedTLS;
 *   - each object also carries the slot's version (its hiLen field, which the software hash
 *     never reads while the device serves the object): a copy whose source went on before the
 *     copy was first used, or a slot evicted and reused, is refused with WC_HW_E, never a wrong
 *     digest;
 *   - a slot is freed at the final, when a new hash starts at the same address, by
 *     tlsrig_wolf_hw_hash_release_all(), or (all slots busy) by evicting the least recently
 *     used one.
 */
#include "wolf_hw_internal.h"

#include <wolfssl/wolfcrypt/sha.h>
#include <wolfssl/wolfcrypt/sha256.h>

#include "hash_hw.h"

#include <stdint.h>
#include <string.h>

#ifndef TLSRIG_WOLF_HW_HASH_SLOTS
#define TLSRIG_WOLF_HW_HASH_SLOTS 16
#endif
#if TLSRIG_WOLF_HW_HASH_SLOTS < 1 || TLSRIG_WOLF_HW_HASH_SLOTS > 254
#error "TLSRIG_WOLF_HW_HASH_SLOTS: 1..254 (the handle keeps the index in 8 bits)"
#endif

#define GEN_MASK 0xFFFFFFu /* 24 bits: a handle fits a 32-bit pointer */

typedef struct {
    hw_hash_state_t hw;
    const void *bound; /* the wolfSSL hash object this state belongs to */
    uint32_t gen;      /* part of the handle: changes whenever the slot is reused */
    uint32_t version;  /* bumped by every update; mirrored in the object */
    uint32_t last_use;
    int in_use;
} hash_slot_t;

/* What the device needs of a wc_Sha or wc_Sha256 object. */
typedef struct {
    const void *obj;
    void **dev_ctx;
    word32 *version;
    uint32_t algo_cr;
    unsigned digest_words;
    tlsrig_wolf_hw_prim_t prim;
} hash_ref_t;

static hash_slot_t slots[TLSRIG_WOLF_HW_HASH_SLOTS];
static uint32_t use_clock;
static tlsrig_wolf_hw_hash_stats_t hstats;

#define HASH_LOST 1 /* internal: the object's state is gone (evicted, diverged) */

static void *handle_of(const hash_slot_t *s)
{
    uintptr_t idx = (uintptr_t)(s - slots) + 1u;
    return (void *)(((uintptr_t)s->gen << 8) | idx);
}

static void release(hash_slot_t *s)
{
    hw_hash_free(&s->hw);
    s->bound = NULL;
    s->in_use = 0;
    s->gen = (s->gen + 1u) & GEN_MASK;
    if (hstats.slots_in_use > 0)
        hstats.slots_in_use--;
}

static void release_bound_to(const void *obj)
{
    for (unsigned i = 0; i < TLSRIG_WOLF_HW_HASH_SLOTS; i++) {
        if (slots[i].in_use && slots[i].bound == obj)
            release(&slots[i]);
    }
}

void tlsrig_wolf_hw_hash_release_all(void)
{
    for (unsigned i = 0; i < TLSRIG_WOLF_HW_HASH_SLOTS; i++) {
        if (slots[i].in_use)
            release(&slots[i]);
    }
}

void wolf_hw_hash_stats_reset(void)
{
    uint32_t in_use = hstats.slots_in_use;
    memset(&hstats, 0, sizeof(hstats));
    hstats.slots_in_use = in_use;
    hstats.slots_max = in_use;
}

void tlsrig_wolf_hw_hash_stats(tlsrig_wolf_hw_hash_stats_t *out)
{
    *out = hstats;
}

/* A free slot, or the least recently used one taken from its owner. */
static hash_slot_t *take_slot(const void *obj)
{
    hash_slot_t *pick = NULL;
    for (unsigned i = 0; i < TLSRIG_WOLF_HW_HASH_SLOTS && pick == NULL; i++) {
        if (!slots[i].in_use)
            pick = &slots[i];
    }
    if (pick == NULL) {
        /* The oldest use: the largest age (unsigned, so the clock may wrap). */
        pick = &slots[0];
        for (unsigned i = 1; i < TLSRIG_WOLF_HW_HASH_SLOTS; i++) {
            if (use_clock - slots[i].last_use > use_clock - pick->last_use)
                pick = &slots[i];
        }
        release(pick);
        hstats.evictions++;
    }
    pick->in_use = 1;
    pick->bound = obj;
    pick->last_use = ++use_clock;
    hstats.slots_in_use++;
    if (hstats.slots_in_use > hstats.slots_max)
        hstats.slots_max = hstats.slots_in_use;
    return pick;
}

static void bind(const hash_ref_t *r, hash_slot_t *s)
{
    *r->dev_ctx = handle_of(s);
    *r->version = s->version;
}

static void unbind(const hash_ref_t *r)
{
    *r->dev_ctx = NULL;
    *r->version = 0;
}

/* The slot serving r's object: a new hash, the object's own slot, or a clone for a copy. */
static int slot_for(const hash_ref_t *r, hash_slot_t **out)
{
    uintptr_t h = (uintptr_t)*r->dev_ctx;
    if (h == 0) {
        /* A new hash here: whatever this address held before is dead. */
        release_bound_to(r->obj);
        hash_slot_t *s = take_slot(r->obj);
        hw_hash_init(&s->hw);
        hw_hash_start(&s->hw, r->algo_cr);
        s->version = 0;
        bind(r, s);
        *out = s;
        return 0;
    }
    uintptr_t idx = (h & 0xFFu) - 1u;
    if (idx >= TLSRIG_WOLF_HW_HASH_SLOTS)
        return HASH_LOST;
    hash_slot_t *src = &slots[idx];
    if (!src->in_use || src->gen != (uint32_t)(h >> 8) || src->version != *r->version ||
        src->hw.algo_cr != r->algo_cr)
        return HASH_LOST;
    src->last_use = ++use_clock;
    if (src->bound == r->obj) {
        *out = src;
        return 0;
    }
    /* wolfSSL copied the object (memcpy): give the copy its own engine state. Whatever this
     * address held before the copy landed on it is dead. */
    release_bound_to(r->obj);
    hash_slot_t *dst = take_slot(r->obj);
    if (!src->in_use || src->gen != (uint32_t)(h >> 8)) {
        /* Taking a slot evicted the source (every other slot more recent). */
        release(dst);
        return HASH_LOST;
    }
    hw_hash_clone(&dst->hw, &src->hw);
    dst->version = src->version;
    hstats.copies++;
    bind(r, dst);
    *out = dst;
    return 0;
}

static int hash_call(const hash_ref_t *r, const byte *in, word32 in_sz, byte *digest)
{
    hash_slot_t *s = NULL;
    if (slot_for(r, &s) != 0) {
        /* The state this object needs is gone; starting over would give a wrong digest. */
        unbind(r);
        hstats.lost++;
        wolf_hw_count_error(r->prim);
        return WC_HW_E;
    }
    int rc = 0;
    if (in != NULL && in_sz > 0) {
        rc = hw_hash_update(&s->hw, in, in_sz);
        s->version++;
        *r->version = s->version;
    }
    if (rc == 0 && digest != NULL) {
        rc = hw_hash_finish(&s->hw, digest, r->digest_words);
        /* wolfSSL's final leaves the object ready for a new hash. */
        release(s);
        unbind(r);
    }
    if (rc != 0) {
        if (s->in_use)
            release(s);
        unbind(r);
        wolf_hw_count_error(r->prim);
        return rc == HW_HASH_ERR_BAD_INPUT ? BAD_FUNC_ARG : WC_HW_E;
    }
    wolf_hw_count_hw(r->prim, in != NULL ? in_sz : 0);
    return 0;
}

int wolf_hw_hash(wc_CryptoInfo *info)
{
    hash_ref_t r = {0};
    switch (info->hash.type) {
#if !defined(NO_SHA)
    case WC_HASH_TYPE_SHA:
        if (info->hash.sha1 == NULL)
            break;
        r.obj = info->hash.sha1;
        r.dev_ctx = &info->hash.sha1->devCtx;
        r.version = &info->hash.sha1->hiLen;
        r.algo_cr = HASH_CR_ALGO_SHA1;
        r.digest_words = 5u;
        r.prim = TLSRIG_WOLF_HW_SHA1;
        return hash_call(&r, info->hash.in, info->hash.inSz, info->hash.digest);
#endif
#if !defined(NO_SHA256)
    case WC_HASH_TYPE_SHA256:
        if (info->hash.sha256 == NULL)
            break;
        r.obj = info->hash.sha256;
        r.dev_ctx = &info->hash.sha256->devCtx;
        r.version = &info->hash.sha256->hiLen;
        r.algo_cr = HASH_CR_ALGO_SHA256;
        r.digest_words = 8u;
        r.prim = TLSRIG_WOLF_HW_SHA256;
        return hash_call(&r, info->hash.in, info->hash.inSz, info->hash.digest);
#endif
    default:
        break;
    }
    /* SHA-224 (wolfSSL 5.7.2 does not route it), SHA-384/512, SHA-3: not on this engine. */
    wolf_hw_count_fallback(TLSRIG_WOLF_HW_OTHER);
    return CRYPTOCB_UNAVAILABLE;
}
