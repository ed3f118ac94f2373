#include "config_macros.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static int by_name(const void *a, const void *b)
{
    return strcmp(((const config_macro_t *)a)->name, ((const config_macro_t *)b)->name);
}

static char *dup_range(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

/* One `#define NAME[(args)] [value]` line into *item; 1 parsed, 0 not a define, -1 OOM. */
static int parse_line(const char *p, const char *end, config_macro_t *item)
{
    static const char kw[] = "#define ";
    if ((size_t)(end - p) <= sizeof kw - 1 || memcmp(p, kw, sizeof kw - 1) != 0) {
        return 0;
    }
    p += sizeof kw - 1;
    const char *name = p;
    while (p < end && (isalnum((unsigned char)*p) || *p == '_')) {
        p++;
    }
    if (p == name) {
        return 0;
    }
    size_t name_len = (size_t)(p - name);
    if (p < end && *p == ' ') {
        p++;
    }
    item->name = dup_range(name, name_len);
    item->value = dup_range(p, (size_t)(end - p));
    if (!item->name || !item->value) {
        free(item->name);
        free(item->value);
        return -1;
    }
    return 1;
}

int config_macros_parse(const char *text, size_t len, config_macros_t *out)
{
    memset(out, 0, sizeof *out);
    size_t cap = 0;
    const char *end = text + len;
    for (const char *p = text; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *line_end = nl ? nl : end;
        if (out->n == cap) {
            cap = cap ? cap * 2 : 256;
            config_macro_t *grown = realloc(out->items, cap * sizeof *grown);
            if (!grown) {
                config_macros_free(out);
                return -1;
            }
            out->items = grown;
        }
        int rc = parse_line(p, line_end, &out->items[out->n]);
        if (rc < 0) {
            config_macros_free(out);
            return -1;
        }
        out->n += (size_t)rc;
        p = nl ? nl + 1 : end;
    }
    if (out->n > 1) {
        qsort(out->items, out->n, sizeof out->items[0], by_name);
    }
    return 0;
}

void config_macros_free(config_macros_t *m)
{
    for (size_t i = 0; i < m->n; i++) {
        free(m->items[i].name);
        free(m->items[i].value);
    }
    free(m->items);
    memset(m, 0, sizeof *m);
}

const config_macro_t *config_macros_find(const config_macros_t *m, const char *name)
{
    if (!m || !name || m->n == 0) {
        return NULL;
    }
    config_macro_t key = {.name = (char *)name};
    return bsearch(&key, m->items, m->n, sizeof m->items[0], by_name);
}

bool config_macros_defined(const config_macros_t *m, const char *name)
{
    return config_macros_find(m, name) != NULL;
}

/* A literal with optional parentheses and integer suffixes; false when it is anything else. */
static bool parse_literal(const char *v, long long *out)
{
    while (*v == ' ' || *v == '(') {
        v++;
    }
    if (!isdigit((unsigned char)*v)) {
        return false;
    }
    char *end = NULL;
    long long n = strtoll(v, &end, 0);
    while (*end == 'u' || *end == 'U' || *end == 'l' || *end == 'L') {
        end++;
    }
    while (*end == ' ' || *end == ')') {
        end++;
    }
    if (*end != '\0') {
        return false;
    }
    *out = n;
    return true;
}

int config_macros_int(const config_macros_t *m, const char *name, long long *out)
{
    const config_macro_t *mac = config_macros_find(m, name);
    if (!mac) {
        return -1;
    }
    for (int hop = 0; hop < 8; hop++) {
        if (parse_literal(mac->value, out)) {
            return 0;
        }
        const config_macro_t *next = config_macros_find(m, mac->value);
        if (!next) {
            return -2;
        }
        mac = next;
    }
    return -2;
}
