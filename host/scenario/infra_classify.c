#include "infra_classify.h"

#include <stddef.h>

infra_cause_t infra_classify_stopped(const target_handle_t *handle)
{
    return handle && handle->hard_fault ? INFRA_HARD_FAULT : INFRA_AGENT_CRASH;
}

infra_cause_t infra_classify_rpc(const flasher_t *flasher, target_handle_t *handle,
                                 agent_rpc_failure_t why)
{
    char status[256];
    if (flasher && handle && (why == AGENT_RPC_NO_ANSWER || why == AGENT_RPC_LINK_LOST) &&
        !flasher->alive(handle, status, sizeof status))
        return infra_classify_stopped(handle);
    switch (why) {
    case AGENT_RPC_NO_ANSWER:
        return INFRA_AGENT_HANG;
    case AGENT_RPC_LINK_LOST:
    case AGENT_RPC_MALFORMED:
        return INFRA_LINK_ERROR;
    case AGENT_RPC_REFUSED:
    case AGENT_RPC_TOO_LARGE:
    case AGENT_RPC_OK:
        break;
    }
    return INFRA_HOST_ERROR;
}
