/* The YAML side of a profile (internal to host/server): libcyaml's view of a
 * profile file or a scenario's overrides (profile_load.c holds the schema)
 * and its conversion into server_profile_t (profile_convert.c). */
#ifndef TLSRIG_PROFILE_YAML_H
#define TLSRIG_PROFILE_YAML_H

#include <stdbool.h>
#include <stddef.h>

#include "config_yaml.h"
#include "profile.h"

typedef struct y_reaction {
    char *action;
    char *alert;
} y_reaction_t;

typedef struct y_impair {
    char *kind;
    unsigned flight, delay_ms, bytes, record;
    char *hs_type;
} y_impair_t;

typedef struct y_behaviour {
    char *what, *source, *confidence, *decides;
    char **keys;
    unsigned keys_count;
} y_behaviour_t;

typedef struct y_profile {
    char *name, *description, *models, *reference;
    y_behaviour_t *behaviours;
    unsigned behaviours_count;
    char **chains;
    unsigned chains_count;
    char **suites;
    unsigned suites_count;
    char **groups;
    unsigned groups_count;
    char *min_version, *max_version;
    char **required_exts;
    unsigned required_exts_count;
    char **sni_allow;
    unsigned sni_allow_count;
    y_reaction_t *on_missing_ext, *on_sni_missing, *on_sni_unlisted, *on_no_shared_suite,
        *on_no_shared_group, *on_version_mismatch, *on_ecdhe_without_groups, *on_no_key_share,
        *tls13_after_encrypted_extensions;
    bool *client_auth_required, *ems_required, *etm, *renegotiation, *session_tickets;
    unsigned *max_fragment_length;
    y_impair_t *impairments;
    unsigned impairments_count;
    char **tls13_psk_modes; /* issue 17 psk13 */
    unsigned tls13_psk_modes_count;
} y_profile_t;

/* Where errors point: the checked YAML while parsing; at apply time (after
 * the text is gone) the lines recorded then. */
typedef struct conv {
    const config_yaml_t *cy; /* NULL when applying a parsed patch */
    const char *file;
    const char *prefix; /* "server.overrides." for a scenario's overrides */
    unsigned min_version_line;
    bool check_range; /* min <= max only holds on a whole profile */
    bool overrides;   /* a scenario's overrides, not a profile file */
    char *err;
    size_t errlen;
} conv_t;

/* printf into err; returns -1. */
int profile_fail(char *err, size_t errlen, const char *fmt, ...);

/* A top-level key of the profile schema (behaviours name the keys they decide). */
bool profile_yaml_is_key(const char *key);

/* Applies the fields present in y onto *p; -1 with c->err naming file:line:key. */
int profile_yaml_convert(const conv_t *c, const y_profile_t *y, server_profile_t *p);

#endif
