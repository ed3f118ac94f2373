/* Infrastructure causes <-> their verdict ids. */
#include "infra_cause.h"

#include <string.h>

static const char *const ids[INFRA__COUNT] = {
    [INFRA_NONE] = "",
    [INFRA_AGENT_CRASH] = "agent-crash",
    [INFRA_AGENT_HANG] = "agent-hang",
    [INFRA_HARD_FAULT] = "hard-fault",
    [INFRA_FLASH_ERROR] = "flash-error",
    [INFRA_LINK_ERROR] = "link-error",
    [INFRA_HOST_ERROR] = "host-error",
};

const char *infra_cause_id(infra_cause_t c)
{
    return (unsigned)c < INFRA__COUNT ? ids[c] : "";
}

infra_cause_t infra_cause_from_id(const char *id)
{
    for (unsigned i = 1; id && i < INFRA__COUNT; i++) {
        if (strcmp(ids[i], id) == 0)
            return (infra_cause_t)i;
    }
    return INFRA_NONE;
}
