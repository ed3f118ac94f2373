/* Chains from recipes, through the cache: a certificate's file name carries a
 * digest of its recipe, its key file's contents and its issuer's digest, so an
 * edited recipe (or a regenerated key upstream) gives new files while anything
 * unchanged is reused. Only the certificates a requested chain needs are made. */
#define _DEFAULT_SOURCE /* realpath, PATH_MAX */
#include "certs.h"

#include "cache_files.h"
#include "cert_writer.h"
#include "recipes.h"
#include "recipes_memo.h"

#include <limits.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/x509_crt.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef TLSRIG_SOURCE_DIR
#define TLSRIG_SOURCE_DIR "."
#endif
#ifndef TLSRIG_CERTS_CACHE_DIR
#define TLSRIG_CERTS_CACHE_DIR TLSRIG_SOURCE_DIR "/.cache/certs"
#endif

#define KEY_PEM_MAX 16384
/* Bump to regenerate every cached key, or every certificate (keys kept). Certificates v2:
 * ECDSA signature AlgorithmIdentifiers without parameters (RFC 5758); v1 files had a NULL. */
#define KEY_FORMAT_VERSION "tlsrig-certs-v1"
#define CERT_FORMAT_VERSION "tlsrig-certs-v2"

static atomic_ulong generated_files;

unsigned long certs_generated_count(void)
{
    return atomic_load(&generated_files);
}

const char *certs_default_recipes(void)
{
    return TLSRIG_SOURCE_DIR "/fixtures/certs/recipes.yaml";
}

const char *certs_default_cache_dir(void)
{
    const char *env = getenv("TLSRIG_CERTS_CACHE");
    return env && env[0] ? env : TLSRIG_CERTS_CACHE_DIR;
}

/* One generation session: recipes, cache directory, random generator. */
typedef struct session {
    recipe_file_t *rf;
    char dir[PATH_MAX];
    int lock_fd;
    mbedtls_entropy_context entropy;
    mbedtls_ctr_drbg_context drbg;
    bool seeded;        /* the DRBG is seeded on first use: a warm cache needs none */
    bool entropy_ready; /* entropy initialised (on the first seeding), freed at the close */
    unsigned char *pem; /* CERT_WRITER_PEM_MAX scratch buffer */
} session_t;

typedef struct cert_state {
    char key_path[PATH_MAX];
    char cert_path[PATH_MAX];
    char digest[65];
} cert_state_t;

static int path_printf(char *out, size_t len, char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out, len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= len) {
        snprintf(err, errlen, "path too long in the cache directory");
        return -1;
    }
    return 0;
}

static void session_close(session_t *s)
{
    cache_unlock(s->lock_fd);
    mbedtls_ctr_drbg_free(&s->drbg);
    if (s->entropy_ready)
        mbedtls_entropy_free(&s->entropy);
    free(s->pem);
    recipes_memo_put(s->rf);
}

static int session_open(session_t *s, const char *recipes_path, const char *cache_dir, char *err,
                        size_t errlen)
{
    memset(s, 0, sizeof(*s));
    s->lock_fd = -1;
    mbedtls_ctr_drbg_init(&s->drbg);
    s->rf = recipes_memo_get(recipes_path ? recipes_path : certs_default_recipes(), err, errlen);
    if (!s->rf)
        return -1;
    const char *dir = cache_dir ? cache_dir : certs_default_cache_dir();
    if (cache_mkdir_p(dir, err, errlen))
        return -1;
    /* Absolute paths, so callers may chdir or hand them to a child process. */
    if (!realpath(dir, s->dir)) {
        snprintf(err, errlen, "cannot resolve cache directory %s", dir);
        return -1;
    }
    char sub[PATH_MAX];
    static const char *const subdirs[] = {"keys", "certs", "chains"};
    for (size_t i = 0; i < 3; i++)
        if (path_printf(sub, sizeof(sub), err, errlen, "%s/%s", s->dir, subdirs[i]) ||
            cache_mkdir_p(sub, err, errlen))
            return -1;
    s->pem = malloc(CERT_WRITER_PEM_MAX);
    if (!s->pem) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    s->lock_fd = cache_lock(s->dir, err, errlen);
    return s->lock_fd < 0 ? -1 : 0;
}

/* Before a key or certificate is generated. */
static int session_rng(session_t *s, char *err, size_t errlen)
{
    if (s->seeded)
        return 0;
    static const char pers[] = "tlsrig-certs";
    /* Here, not at the session's start: Debian's mbedTLS gathers HAVEGE state in
     * mbedtls_entropy_init (1.1M instructions), which a warm cache never needs. */
    if (!s->entropy_ready) {
        mbedtls_entropy_init(&s->entropy);
        s->entropy_ready = true;
    }
    int ret = mbedtls_ctr_drbg_seed(&s->drbg, mbedtls_entropy_func, &s->entropy,
                                    (const unsigned char *)pers, sizeof(pers) - 1);
    if (ret != 0) {
        snprintf(err, errlen, "random generator seed failed: -0x%04x", (unsigned)-ret);
        return -1;
    }
    s->seeded = true;
    return 0;
}

/* ---- canonical recipe text, the input of a certificate's digest ---- */

typedef struct text {
    char *buf;
    size_t len, cap;
    bool oom;
} text_t;

static void text_append(text_t *t, const char *data, size_t len)
{
    if (t->oom)
        return;
    if (t->len + len + 1 > t->cap) {
        size_t cap = (t->cap + len + 1) * 2;
        char *nb = realloc(t->buf, cap);
        if (!nb) {
            t->oom = true;
            return;
        }
        t->buf = nb;
        t->cap = cap;
    }
    memcpy(t->buf + t->len, data, len);
    t->len += len;
    t->buf[t->len] = '\0';
}

static void text_add(text_t *t, const char *key, const char *value)
{
    text_append(t, key, strlen(key));
    text_append(t, "=", 1);
    text_append(t, value, strlen(value));
    text_append(t, "\n", 1);
}

static void text_add_list(text_t *t, const char *key, char **v, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        text_add(t, key, v[i]);
}

static int cert_digest(const session_t *s, const cert_recipe_t *c, const char *key_digest,
                       const char *issuer_digest, char out[65])
{
    const recipe_file_t *rf = s->rf;
    text_t t = {0};
    char num[32];
    text_add(&t, "format", CERT_FORMAT_VERSION);
    text_add(&t, "name", c->name);
    text_add(&t, "key", c->key);
    text_add(&t, "key_digest", key_digest);
    text_add(&t, "issuer", c->issuer);
    text_add(&t, "issuer_digest", issuer_digest);
    text_add(&t, "hash", c->hash);
    text_add(&t, "cn", c->cn);
    text_add(&t, "organization", rf->organization);
    text_add(&t, "not_before", c->not_before ? c->not_before : rf->not_before);
    text_add(&t, "not_after", c->not_after ? c->not_after : rf->not_after);
    text_add(&t, "ca", c->ca ? "true" : "false");
    snprintf(num, sizeof(num), "%d", c->pathlen ? *c->pathlen : -1);
    text_add(&t, "pathlen", num);
    text_add_list(&t, "dns", c->dns, c->dns_count);
    text_add_list(&t, "ip", c->ip, c->ip_count);
    snprintf(num, sizeof(num), "%u", c->filler_dns);
    text_add(&t, "filler_dns", num);
    text_add_list(&t, "key_usage", c->key_usage, c->key_usage_count);
    text_add_list(&t, "ext_key_usage", c->ext_key_usage, c->ext_key_usage_count);
    text_add(&t, "ecdsa_sig_encoding", recipe_legacy_null_params(c) ? "legacy-null" : "rfc5758");
    if (t.oom) {
        free(t.buf);
        return -1;
    }
    cache_sha256_hex(t.buf, t.len, out);
    free(t.buf);
    return 0;
}

/* ---- keys and certificates ---- */

static int load_key(const char *path, mbedtls_pk_context *pk, char digest[65], char *err,
                    size_t errlen)
{
    size_t len = 0;
    unsigned char *pem = cache_read_file(path, KEY_PEM_MAX, &len);
    if (!pem) {
        snprintf(err, errlen, "cannot read key %s", path);
        return -1;
    }
    if (digest)
        cache_sha256_hex(pem, len, digest);
    int ret = pk ? mbedtls_pk_parse_key(pk, pem, len + 1, NULL, 0) : 0;
    mbedtls_platform_zeroize(pem, len);
    free(pem);
    if (ret != 0) {
        snprintf(err, errlen, "cannot parse key %s: -0x%04x", path, (unsigned)-ret);
        return -1;
    }
    return 0;
}

static int ensure_key(session_t *s, const cert_recipe_t *c, cert_state_t *st, char digest[65],
                      char *err, size_t errlen)
{
    char id_text[160], id[65];
    snprintf(id_text, sizeof(id_text), "%s|%s|%s", KEY_FORMAT_VERSION, c->name, c->key);
    cache_sha256_hex(id_text, strlen(id_text), id);
    if (path_printf(st->key_path, sizeof(st->key_path), err, errlen, "%s/keys/%s-%.16s.key.pem",
                    s->dir, c->name, id))
        return -1;
    if (!cache_file_present(st->key_path)) {
        if (session_rng(s, err, errlen))
            return -1;
        mbedtls_pk_context pk;
        mbedtls_pk_init(&pk);
        int rc = cert_writer_make_key(c, &s->drbg, &pk, s->pem, CERT_WRITER_PEM_MAX, err, errlen);
        if (rc == 0)
            rc =
                cache_write_atomic(st->key_path, s->pem, strlen((char *)s->pem), 0600, err, errlen);
        mbedtls_pk_free(&pk);
        mbedtls_platform_zeroize(s->pem, CERT_WRITER_PEM_MAX);
        if (rc)
            return -1;
        atomic_fetch_add(&generated_files, 1);
    }
    return load_key(st->key_path, NULL, digest, err, errlen);
}

/* `issuer_st` is the already-ensured issuer, or NULL for a root. */
static int ensure_cert(session_t *s, const cert_recipe_t *c, const cert_state_t *issuer_st,
                       cert_state_t *st, char *err, size_t errlen)
{
    char key_digest[65];
    if (ensure_key(s, c, st, key_digest, err, errlen))
        return -1;
    if (cert_digest(s, c, key_digest, issuer_st ? issuer_st->digest : "self", st->digest)) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (path_printf(st->cert_path, sizeof(st->cert_path), err, errlen, "%s/certs/%s-%.16s.crt.pem",
                    s->dir, c->name, st->digest))
        return -1;
    if (cache_file_present(st->cert_path))
        return 0;

    const cert_recipe_t *issuer = issuer_st ? recipes_find_cert(s->rf, c->issuer) : c;
    mbedtls_pk_context subject_key, issuer_key;
    mbedtls_pk_init(&subject_key);
    mbedtls_pk_init(&issuer_key);
    unsigned char serial[16];
    for (int i = 0; i < 16; i++)
        serial[i] =
            (unsigned char)strtoul((char[]){st->digest[2 * i], st->digest[2 * i + 1], 0}, NULL, 16);
    serial[0] = (serial[0] & 0x7f) | 0x40; /* positive, and always 16 bytes long */
    int rc = session_rng(s, err, errlen);
    if (rc == 0)
        rc = load_key(st->key_path, &subject_key, NULL, err, errlen);
    if (rc == 0 && issuer_st)
        rc = load_key(issuer_st->key_path, &issuer_key, NULL, err, errlen);
    if (rc == 0)
        rc = cert_writer_make_cert(s->rf, c, &subject_key, issuer,
                                   issuer_st ? &issuer_key : &subject_key, serial, &s->drbg, s->pem,
                                   CERT_WRITER_PEM_MAX, err, errlen);
    if (rc == 0)
        rc = cache_write_atomic(st->cert_path, s->pem, strlen((char *)s->pem), 0644, err, errlen);
    mbedtls_pk_free(&subject_key);
    mbedtls_pk_free(&issuer_key);
    if (rc == 0)
        atomic_fetch_add(&generated_files, 1);
    return rc;
}

/* The issuer walk from `c`: path[0] = c ... path[n-1] = its root. */
static size_t issuer_path(const recipe_file_t *rf, const cert_recipe_t *c,
                          const cert_recipe_t *path[RECIPE_MAX_DEPTH + 1])
{
    size_t n = 0;
    path[n++] = c;
    while (!recipe_is_root(c) && n <= RECIPE_MAX_DEPTH) {
        c = recipes_find_cert(rf, c->issuer); /* validated: exists, no loop */
        path[n++] = c;
    }
    return n;
}

/* Ensure every certificate on the walk, root first. */
static int ensure_path(session_t *s, const cert_recipe_t *const *path, size_t n,
                       cert_state_t *states, char *err, size_t errlen)
{
    for (size_t i = n; i > 0; i--)
        if (ensure_cert(s, path[i - 1], i == n ? NULL : &states[i], &states[i - 1], err, errlen))
            return -1;
    return 0;
}

static int write_chain_file(session_t *s, const char *name, const cert_state_t *states,
                            size_t n_chain, char *path_out, size_t path_len, char *err,
                            size_t errlen)
{
    text_t digests = {0};
    for (size_t i = 0; i < n_chain; i++)
        text_add(&digests, "cert", states[i].digest);
    if (digests.oom) {
        free(digests.buf);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    char digest[65];
    cache_sha256_hex(digests.buf, digests.len, digest);
    free(digests.buf);
    if (path_printf(path_out, path_len, err, errlen, "%s/chains/%s-%.16s.chain.pem", s->dir, name,
                    digest))
        return -1;
    if (cache_file_present(path_out))
        return 0;
    text_t pem = {0};
    for (size_t i = 0; i < n_chain; i++) {
        size_t len = 0;
        unsigned char *one = cache_read_file(states[i].cert_path, CERT_WRITER_PEM_MAX, &len);
        if (!one) {
            free(pem.buf);
            snprintf(err, errlen, "cannot read %s", states[i].cert_path);
            return -1;
        }
        text_append(&pem, (char *)one, len);
        free(one);
    }
    int rc = -1;
    if (pem.oom) {
        snprintf(err, errlen, "out of memory");
    } else {
        rc = cache_write_atomic(path_out, pem.buf, pem.len, 0644, err, errlen);
        if (rc == 0)
            atomic_fetch_add(&generated_files, 1);
    }
    free(pem.buf);
    return rc;
}

static int chain_der_size(const char *path, size_t expect_count, size_t *bytes, char *err,
                          size_t errlen)
{
    mbedtls_x509_crt crt;
    mbedtls_x509_crt_init(&crt);
    int ret = mbedtls_x509_crt_parse_file(&crt, path);
    size_t count = 0, total = 0;
    for (const mbedtls_x509_crt *c = &crt; ret == 0 && c && c->raw.len; c = c->next) {
        count++;
        total += c->raw.len;
    }
    mbedtls_x509_crt_free(&crt);
    if (ret != 0 || count != expect_count) {
        snprintf(err, errlen, "chain file %s does not parse back (ret -0x%04x, %zu of %zu)", path,
                 (unsigned)-ret, count, expect_count);
        return -1;
    }
    *bytes = total;
    return 0;
}

static void copy_str(char *dst, size_t len, const char *src)
{
    snprintf(dst, len, "%s", src);
}

int certs_ensure(const char *recipes_path, const char *cache_dir, const char *name,
                 cert_chain_files_t *out, char *err, size_t errlen)
{
    session_t s;
    memset(out, 0, sizeof(*out));
    if (session_open(&s, recipes_path, cache_dir, err, errlen)) {
        session_close(&s);
        return -1;
    }
    int rc = -1;
    const chain_recipe_t *chain = recipes_find_chain(s.rf, name);
    if (!chain) {
        snprintf(err, errlen, "no chain named '%s' in the recipes", name);
    } else {
        const cert_recipe_t *path[RECIPE_MAX_DEPTH + 1];
        cert_state_t states[RECIPE_MAX_DEPTH + 1];
        size_t n = issuer_path(s.rf, recipes_find_cert(s.rf, chain->leaf), path);
        /* The chain file holds leaf + intermediates; a self-signed leaf alone. */
        size_t n_chain = n > 1 ? n - 1 : 1;
        if (ensure_path(&s, path, n, states, err, errlen) == 0 &&
            write_chain_file(&s, chain->name, states, n_chain, out->chain_pem,
                             sizeof(out->chain_pem), err, errlen) == 0 &&
            chain_der_size(out->chain_pem, n_chain, &out->chain_der_bytes, err, errlen) == 0) {
            copy_str(out->name, sizeof(out->name), chain->name);
            copy_str(out->key_pem, sizeof(out->key_pem), states[0].key_path);
            copy_str(out->ca_pem, sizeof(out->ca_pem), states[n - 1].cert_path);
            copy_str(out->key_type, sizeof(out->key_type),
                     recipe_key_kind(path[0]) == RECIPE_KEY_EC ? "ec" : "rsa");
            out->key_bits = recipe_key_bits(path[0]);
            rc = 0;
        }
    }
    session_close(&s);
    return rc;
}

int certs_root_pem(const char *recipes_path, const char *cache_dir, const char *root_name,
                   char *path_out, size_t path_len, char *err, size_t errlen)
{
    session_t s;
    if (session_open(&s, recipes_path, cache_dir, err, errlen)) {
        session_close(&s);
        return -1;
    }
    int rc = -1;
    const cert_recipe_t *root = recipes_find_cert(s.rf, root_name);
    cert_state_t st;
    if (!root || !recipe_is_root(root) || !root->ca)
        snprintf(err, errlen, "no root CA certificate named '%s' (issuer: self, ca: true)",
                 root_name);
    else if (ensure_cert(&s, root, NULL, &st, err, errlen) == 0)
        rc = path_printf(path_out, path_len, err, errlen, "%s", st.cert_path);
    session_close(&s);
    return rc;
}

int certs_list(const char *recipes_path, cert_chain_info_t *out, size_t max, size_t *count,
               char *err, size_t errlen)
{
    recipe_file_t *rf =
        recipes_load(recipes_path ? recipes_path : certs_default_recipes(), err, errlen);
    if (!rf)
        return -1;
    *count = rf->chains_count;
    for (size_t i = 0; i < rf->chains_count && i < max; i++) {
        const chain_recipe_t *ch = &rf->chains[i];
        const cert_recipe_t *path[RECIPE_MAX_DEPTH + 1];
        size_t n = issuer_path(rf, recipes_find_cert(rf, ch->leaf), path);
        cert_chain_info_t *info = &out[i];
        memset(info, 0, sizeof(*info));
        copy_str(info->name, sizeof(info->name), ch->name);
        copy_str(info->leaf, sizeof(info->leaf), ch->leaf);
        copy_str(info->root, sizeof(info->root), path[n - 1]->name);
        copy_str(info->key_type, sizeof(info->key_type),
                 recipe_key_kind(path[0]) == RECIPE_KEY_EC ? "ec" : "rsa");
        info->key_bits = recipe_key_bits(path[0]);
        info->depth = n > 1 ? (unsigned)(n - 1) : 1;
        copy_str(info->description, sizeof(info->description),
                 ch->description ? ch->description : "");
    }
    recipes_free(rf);
    return 0;
}
