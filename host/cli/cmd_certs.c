/* `tlsrig certs`: generate (or reuse from the cache) the test certificate
 * chains defined in fixtures/certs/recipes.yaml and print where they are.
 *
 *   tlsrig certs [--list] [--name NAME]... [--root NAME]... [--cache DIR] [--recipes FILE]
 *
 * Without --name or --root, every chain is ensured. Exit 0 ok, 2 on a usage or
 * recipe error (the message names the recipe and key). */
#include "certs.h"
#include "commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CMD_CERTS_MAX_NAMES 64
#define CMD_CERTS_MAX_CHAINS 256

static void usage(FILE *f)
{
    fprintf(f,
            "usage: tlsrig certs [--list] [--name NAME]... [--root NAME]... [--cache DIR] "
            "[--recipes FILE]\n"
            "  --list     list the chains in the recipes without generating anything\n"
            "  --name     ensure this chain (repeatable; default: all chains)\n"
            "  --root     print the PEM path of this root CA (repeatable)\n"
            "  --cache    cache directory (default: %s)\n"
            "  --recipes  recipe file (default: %s)\n"
            "TEST ONLY: never trust these certificates outside the rig.\n",
            certs_default_cache_dir(), certs_default_recipes());
}

typedef struct certs_args {
    int list;
    const char *cache;
    const char *recipes;
    const char *names[CMD_CERTS_MAX_NAMES];
    size_t n_names;
    const char *roots[CMD_CERTS_MAX_NAMES];
    size_t n_roots;
} certs_args_t;

/* argv[0] is "certs". 0 ok, 1 help printed, -1 usage error. */
static int parse_args(int argc, char **argv, certs_args_t *a)
{
    memset(a, 0, sizeof(*a));
    for (int i = 1; i < argc; i++) {
        const char *opt = argv[i];
        if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
            usage(stdout);
            return 1;
        }
        if (strcmp(opt, "--list") == 0) {
            a->list = 1;
            continue;
        }
        int takes_value = strcmp(opt, "--name") == 0 || strcmp(opt, "--root") == 0 ||
                          strcmp(opt, "--cache") == 0 || strcmp(opt, "--recipes") == 0;
        if (!takes_value) {
            fprintf(stderr, "tlsrig certs: unknown option '%s'\n", opt);
            return -1;
        }
        if (i + 1 >= argc || argv[i + 1][0] == '\0') {
            fprintf(stderr, "tlsrig certs: %s needs a value\n", opt);
            return -1;
        }
        const char *value = argv[++i];
        if (strcmp(opt, "--cache") == 0) {
            a->cache = value;
        } else if (strcmp(opt, "--recipes") == 0) {
            a->recipes = value;
        } else {
            int is_name = strcmp(opt, "--name") == 0;
            size_t *n = is_name ? &a->n_names : &a->n_roots;
            if (*n >= CMD_CERTS_MAX_NAMES) {
                fprintf(stderr, "tlsrig certs: too many %s options\n", opt);
                return -1;
            }
            (is_name ? a->names : a->roots)[(*n)++] = value;
        }
    }
    return 0;
}

static int print_list(const certs_args_t *a)
{
    static cert_chain_info_t infos[CMD_CERTS_MAX_CHAINS];
    size_t count = 0;
    char err[1024];
    if (certs_list(a->recipes, infos, CMD_CERTS_MAX_CHAINS, &count, err, sizeof(err)) != 0) {
        fprintf(stderr, "tlsrig certs: %s\n", err);
        return 2;
    }
    for (size_t i = 0; i < count && i < CMD_CERTS_MAX_CHAINS; i++)
        printf("%-16s %s-%-5u %u cert%s  root %-16s %s\n", infos[i].name, infos[i].key_type,
               infos[i].key_bits, infos[i].depth, infos[i].depth == 1 ? " " : "s", infos[i].root,
               infos[i].description);
    return 0;
}

static int ensure_one(const certs_args_t *a, const char *name)
{
    cert_chain_files_t f;
    char err[1024];
    if (certs_ensure(a->recipes, a->cache, name, &f, err, sizeof(err)) != 0) {
        fprintf(stderr, "tlsrig certs: %s\n", err);
        return 2;
    }
    printf("%s: %s-%u, %zu bytes DER\n  chain %s\n  key   %s\n  ca    %s\n", f.name, f.key_type,
           f.key_bits, f.chain_der_bytes, f.chain_pem, f.key_pem, f.ca_pem);
    return 0;
}

int cmd_certs(int argc, char **argv)
{
    certs_args_t a;
    int p = parse_args(argc, argv, &a);
    if (p != 0) {
        if (p < 0)
            usage(stderr);
        return p < 0 ? 2 : 0;
    }
    if (a.list)
        return print_list(&a);

    int rc = 0;
    for (size_t i = 0; i < a.n_roots && rc == 0; i++) {
        char path[4096], err[1024];
        if (certs_root_pem(a.recipes, a.cache, a.roots[i], path, sizeof(path), err, sizeof(err)) !=
            0) {
            fprintf(stderr, "tlsrig certs: %s\n", err);
            rc = 2;
        } else {
            printf("%s: root CA\n  ca    %s\n", a.roots[i], path);
        }
    }
    for (size_t i = 0; i < a.n_names && rc == 0; i++)
        rc = ensure_one(&a, a.names[i]);
    if (a.n_names == 0 && a.n_roots == 0) {
        static cert_chain_info_t infos[CMD_CERTS_MAX_CHAINS];
        size_t count = 0;
        char err[1024];
        if (certs_list(a.recipes, infos, CMD_CERTS_MAX_CHAINS, &count, err, sizeof(err)) != 0) {
            fprintf(stderr, "tlsrig certs: %s\n", err);
            return 2;
        }
        for (size_t i = 0; i < count && i < CMD_CERTS_MAX_CHAINS && rc == 0; i++)
            rc = ensure_one(&a, infos[i].name);
    }
    fflush(stdout);
    return rc;
}
