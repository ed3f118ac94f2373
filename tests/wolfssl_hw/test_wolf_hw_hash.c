/*
 * SHA-1 and SHA-256 through the device: FIPS vectors, streaming in many update sizes, wolfSSL's
 * copies (wc_Sha256Copy, wc_Sha256GetHash) as engine clones, HMAC over the device, and the
 * limits of state kept outside the object: eviction and a diverged copy are errors.
 */
#include <criterion/criterion.h>

#include <string.h>

#include "periph_sim.h"
#include "selftest_vectors.h"
#include "wolf_hwtest.h"

TestSuite(wolfssl_hw_hash, .init = wolf_hwtest_setup, .fini = wolf_hwtest_teardown);

/* SHA-1 and SHA-256 behind one interface, so each test runs on both. */
typedef struct {
    const char *name;
    size_t digest_len;
    tlsrig_wolf_hw_prim_t prim;
    const selftest_sha_vector_t *vectors;
    const size_t *vector_count;
} algo_t;

typedef union {
    wc_Sha sha1;
    wc_Sha256 sha256;
} hash_obj_t;

static const algo_t algos[] = {
    {"sha1", WC_SHA_DIGEST_SIZE, TLSRIG_WOLF_HW_SHA1, selftest_sha1_vectors,
     &selftest_sha1_vector_count},
    {"sha256", WC_SHA256_DIGEST_SIZE, TLSRIG_WOLF_HW_SHA256, selftest_sha256_vectors,
     &selftest_sha256_vector_count},
};

static int h_init(const algo_t *a, hash_obj_t *h, int dev_id)
{
    return a->digest_len == WC_SHA_DIGEST_SIZE ? wc_InitSha_ex(&h->sha1, NULL, dev_id)
                                               : wc_InitSha256_ex(&h->sha256, NULL, dev_id);
}

static int h_update(const algo_t *a, hash_obj_t *h, const unsigned char *d, size_t n)
{
    return a->digest_len == WC_SHA_DIGEST_SIZE ? wc_ShaUpdate(&h->sha1, d, (word32)n)
                                               : wc_Sha256Update(&h->sha256, d, (word32)n);
}

static int h_final(const algo_t *a, hash_obj_t *h, unsigned char *out)
{
    return a->digest_len == WC_SHA_DIGEST_SIZE ? wc_ShaFinal(&h->sha1, out)
                                               : wc_Sha256Final(&h->sha256, out);
}

static int h_copy(const algo_t *a, hash_obj_t *src, hash_obj_t *dst)
{
    return a->digest_len == WC_SHA_DIGEST_SIZE ? wc_ShaCopy(&src->sha1, &dst->sha1)
                                               : wc_Sha256Copy(&src->sha256, &dst->sha256);
}

static int h_get_hash(const algo_t *a, hash_obj_t *h, unsigned char *out)
{
    return a->digest_len == WC_SHA_DIGEST_SIZE ? wc_ShaGetHash(&h->sha1, out)
                                               : wc_Sha256GetHash(&h->sha256, out);
}

static void h_free(const algo_t *a, hash_obj_t *h)
{
    if (a->digest_len == WC_SHA_DIGEST_SIZE)
        wc_ShaFree(&h->sha1);
    else
        wc_Sha256Free(&h->sha256);
}

/* Digest of buf fed in pieces of `step` bytes (0: pieces of 1, 2, 3, ... bytes). */
static void digest_of(const algo_t *a, int dev_id, const unsigned char *buf, size_t len,
                      size_t step, unsigned char *out)
{
    hash_obj_t h;
    cr_assert_eq(h_init(a, &h, dev_id), 0);
    size_t grow = 1;
    for (size_t off = 0; off < len;) {
        size_t n = step ? step : grow++;
        if (n > len - off)
            n = len - off;
        cr_assert_eq(h_update(a, &h, buf + off, n), 0);
        off += n;
    }
    cr_assert_eq(h_final(a, &h, out), 0);
    h_free(a, &h);
}

Test(wolfssl_hw_hash, fips_vectors_on_the_engine)
{
    for (size_t k = 0; k < 2; k++) {
        const algo_t *a = &algos[k];
        for (size_t i = 0; i < *a->vector_count; i++) {
            const selftest_sha_vector_t *v = &a->vectors[i];
            hash_obj_t h;
            unsigned char out[32];
            wolf_hwtest_bus_reset();
            cr_assert_eq(h_init(a, &h, HW_DEVID), 0);
            for (size_t r = 0; r < v->repeat; r++)
                cr_assert_eq(h_update(a, &h, v->text, v->text_len), 0);
            cr_assert_eq(h_final(a, &h, out), 0);
            h_free(a, &h);
            cr_assert_arr_eq(out, v->digest, a->digest_len, "%s %s", a->name, v->name);
            wolf_hwtest_bus_t bus;
            wolf_hwtest_bus(&bus);
            cr_assert_geq(bus.hash_din, (v->text_len * v->repeat) / 4, "%s %s: not on the model",
                          a->name, v->name);
        }
        const tlsrig_wolf_hw_counter_t *c = tlsrig_wolf_hw_stats_get(a->prim);
        cr_assert_gt(c->hw_ops, 0);
        cr_assert_eq(c->fallback_ops + c->errors, 0);
    }
}

Test(wolfssl_hw_hash, streaming_in_every_piece_size_matches_software)
{
    unsigned char msg[700];
    wolf_hwtest_fill(msg, sizeof msg, 5);
    static const size_t steps[] = {0, 1, 3, 55, 56, 63, 64, 65, 127, 128, 129, 700};
    for (size_t k = 0; k < 2; k++) {
        const algo_t *a = &algos[k];
        for (size_t len = 0; len <= sizeof msg; len += (len < 130 ? 1 : 57)) {
            unsigned char sw[32], hw[32];
            digest_of(a, SW_DEVID, msg, len, 64, sw);
            for (size_t s = 0; s < sizeof steps / sizeof *steps; s++) {
                digest_of(a, HW_DEVID, msg, len, steps[s], hw);
                cr_assert_arr_eq(hw, sw, a->digest_len, "%s len %zu step %zu", a->name, len,
                                 steps[s]);
            }
        }
    }
    tlsrig_wolf_hw_hash_stats_t hs;
    tlsrig_wolf_hw_hash_stats(&hs);
    cr_assert_eq(hs.slots_in_use, 0, "every final frees its slot");
    cr_assert_eq(hs.slots_max, 1);
}

/* The handshake-hash pattern: one running hash, snapshots taken with copies and GetHash. */
Test(wolfssl_hw_hash, copies_and_get_hash_are_independent_clones)
{
    unsigned char msg[500];
    wolf_hwtest_fill(msg, sizeof msg, 6);
    for (size_t k = 0; k < 2; k++) {
        const algo_t *a = &algos[k];
        hash_obj_t run, copy, copy2;
        unsigned char got[32], want[32];
        cr_assert_eq(h_init(a, &run, HW_DEVID), 0);
        cr_assert_eq(h_update(a, &run, msg, 100), 0);
        /* GetHash: a copy finished at once; the running hash goes on. */
        cr_assert_eq(h_get_hash(a, &run, got), 0);
        digest_of(a, SW_DEVID, msg, 100, 64, want);
        cr_assert_arr_eq(got, want, a->digest_len, "%s get_hash", a->name);
        /* A copy mid-block used first, a copy of the copy, then all three go on apart. */
        cr_assert_eq(h_copy(a, &run, &copy), 0);
        cr_assert_eq(h_update(a, &copy, msg + 400, 50), 0);
        cr_assert_eq(h_copy(a, &copy, &copy2), 0);
        cr_assert_eq(h_update(a, &copy2, msg, 7), 0);
        cr_assert_eq(h_update(a, &copy, msg + 450, 50), 0);
        cr_assert_eq(h_update(a, &run, msg + 100, 300), 0);
        unsigned char alt[207];
        memcpy(alt, msg, 100);
        memcpy(alt + 100, msg + 400, 100);
        cr_assert_eq(h_final(a, &copy, got), 0);
        digest_of(a, SW_DEVID, alt, 200, 64, want);
        cr_assert_arr_eq(got, want, a->digest_len, "%s copy", a->name);
        memcpy(alt + 150, msg, 7);
        cr_assert_eq(h_final(a, &copy2, got), 0);
        digest_of(a, SW_DEVID, alt, 157, 64, want);
        cr_assert_arr_eq(got, want, a->digest_len, "%s copy of the copy", a->name);
        cr_assert_eq(h_final(a, &run, got), 0);
        digest_of(a, SW_DEVID, msg, 400, 64, want);
        cr_assert_arr_eq(got, want, a->digest_len, "%s running hash", a->name);
        /* The object is ready for a new hash after its final, as in software. */
        cr_assert_eq(h_update(a, &run, msg, 3), 0);
        cr_assert_eq(h_final(a, &run, got), 0);
        digest_of(a, SW_DEVID, msg, 3, 64, want);
        cr_assert_arr_eq(got, want, a->digest_len, "%s reuse", a->name);
        h_free(a, &run);
        h_free(a, &copy);
        h_free(a, &copy2);
    }
    tlsrig_wolf_hw_hash_stats_t hs;
    tlsrig_wolf_hw_hash_stats(&hs);
    cr_assert_eq(hs.copies, 2 * 3, "GetHash's copy, the copy and the copy of the copy");
    cr_assert_eq(hs.lost, 0);
}

Test(wolfssl_hw_hash, a_copy_used_after_its_source_went_on_is_refused)
{
    /* No callback sees wc_Sha256Copy: the device clones when the copy is first used, which is
     * too late once the source has moved on. It must say so, not return a wrong digest. */
    const algo_t *a = &algos[1];
    unsigned char msg[200], got[32];
    wolf_hwtest_fill(msg, sizeof msg, 11);
    hash_obj_t run, copy;
    cr_assert_eq(h_init(a, &run, HW_DEVID), 0);
    cr_assert_eq(h_update(a, &run, msg, 70), 0);
    cr_assert_eq(h_copy(a, &run, &copy), 0);
    cr_assert_eq(h_update(a, &run, msg + 70, 70), 0);
    cr_assert_eq(h_final(a, &copy, got), WC_HW_E);
    h_free(a, &copy);
    tlsrig_wolf_hw_hash_stats_t hs;
    tlsrig_wolf_hw_hash_stats(&hs);
    cr_assert_eq(hs.lost, 1);
    /* The source is unharmed. */
    unsigned char want[32];
    cr_assert_eq(h_final(a, &run, got), 0);
    digest_of(a, SW_DEVID, msg, 140, 64, want);
    cr_assert_arr_eq(got, want, a->digest_len);
    h_free(a, &run);
}

Test(wolfssl_hw_hash, more_live_hashes_than_slots_evict_the_oldest_which_then_fails)
{
    enum { N = 17 }; /* one more than the default TLSRIG_WOLF_HW_HASH_SLOTS */
    const algo_t *a = &algos[1];
    unsigned char msg[64], got[32], want[32];
    wolf_hwtest_fill(msg, sizeof msg, 12);
    hash_obj_t h[N];
    for (unsigned i = 0; i < N; i++) {
        cr_assert_eq(h_init(a, &h[i], HW_DEVID), 0);
        cr_assert_eq(h_update(a, &h[i], msg, 10 + i), 0);
    }
    tlsrig_wolf_hw_hash_stats_t hs;
    tlsrig_wolf_hw_hash_stats(&hs);
    cr_assert_eq(hs.evictions, 1);
    cr_assert_eq(hs.slots_in_use, N - 1);
    cr_assert_eq(h_final(a, &h[0], got), WC_HW_E, "the evicted hash must not give a digest");
    for (unsigned i = 1; i < N; i++) {
        cr_assert_eq(h_final(a, &h[i], got), 0);
        digest_of(a, SW_DEVID, msg, 10 + i, 64, want);
        cr_assert_arr_eq(got, want, a->digest_len, "hash %u", i);
    }
    for (unsigned i = 0; i < N; i++)
        h_free(a, &h[i]);
}

Test(wolfssl_hw_hash, release_all_frees_hashes_wolfssl_freed_without_a_final)
{
    const algo_t *a = &algos[1];
    unsigned char msg[10] = {0};
    for (unsigned i = 0; i < 3; i++) {
        hash_obj_t h;
        cr_assert_eq(h_init(a, &h, HW_DEVID), 0);
        cr_assert_eq(h_update(a, &h, msg, sizeof msg), 0);
        h_free(a, &h); /* no final: the device is not told */
    }
    tlsrig_wolf_hw_hash_stats_t hs;
    tlsrig_wolf_hw_hash_stats(&hs);
    /* The same stack address each time: a new hash there frees the dead one's slot. */
    cr_assert_eq(hs.slots_in_use, 1);
    tlsrig_wolf_hw_hash_release_all();
    tlsrig_wolf_hw_hash_stats(&hs);
    cr_assert_eq(hs.slots_in_use, 0);
}

Test(wolfssl_hw_hash, a_copy_onto_a_dead_hash_frees_the_dead_hash_slot)
{
    const algo_t *a = &algos[1];
    unsigned char msg[80] = {1}, got[32], want[32];
    hash_obj_t dead, run;
    cr_assert_eq(h_init(a, &dead, HW_DEVID), 0);
    cr_assert_eq(h_update(a, &dead, msg, 70), 0);
    h_free(a, &dead); /* freed without a final: its slot stays bound to this address */
    cr_assert_eq(h_init(a, &run, HW_DEVID), 0);
    cr_assert_eq(h_update(a, &run, msg, 30), 0);
    cr_assert_eq(h_copy(a, &run, &dead), 0);
    cr_assert_eq(h_update(a, &dead, msg + 30, 50), 0);
    tlsrig_wolf_hw_hash_stats_t hs;
    tlsrig_wolf_hw_hash_stats(&hs);
    cr_assert_eq(hs.slots_in_use, 2, "the running hash and its copy, nothing of the dead one");
    cr_assert_eq(h_final(a, &dead, got), 0);
    digest_of(a, SW_DEVID, msg, 80, 64, want);
    cr_assert_arr_eq(got, want, a->digest_len);
    h_free(a, &dead);
    h_free(a, &run);
}

Test(wolfssl_hw_hash, hmac_runs_in_software_over_the_engine_hashes)
{
    unsigned char key[100], msg[300], hw[32], sw[32];
    wolf_hwtest_fill(key, sizeof key, 13);
    wolf_hwtest_fill(msg, sizeof msg, 14);
    static const int types[] = {WC_SHA, WC_SHA256};
    for (size_t t = 0; t < 2; t++) {
        for (size_t klen = 16; klen <= sizeof key; klen += 84) { /* short and hashed keys */
            for (int pass = 0; pass < 2; pass++) {
                Hmac h;
                cr_assert_eq(wc_HmacInit(&h, NULL, pass ? SW_DEVID : HW_DEVID), 0);
                cr_assert_eq(wc_HmacSetKey(&h, types[t], key, (word32)klen), 0);
                cr_assert_eq(wc_HmacUpdate(&h, msg, 13), 0);
                cr_assert_eq(wc_HmacUpdate(&h, msg + 13, sizeof msg - 13), 0);
                cr_assert_eq(wc_HmacFinal(&h, pass ? sw : hw), 0);
                wc_HmacFree(&h);
            }
            size_t n = types[t] == WC_SHA ? WC_SHA_DIGEST_SIZE : WC_SHA256_DIGEST_SIZE;
            cr_assert_arr_eq(hw, sw, n, "HMAC type %d key %zu", types[t], klen);
        }
    }
    cr_assert_gt(tlsrig_wolf_hw_stats_get(TLSRIG_WOLF_HW_SHA1)->hw_ops, 0);
    cr_assert_gt(tlsrig_wolf_hw_stats_get(TLSRIG_WOLF_HW_SHA256)->hw_ops, 0);
    cr_assert_gt(tlsrig_wolf_hw_stats_get(TLSRIG_WOLF_HW_OTHER)->fallback_ops, 0,
                 "the HMAC requests themselves go back to software");
}

Test(wolfssl_hw_hash, interleaved_hashes_under_flag_timing)
{
    /* Three hashes take turns on the engine while every flag arrives late. */
    periph_sim_set_latency(5);
    const algo_t *a = &algos[1];
    unsigned char msg[3][300], got[32], want[32];
    hash_obj_t h[3];
    for (unsigned i = 0; i < 3; i++) {
        wolf_hwtest_fill(msg[i], sizeof msg[i], 20 + i);
        cr_assert_eq(h_init(a, &h[i], HW_DEVID), 0);
    }
    for (size_t off = 0; off < 300; off += 50)
        for (unsigned i = 0; i < 3; i++)
            cr_assert_eq(h_update(a, &h[i], msg[i] + off, 50), 0);
    for (unsigned i = 0; i < 3; i++) {
        cr_assert_eq(h_final(a, &h[i], got), 0);
        digest_of(a, SW_DEVID, msg[i], 300, 64, want);
        cr_assert_arr_eq(got, want, a->digest_len, "hash %u", i);
        h_free(a, &h[i]);
    }
}
