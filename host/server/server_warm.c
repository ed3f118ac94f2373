/* server_warm.h */
#include "server_warm.h"

#include <mbedtls/pk.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certs_memo.h"
#include "chain_cache.h"
#include "key_cache.h"

struct server_warm {
    pthread_t thread;
    char (*chains)[PROFILE_NAME_LEN]; /* chain names, each once, in the order of first use */
    size_t n;
    char recipes[1024], cache[1024];
};

static void warm_chain(const server_warm_t *w, const char *name)
{
    cert_chain_files_t files;
    char err[256];
    if (certs_memo_ensure(w->recipes, w->cache, name, &files, err, sizeof err) != 0)
        return;
    mbedtls_x509_crt *crt = NULL;
    if (chain_cache_get(files.chain_pem, &crt, err, sizeof err) == 0)
        chain_cache_put(crt); /* stays cached for the servers */
    mbedtls_pk_context pk;
    mbedtls_pk_init(&pk);
    (void)key_cache_load(&pk, files.key_pem, true, err, sizeof err);
    mbedtls_pk_free(&pk);
}

static void *warm_main(void *arg)
{
    server_warm_t *w = arg;
    for (size_t i = 0; i < w->n; i++)
        warm_chain(w, w->chains[i]);
    return NULL;
}

static void add_chain(server_warm_t *w, const char *name, size_t cap)
{
    for (size_t i = 0; i < w->n; i++)
        if (strcmp(w->chains[i], name) == 0)
            return;
    if (w->n < cap && strlen(name) < sizeof w->chains[0])
        snprintf(w->chains[w->n++], sizeof w->chains[0], "%s", name);
}

server_warm_t *server_warm_start(const server_profile_t *const *profiles, size_t n,
                                 const char *recipes_path, const char *certs_cache)
{
    size_t cap = n * PROFILE_MAX_CHAINS + 1;
    server_warm_t *w = calloc(1, sizeof *w);
    if (!w || !recipes_path || !certs_cache ||
        (w->chains = calloc(cap, sizeof *w->chains)) == NULL) {
        free(w);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        const server_profile_t *p = profiles[i];
        if (p && p->n_chains == 0)
            add_chain(w, "rsa2048", cap); /* what server_config.c serves then */
        for (size_t c = 0; p && c < p->n_chains && c < PROFILE_MAX_CHAINS; c++)
            add_chain(w, p->chains[c], cap);
    }
    snprintf(w->recipes, sizeof w->recipes, "%s", recipes_path);
    snprintf(w->cache, sizeof w->cache, "%s", certs_cache);
    if (w->n == 0 || pthread_create(&w->thread, NULL, warm_main, w) != 0) {
        free(w->chains);
        free(w);
        return NULL;
    }
    return w;
}

void server_warm_finish(server_warm_t *w)
{
    if (!w)
        return;
    pthread_join(w->thread, NULL);
    free(w->chains);
    free(w);
}
