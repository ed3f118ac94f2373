/* A verdict that rests on a server profile's decision is only as sure as the
 * public record behind that behaviour of the profile. When the profile marks
 * the behaviour that refused the client as medium or low confidence, the
 * result says so: the behaviour, its source, what would decide, and a
 * confidence no higher than the record's. */
#ifndef TLSRIG_PROFILE_PROVENANCE_H
#define TLSRIG_PROFILE_PROVENANCE_H

#include <jansson.h>

#include "profile.h"
#include "server_view.h"

/* The profile key whose reaction a refusal rule applies ("on_sni_unlisted"),
 * NULL for rules that are not a profile reaction (accepted, malformed ...). */
const char *provenance_rule_key(server_rule_t rule);

/* The profile's behaviour that lists key, NULL when none does. */
const profile_behaviour_t *provenance_behaviour(const server_profile_t *p, const char *key);

/* Qualifies result's diagnosis (verdict, confidence, evidence, fix) with the
 * provenance of the behaviour behind view->rule. No change when the result
 * passed, the server accepted the hello, or the record is high confidence. */
void provenance_qualify(json_t *result, const server_profile_t *p, const server_view_t *view);

#endif
