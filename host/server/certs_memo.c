#define _POSIX_C_SOURCE 200809L
#include "certs_memo.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define MEMO_MAX 32 /* chains of the recipe file (16 today) and spare */
#define MEMO_FILES 3

typedef struct memo {
    char recipes[1024], cache[1024], name[64];
    struct stat recipes_st;
    struct stat files_st[MEMO_FILES];
    cert_chain_files_t files;
} memo_t;

static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static memo_t g_memo[MEMO_MAX];
static size_t g_n, g_next;

static bool same_stat(const struct stat *a, const struct stat *b)
{
    return a->st_ino == b->st_ino && a->st_dev == b->st_dev && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

static const char *file_of(const cert_chain_files_t *f, int i)
{
    return i == 0 ? f->chain_pem : i == 1 ? f->key_pem : f->ca_pem;
}

/* The state to compare with later; false when a file cannot be stat'ed. */
static bool snapshot(const char *recipes, const cert_chain_files_t *f, struct stat *rst,
                     struct stat fst[MEMO_FILES])
{
    if (stat(recipes, rst) != 0) {
        return false;
    }
    for (int i = 0; i < MEMO_FILES; i++) {
        if (stat(file_of(f, i), &fst[i]) != 0) {
            return false;
        }
    }
    return true;
}

int certs_memo_ensure(const char *recipes_path, const char *cache_dir, const char *name,
                      cert_chain_files_t *out, char *err, size_t errlen)
{
    const char *recipes = recipes_path ? recipes_path : certs_default_recipes();
    const char *cache = cache_dir ? cache_dir : "";
    int rc = -1;
    pthread_mutex_lock(&g_mu);
    for (size_t i = 0; i < g_n; i++) {
        memo_t *m = &g_memo[i];
        if (strcmp(m->recipes, recipes) != 0 || strcmp(m->cache, cache) != 0 ||
            strcmp(m->name, name) != 0) {
            continue;
        }
        struct stat rst, fst[MEMO_FILES];
        bool valid = snapshot(recipes, &m->files, &rst, fst) && same_stat(&rst, &m->recipes_st);
        for (int k = 0; valid && k < MEMO_FILES; k++) {
            valid = same_stat(&fst[k], &m->files_st[k]);
        }
        if (valid) {
            *out = m->files;
            rc = 0;
            goto done;
        }
        break; /* stale: ensure again, replacing nothing until that succeeds */
    }
    rc = certs_ensure(recipes_path, cache_dir, name, out, err, errlen);
    if (rc != 0 || strlen(recipes) >= sizeof g_memo[0].recipes ||
        strlen(cache) >= sizeof g_memo[0].cache || strlen(name) >= sizeof g_memo[0].name) {
        goto done;
    }
    memo_t fresh;
    memset(&fresh, 0, sizeof fresh);
    snprintf(fresh.recipes, sizeof fresh.recipes, "%s", recipes);
    snprintf(fresh.cache, sizeof fresh.cache, "%s", cache);
    snprintf(fresh.name, sizeof fresh.name, "%s", name);
    fresh.files = *out;
    if (!snapshot(recipes, out, &fresh.recipes_st, fresh.files_st)) {
        goto done; /* not remembered: the next call ensures again */
    }
    size_t slot = g_n;
    for (size_t i = 0; i < g_n; i++) {
        if (strcmp(g_memo[i].recipes, recipes) == 0 && strcmp(g_memo[i].cache, cache) == 0 &&
            strcmp(g_memo[i].name, name) == 0) {
            slot = i;
        }
    }
    if (slot == g_n && g_n == MEMO_MAX) {
        slot = g_next; /* full: replace round robin */
        g_next = (g_next + 1) % MEMO_MAX;
    } else if (slot == g_n) {
        g_n++;
    }
    g_memo[slot] = fresh;
done:
    pthread_mutex_unlock(&g_mu);
    return rc;
}
