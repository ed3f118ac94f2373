#include "requires.h"

#include <stdio.h>
#include <string.h>

#include "client_request.h"

static bool has_feature(const char *features, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = features; p && *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len == n && strncmp(p, name, n) == 0) {
            return true;
        }
        p = comma ? comma + 1 : p + len;
    }
    return false;
}

static bool has_id(const uint16_t *ids, size_t n, int id)
{
    for (size_t i = 0; i < n; i++) {
        if (ids[i] == id) {
            return true;
        }
    }
    return false;
}

bool requires_met(const scenario_t *s, const agent_info_t *info, char *why, size_t cap)
{
    for (unsigned i = 0; i < s->requires_count; i++) {
        const char *r = s->requires[i];
        bool ok;
        if (strncmp(r, "suite:", 6) == 0) {
            ok = has_id(info->suites, info->n_suites, suite_id_from_name(r + 6));
        } else if (strncmp(r, "group:", 6) == 0) {
            ok = has_id(info->groups, info->n_groups, group_id_from_name(r + 6));
        } else {
            ok = has_feature(info->features, strncmp(r, "feature:", 8) == 0 ? r + 8 : r);
        }
        if (!ok) {
            snprintf(why, cap, "firmware %s/%s lacks %s", info->backend, info->config, r);
            return false;
        }
    }
    return true;
}
