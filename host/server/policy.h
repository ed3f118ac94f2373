/* The server's decision on a parsed ClientHello, taken before the handshake.
 * The live server and `tlsrig replay` both call policy_decide(), so a replayed
 * hello is classified exactly as the live server answers it. */
#ifndef TLSRIG_POLICY_H
#define TLSRIG_POLICY_H

#include "clienthello.h"
#include "profile.h"

typedef struct policy_decision {
    reaction_t reaction;   /* REACT_CONTINUE: go on with the handshake */
    uint16_t chosen_suite; /* IANA id, 0 when refused */
    uint16_t chosen_group; /* 0 for RSA / DHE key exchange or when refused */
    uint16_t version;      /* negotiated version, 0 when no common one */
    bool hello_retry;      /* TLS 1.3: chosen_group is not among the client's key shares */
    const char *rule;      /* which check decided: "ok", "version", "missing_extension",
                              "sni_missing", "sni_unlisted", "ecdhe_without_groups",
                              "no_shared_group", "no_shared_suite", "no_key_share" */
    char reason[256];
} policy_decision_t;

/* The key of chain i: p->chain_keys[i] as read from the certificate. A
 * profile whose certificates nobody read (unit tests, fuzzing) falls back to
 * the recipe name ("ecdsa-p384" -> ECDSA on secp384r1, else RSA); the live
 * server and replay always read the certificates (server_chain_keys()). */
chain_key_t policy_chain_key(const server_profile_t *p, size_t i);

/* 0 (decision in *out, refusals included) or -1 on NULL arguments. */
int policy_decide(const server_profile_t *p, const clienthello_t *ch, policy_decision_t *out);

/* What the live server (mbedTLS 2.28) can actually do with a hello, applied
 * by the live server after policy_decide(); replay shows the modelled
 * server's answer, tests compare through this function:
 * - mbedTLS 2.28 keeps only the first 11 groups it knows from the client's
 *   supported_groups: the decision is taken again on those;
 * - TLS 1.3 chosen while the profile allows 1.2 is decided again with 1.2 as
 *   the maximum (what mbedTLS negotiates); a profile whose minimum is 1.3
 *   answers protocol_version (70), rule "live_tls13";
 * - a ClientHello longer than policy_live_max_hello() (one mbedTLS record)
 *   answers handshake_failure (40), rule "live_hello_size". */
void policy_live_limits(const server_profile_t *p, const clienthello_t *ch, policy_decision_t *d);
size_t policy_live_max_hello(void);

/* What the live server can do beyond mbedTLS 2.28 (issue 17 tls13). */
typedef struct policy_live_caps {
    bool tls13; /* a TLS 1.3 worker (mbedTLS 3.6) completes 1.3 handshakes */
} policy_live_caps_t;
/* policy_live_limits() with caps (NULL: 2.28 only). With caps->tls13 a 1.3
 * decision is kept as policy_decide() took it. */
void policy_live_limits_caps(const server_profile_t *p, const clienthello_t *ch,
                             policy_decision_t *d, const policy_live_caps_t *caps);
/* The named groups policy_live_limits() assumes mbedTLS knows. */
size_t policy_live_known_groups(const uint16_t **out);

/* issue 17 psk13: what a TLS 1.3 server makes of a resumption attempt
 * (pre_shared_key with psk_key_exchange_modes, RFC 8446 4.2.9), from the
 * parsed hello and the profile alone, before the handshake. */
typedef enum policy_psk {
    POLICY_PSK_NONE = 0,      /* no pre_shared_key offered */
    POLICY_PSK_USABLE,        /* a PSK mode in common: the ticket itself decides */
    POLICY_PSK_MODE_MISMATCH, /* no mode in common (or none sent): resumption refused */
    POLICY_PSK_NO_TICKETS,    /* the server takes no tickets (session_tickets: false) */
    POLICY_PSK__COUNT
} policy_psk_t;
policy_psk_t policy_tls13_psk(const server_profile_t *p, const clienthello_t *ch);
/* "none", "usable", "mode_mismatch", "no_tickets"; from_name: unknown -> NONE. */
const char *policy_psk_name(policy_psk_t v);
policy_psk_t policy_psk_from_name(const char *name);

/* The server's answer as JSON: {"answer": "server_hello"|"alert"|"reset"|
 * "close"|"silence", "server_hello": {...} or "alert": {...}, "reason", "rule"}.
 * New reference. */
json_t *policy_decision_to_json(const policy_decision_t *d);

/* The server's suite / group preference: the profile's, else the defaults
 * (mbedTLS-like). Return the count. */
size_t policy_server_suites(const server_profile_t *p, uint16_t *out, size_t max);
size_t policy_server_groups(const server_profile_t *p, uint16_t *out, size_t max);

#endif
