#include "requires.h"

#include <stdio.h>
#include <string.h>

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
        const requirement_t *r = &s->plan.requires[i];
        bool ok = r->kind == REQUIRE_SUITE   ? has_id(info->suites, info->n_suites, r->id)
                  : r->kind == REQUIRE_GROUP ? has_id(info->groups, info->n_groups, r->id)
                                             : agent_has_feature(info, r->feature);
        if (!ok) {
            snprintf(why, cap, "firmware %s/%s lacks %s", info->backend, info->config,
                     s->requires[i]);
            return false;
        }
    }
    return true;
}
