/* Why a run ended as an infrastructure error, by cause. Set where the error
 * arises (target session, bridge, CA upload, self-test, image build) and
 * turned into a verdict of the same name with a fix that fits the cause. */
#ifndef TLSRIG_INFRA_CAUSE_H
#define TLSRIG_INFRA_CAUSE_H

typedef enum infra_cause {
    INFRA_NONE = 0,
    INFRA_AGENT_CRASH, /* the agent process or firmware stopped (signal, exit, reset) */
    INFRA_AGENT_HANG,  /* the agent runs but did not answer within the deadline */
    INFRA_HARD_FAULT,  /* the firmware reported a CPU fault (HardFault, BusFault...) */
    INFRA_FLASH_ERROR, /* the image could not be put on or started on the target, or the
                          target runs another build */
    INFRA_LINK_ERROR,  /* bytes damaged or lost on the link (CRC, resync, retries, hang-up) */
    INFRA_HOST_ERROR,  /* the rig's own side failed (build, server, files, a request the
                          agent refused) */
    INFRA__COUNT
} infra_cause_t;

/* "agent-crash", ...; "" for INFRA_NONE. The verdict id of that cause. */
const char *infra_cause_id(infra_cause_t c);
/* Inverse of infra_cause_id(); INFRA_NONE for NULL or an unknown id. */
infra_cause_t infra_cause_from_id(const char *id);

#endif
