/* TEMPORARY stand-in until host/server/policy.h lands. */
#ifndef TLSRIG_POLICY_H
#define TLSRIG_POLICY_H
#include "clienthello.h"
#include "profile.h"
typedef struct policy_decision {
    reaction_t reaction;
    uint16_t chosen_suite;
    char reason[256];
} policy_decision_t;
int policy_decide(const server_profile_t *p, const clienthello_t *ch, policy_decision_t *out);
#endif
