#define _POSIX_C_SOURCE 200809L
#include "recipes_memo.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct memo {
    struct memo *next;
    char *path;
    struct stat st;
    bool current;
    unsigned users;
    recipe_file_t *rf;
} memo_t;

static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static memo_t *g_head;
static unsigned long g_parses;

static bool same_stat(const struct stat *a, const struct stat *b)
{
    return a->st_ino == b->st_ino && a->st_dev == b->st_dev && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

static void drop(memo_t *m)
{
    for (memo_t **p = &g_head; *p; p = &(*p)->next) {
        if (*p == m) {
            *p = m->next;
            break;
        }
    }
    recipes_free(m->rf);
    free(m->path);
    free(m);
}

recipe_file_t *recipes_memo_get(const char *path, char *err, size_t errlen)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        /* recipes_load() words the error; a file that appeared meanwhile is
         * parsed on the next call */
        recipes_free(recipes_load(path, err, errlen));
        return NULL;
    }
    pthread_mutex_lock(&g_mu);
    memo_t *m = g_head;
    while (m && !(m->current && strcmp(m->path, path) == 0))
        m = m->next;
    if (m && !same_stat(&m->st, &st)) {
        m->current = false;
        if (m->users == 0)
            drop(m);
        m = NULL;
    }
    if (!m) {
        g_parses++;
        recipe_file_t *rf = recipes_load(path, err, errlen);
        m = rf ? calloc(1, sizeof *m) : NULL;
        char *p = m ? strdup(path) : NULL;
        if (rf && !p) {
            /* no memory to remember it: this caller still gets its parse */
            free(m);
            pthread_mutex_unlock(&g_mu);
            return rf;
        }
        if (m) {
            *m = (memo_t){.next = g_head, .path = p, .st = st, .current = true, .rf = rf};
            g_head = m;
        }
    }
    recipe_file_t *rf = m ? m->rf : NULL;
    if (m)
        m->users++;
    pthread_mutex_unlock(&g_mu);
    return rf;
}

void recipes_memo_put(recipe_file_t *rf)
{
    if (!rf)
        return;
    pthread_mutex_lock(&g_mu);
    memo_t *m = g_head;
    while (m && m->rf != rf)
        m = m->next;
    if (!m) {
        recipes_free(rf); /* one that could not be remembered */
    } else {
        if (m->users > 0)
            m->users--;
        if (m->users == 0 && !m->current)
            drop(m);
    }
    pthread_mutex_unlock(&g_mu);
}

unsigned long recipes_memo_parses(void)
{
    pthread_mutex_lock(&g_mu);
    unsigned long n = g_parses;
    pthread_mutex_unlock(&g_mu);
    return n;
}
