#define _POSIX_C_SOURCE 200809L
#include "key_cache.h"

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/error.h>
#include <mbedtls/rsa.h>
#include <mbedtls/sha256.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define KEY_CACHE_MAX 32 /* chains of the recipe file (16 today) and spare */

typedef struct cached_key {
    char path[1024];
    struct stat st;
    mbedtls_pk_context pk; /* blinding set up; never used for a handshake */
} cached_key_t;

static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static cached_key_t g_keys[KEY_CACHE_MAX];
static size_t g_n, g_next;
static unsigned long g_parses;

static bool same_stat(const struct stat *a, const struct stat *b)
{
    return a->st_ino == b->st_ino && a->st_dev == b->st_dev && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

static int fail(char *err, size_t errlen, const char *what, const char *path, int ret)
{
    char msg[160];
    mbedtls_strerror(ret, msg, sizeof msg);
    snprintf(err, errlen, "%s %s: -0x%04x %s", what, path, (unsigned)-ret, msg);
    return ret;
}

/* TEST ONLY generator for the blinding of seeded runs: SHA-256 of a fixed
 * label and a counter, so the blinding values depend on the key alone. */
static int fixed_entropy(void *ctx, unsigned char *out, size_t len)
{
    uint32_t *counter = ctx;
    static const char label[] = "tlsrig key cache blinding TEST ONLY";
    while (len > 0) {
        unsigned char in[sizeof label + sizeof *counter], block[32];
        memcpy(in, label, sizeof label);
        memcpy(in + sizeof label, counter, sizeof *counter);
        (*counter)++;
        mbedtls_sha256_ret(in, sizeof in, block, 0);
        size_t take = len < sizeof block ? len : sizeof block;
        memcpy(out, block, take);
        out += take;
        len -= take;
    }
    return 0;
}

/* What the first private operation leaves for the later ones, without that operation (a
 * signature: 29M instructions at the start of every run, on two cores beside the target's
 * own start): the Montgomery constants RP, RQ and RN that mbedtls_mpi_exp_mod computes on
 * its first use of each modulus, and the blinding pair of mbedTLS 2.28's
 * rsa_prepare_blinding (library/rsa.c), made as it makes them: Vf random, Vi = Vf^-e mod N,
 * Vf^-1 taken as R (R Vf)^-1. From then on mbedtls_rsa_private only squares them, and it
 * checks every signature with the public key, so a wrong pair could not go unseen (the
 * server tests sign with these keys). */
static int prime_blinding(mbedtls_rsa_context *rsa)
{
    mbedtls_ctr_drbg_context drbg;
    uint32_t counter = 0;
    static const unsigned char pers[] = "tlsrig-key-cache";
    mbedtls_mpi one, x, r;
    mbedtls_ctr_drbg_init(&drbg);
    mbedtls_mpi_init(&one);
    mbedtls_mpi_init(&x);
    mbedtls_mpi_init(&r);
    int ret = mbedtls_ctr_drbg_seed(&drbg, fixed_entropy, &counter, pers, sizeof pers - 1);
    size_t len = mbedtls_rsa_get_len(rsa);
    if (ret == 0 && len < 2)
        ret = MBEDTLS_ERR_RSA_BAD_INPUT_DATA;
    if (ret == 0)
        ret = mbedtls_mpi_lset(&one, 1);
    /* 1^1 mod P, Q, N: each call leaves its modulus's R^2 in the context */
    if (ret == 0)
        ret = mbedtls_mpi_exp_mod(&x, &one, &one, &rsa->P, &rsa->RP);
    if (ret == 0)
        ret = mbedtls_mpi_exp_mod(&x, &one, &one, &rsa->Q, &rsa->RQ);
    if (ret == 0)
        ret = mbedtls_mpi_exp_mod(&x, &one, &one, &rsa->N, &rsa->RN);
    for (int tries = 0; ret == 0; tries++) {
        if (tries > 10) {
            ret = MBEDTLS_ERR_RSA_RNG_FAILED;
            break;
        }
        ret = mbedtls_mpi_fill_random(&rsa->Vf, len - 1, mbedtls_ctr_drbg_random, &drbg);
        if (ret == 0)
            ret = mbedtls_mpi_fill_random(&r, len - 1, mbedtls_ctr_drbg_random, &drbg);
        if (ret == 0)
            ret = mbedtls_mpi_mul_mpi(&rsa->Vi, &rsa->Vf, &r);
        if (ret == 0)
            ret = mbedtls_mpi_mod_mpi(&rsa->Vi, &rsa->Vi, &rsa->N);
        if (ret == 0) {
            ret = mbedtls_mpi_inv_mod(&rsa->Vi, &rsa->Vi, &rsa->N);
            if (ret == 0)
                break;
            if (ret == MBEDTLS_ERR_MPI_NOT_ACCEPTABLE)
                ret = 0; /* not invertible: new values */
        }
    }
    if (ret == 0)
        ret = mbedtls_mpi_mul_mpi(&rsa->Vi, &rsa->Vi, &r);
    if (ret == 0)
        ret = mbedtls_mpi_mod_mpi(&rsa->Vi, &rsa->Vi, &rsa->N);
    if (ret == 0)
        ret = mbedtls_mpi_exp_mod(&rsa->Vi, &rsa->Vi, &rsa->E, &rsa->N, &rsa->RN);
    if (ret != 0) {
        /* no half-made pair: mbedtls_rsa_private would take it for a whole one */
        mbedtls_mpi_free(&rsa->Vi);
        mbedtls_mpi_free(&rsa->Vf);
    }
    mbedtls_mpi_free(&one);
    mbedtls_mpi_free(&x);
    mbedtls_mpi_free(&r);
    mbedtls_ctr_drbg_free(&drbg);
    return ret;
}

/* dst gets its own copy: servers of overlapping scenarios never share the
 * blinding state, which each signature updates. */
static int copy_key(mbedtls_pk_context *dst, const mbedtls_pk_context *src)
{
    mbedtls_pk_type_t t = mbedtls_pk_get_type(src);
    int ret = mbedtls_pk_setup(dst, mbedtls_pk_info_from_type(t));
    if (ret != 0)
        return ret;
    if (t == MBEDTLS_PK_RSA)
        return mbedtls_rsa_copy(mbedtls_pk_rsa(*dst), mbedtls_pk_rsa(*src));
    if (t == MBEDTLS_PK_ECKEY || t == MBEDTLS_PK_ECKEY_DH || t == MBEDTLS_PK_ECDSA) {
        const mbedtls_ecp_keypair *s = mbedtls_pk_ec(*src);
        mbedtls_ecp_keypair *d = mbedtls_pk_ec(*dst);
        ret = mbedtls_ecp_group_copy(&d->grp, &s->grp);
        if (ret == 0)
            ret = mbedtls_mpi_copy(&d->d, &s->d);
        if (ret == 0)
            ret = mbedtls_ecp_copy(&d->Q, &s->Q);
        return ret;
    }
    return MBEDTLS_ERR_PK_TYPE_MISMATCH;
}

static cached_key_t *find(const char *path)
{
    for (size_t i = 0; i < g_n; i++)
        if (strcmp(g_keys[i].path, path) == 0)
            return &g_keys[i];
    return NULL;
}

/* A fresh entry for path, parsed and primed; NULL with ret when it fails. */
static cached_key_t *parse_into_cache(const char *path, const struct stat *st, int *ret)
{
    mbedtls_pk_context pk;
    mbedtls_pk_init(&pk);
    g_parses++;
    *ret = mbedtls_pk_parse_keyfile(&pk, path, NULL);
    if (*ret == 0 && mbedtls_pk_get_type(&pk) == MBEDTLS_PK_RSA)
        *ret = prime_blinding(mbedtls_pk_rsa(pk));
    if (*ret != 0) {
        mbedtls_pk_free(&pk);
        return NULL;
    }
    cached_key_t *slot = find(path);
    if (!slot && g_n < KEY_CACHE_MAX) {
        slot = &g_keys[g_n++];
    } else if (!slot) {
        slot = &g_keys[g_next]; /* full: replace round robin */
        g_next = (g_next + 1) % KEY_CACHE_MAX;
    }
    if (slot < g_keys + g_n && slot->path[0] != '\0')
        mbedtls_pk_free(&slot->pk);
    snprintf(slot->path, sizeof slot->path, "%s", path);
    slot->st = *st;
    slot->pk = pk; /* the context moves; pk is not freed here */
    return slot;
}

int key_cache_load(mbedtls_pk_context *dst, const char *path, bool deterministic, char *err,
                   size_t errlen)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return fail(err, errlen, "reading key", path, MBEDTLS_ERR_PK_FILE_IO_ERROR);
    if (strlen(path) >= sizeof g_keys[0].path) {
        int ret = mbedtls_pk_parse_keyfile(dst, path, NULL); /* not remembered */
        return ret == 0 ? 0 : fail(err, errlen, "parsing key", path, ret);
    }
    int ret = 0;
    pthread_mutex_lock(&g_mu);
    cached_key_t *k = find(path);
    if (!k || !same_stat(&k->st, &st))
        k = parse_into_cache(path, &st, &ret);
    if (k)
        ret = copy_key(dst, &k->pk);
    if (k && ret == 0 && !deterministic && mbedtls_pk_get_type(dst) == MBEDTLS_PK_RSA) {
        /* Outside seeded runs each server draws its own blinding values
         * from its DRBG, as an uncached key would: no two servers start
         * from the same ones. */
        mbedtls_mpi_free(&mbedtls_pk_rsa(*dst)->Vi);
        mbedtls_mpi_free(&mbedtls_pk_rsa(*dst)->Vf);
    }
    pthread_mutex_unlock(&g_mu);
    return ret == 0 ? 0 : fail(err, errlen, "parsing key", path, ret);
}

unsigned long key_cache_parses(void)
{
    pthread_mutex_lock(&g_mu);
    unsigned long n = g_parses;
    pthread_mutex_unlock(&g_mu);
    return n;
}

void key_cache_clear(void)
{
    pthread_mutex_lock(&g_mu);
    for (size_t i = 0; i < g_n; i++)
        mbedtls_pk_free(&g_keys[i].pk);
    memset(g_keys, 0, sizeof g_keys);
    g_n = g_next = 0;
    pthread_mutex_unlock(&g_mu);
}
