#define _POSIX_C_SOURCE 200809L
#include "chain_cache.h"

#include <mbedtls/error.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct cached_chain {
    struct cached_chain *next;
    char *path;
    struct stat st;
    bool current; /* false once the file changed: freed at its last put */
    unsigned users;
    mbedtls_x509_crt crt; /* first member of the chain: the pointer servers hold */
} cached_chain_t;

static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static cached_chain_t *g_head;
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

static void unlink_and_free(cached_chain_t *c)
{
    for (cached_chain_t **p = &g_head; *p; p = &(*p)->next) {
        if (*p == c) {
            *p = c->next;
            break;
        }
    }
    mbedtls_x509_crt_free(&c->crt);
    free(c->path);
    free(c);
}

static cached_chain_t *find_current(const char *path)
{
    for (cached_chain_t *c = g_head; c; c = c->next)
        if (c->current && strcmp(c->path, path) == 0)
            return c;
    return NULL;
}

/* A fresh entry for path; NULL with ret when it cannot be parsed. */
static cached_chain_t *parse_entry(const char *path, const struct stat *st, int *ret)
{
    cached_chain_t *c = calloc(1, sizeof *c);
    char *p = strdup(path);
    if (!c || !p) {
        free(c);
        free(p);
        *ret = MBEDTLS_ERR_X509_ALLOC_FAILED;
        return NULL;
    }
    mbedtls_x509_crt_init(&c->crt);
    g_parses++;
    *ret = mbedtls_x509_crt_parse_file(&c->crt, path);
    if (*ret != 0) {
        mbedtls_x509_crt_free(&c->crt);
        free(c);
        free(p);
        return NULL;
    }
    c->path = p;
    c->st = *st;
    c->current = true;
    c->next = g_head;
    g_head = c;
    return c;
}

int chain_cache_get(const char *path, mbedtls_x509_crt **out, char *err, size_t errlen)
{
    *out = NULL;
    struct stat st;
    if (stat(path, &st) != 0)
        return fail(err, errlen, "reading chain", path, MBEDTLS_ERR_X509_FILE_IO_ERROR);
    int ret = 0;
    pthread_mutex_lock(&g_mu);
    cached_chain_t *c = find_current(path);
    if (c && !same_stat(&c->st, &st)) {
        c->current = false; /* servers still holding it keep their parse */
        if (c->users == 0)
            unlink_and_free(c);
        c = NULL;
    }
    if (!c)
        c = parse_entry(path, &st, &ret);
    if (c) {
        c->users++;
        *out = &c->crt;
    }
    pthread_mutex_unlock(&g_mu);
    return ret == 0 ? 0 : fail(err, errlen, "parsing chain", path, ret);
}

void chain_cache_put(mbedtls_x509_crt *crt)
{
    if (!crt)
        return;
    pthread_mutex_lock(&g_mu);
    for (cached_chain_t *c = g_head; c; c = c->next) {
        if (&c->crt == crt) {
            if (c->users > 0)
                c->users--;
            if (c->users == 0 && !c->current)
                unlink_and_free(c);
            break;
        }
    }
    pthread_mutex_unlock(&g_mu);
}

unsigned long chain_cache_parses(void)
{
    pthread_mutex_lock(&g_mu);
    unsigned long n = g_parses;
    pthread_mutex_unlock(&g_mu);
    return n;
}

void chain_cache_clear(void)
{
    pthread_mutex_lock(&g_mu);
    cached_chain_t *c = g_head;
    while (c) {
        cached_chain_t *next = c->next;
        if (c->users == 0)
            unlink_and_free(c);
        else
            c->current = false; /* freed at its last put */
        c = next;
    }
    pthread_mutex_unlock(&g_mu);
}
