#define _POSIX_C_SOURCE 200809L
#include "preflight.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certs.h"
#include "certs_memo.h"
#include "chain_keys.h"
#include "file_read.h"
#include "profile_load.h"

/* Appends the PEM file at path to the plan's trust list. */
static int append_pem(scenario_plan_t *p, const char *path, char *err, size_t errlen)
{
    size_t len = 0;
    char *pem = file_read_all(path, 1u << 20, &len);
    if (!pem) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    char *grown = realloc(p->trust_pem, p->trust_pem_len + len + 1u);
    if (!grown) {
        free(pem);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    memcpy(grown + p->trust_pem_len, pem, len);
    p->trust_pem = grown;
    p->trust_pem_len += len;
    p->trust_pem[p->trust_pem_len] = '\0';
    free(pem);
    return 0;
}

/* The client's trust list: the roots named by the scenario, or by default
 * the root that anchors the server's first chain. */
static int resolve_trust(scenario_t *s, const char *recipes, const char *cache, char *err,
                         size_t errlen)
{
    scenario_plan_t *p = &s->plan;
    char why[768], path[4096];
    for (unsigned i = 0; i < s->client.trust_count; i++) {
        if (certs_root_pem(recipes, cache, s->client.trust[i], path, sizeof path, why,
                           sizeof why) != 0) {
            snprintf(err, errlen, "%s:%u: key 'client.trust': '%s': %s", s->path, p->lines.trust,
                     s->client.trust[i], why);
            return -1;
        }
        if (append_pem(p, path, err, errlen) != 0) {
            return -1;
        }
    }
    if (s->client.trust_count > 0) {
        return 0;
    }
    if (p->profile->n_chains == 0) {
        snprintf(err, errlen, "%s:%u: key 'server.profile': profile %s has no certificate chain",
                 s->path, p->lines.profile, p->profile->name);
        return -1;
    }
    cert_chain_files_t cf;
    if (certs_memo_ensure(recipes, cache, p->profile->chains[0], &cf, why, sizeof why) != 0) {
        snprintf(err, errlen, "%s:%u: key 'server.profile': %s", s->path, p->lines.profile, why);
        return -1;
    }
    return append_pem(p, cf.ca_pem, err, errlen);
}

static int prepare_one(scenario_t *s, const char *profiles_dir, const char *recipes,
                       const char *cache, char *err, size_t errlen)
{
    char why[768];
    scenario_plan_t *p = &s->plan;
    if (p->prepared) {
        return 0;
    }
    p->profile = calloc(1, sizeof *p->profile);
    if (!p->profile) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (profile_load(profiles_dir, s->server.profile, p->profile, why, sizeof why) != 0) {
        snprintf(err, errlen, "%s:%u: key 'server.profile': %s", s->path, p->lines.profile, why);
        return -1;
    }
    if (p->overrides && profile_patch_apply(p->overrides, p->profile, err, errlen) != 0) {
        return -1;
    }
    /* Replay decides with the policy alone: it reads the certificates' keys
     * as the live server does (chain_keys.h). */
    if (s->kind == SCENARIO_REPLAY &&
        server_chain_keys(p->profile, recipes, cache, why, sizeof why) != 0) {
        snprintf(err, errlen, "%s:%u: key 'server.profile': %s", s->path, p->lines.profile, why);
        return -1;
    }
    if (s->kind == SCENARIO_TARGET && resolve_trust(s, recipes, cache, err, errlen) != 0) {
        return -1;
    }
    p->prepared = true;
    return 0;
}

int preflight_check(scenario_t *const *items, size_t n, const char *profiles_dir,
                    const char *recipes_path, const char *certs_cache, char *err, size_t errlen)
{
    for (size_t i = 0; i < n; i++) {
        if (prepare_one(items[i], profiles_dir, recipes_path, certs_cache, err, errlen) != 0) {
            return -1;
        }
    }
    return 0;
}
