/* The server's view of one connection, typed: what the inspector read from
 * the ClientHello, which policy rule decided and how the server reacted, how
 * the handshake on mbedTLS ended and which alerts crossed the wire. The live
 * server and replay fill it; the diagnosis reads it. JSON is only its edge
 * form (capture view.json, the "server" member of results.jsonl). */
#ifndef TLSRIG_SERVER_VIEW_H
#define TLSRIG_SERVER_VIEW_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clienthello.h"
#include "profile.h"

/* Which check decided (policy.c's rules, plus the two ways a connection ends
 * before any policy can run). */
typedef enum server_rule {
    SERVER_RULE_UNKNOWN = 0,          /* no decision recorded */
    SERVER_RULE_OK,                   /* hello accepted: handshake went on */
    SERVER_RULE_VERSION,              /* no common protocol version */
    SERVER_RULE_MISSING_EXTENSION,    /* a required extension is absent */
    SERVER_RULE_SNI_MISSING,          /* no server_name, the server needs one */
    SERVER_RULE_SNI_UNLISTED,         /* server_name not served here */
    SERVER_RULE_ECDHE_WITHOUT_GROUPS, /* only EC suites shared, no supported_groups */
    SERVER_RULE_NO_SHARED_GROUP,      /* EC suites shared, no named group in common */
    SERVER_RULE_NO_SHARED_SUITE,      /* no cipher suite in common */
    SERVER_RULE_LIVE_TLS13,           /* TLS 1.3 only; the live server has no 1.3 */
    SERVER_RULE_MALFORMED_HELLO,      /* the ClientHello did not parse */
    SERVER_RULE_FIRST_FLIGHT,         /* the client stopped before a whole hello */
    /* issue 17 tls13: */
    SERVER_RULE_NO_KEY_SHARE, /* TLS 1.3: no usable key share, the profile sends no HRR */
    /* issue 17 psk13: a TLS 1.3 ticket with no PSK mode in common, no key share */
    SERVER_RULE_PSK_MODE_MISMATCH,
    SERVER_RULE__COUNT
} server_rule_t;

#define SERVER_VIEW_MAX_LIST 64
#define SERVER_PSK_MODE_NONE 0
#define SERVER_PSK_MODE_PSK_KE 1
#define SERVER_PSK_MODE_PSK_DHE_KE 2

typedef struct server_view {
    /* The ClientHello as the server's inspector parsed it. */
    bool has_clienthello;
    bool sni_sent;
    char sni[CH_SNI_LEN];
    uint16_t extensions[SERVER_VIEW_MAX_LIST];
    size_t n_extensions;
    bool groups_sent; /* supported_groups present (possibly empty) */
    uint16_t groups[SERVER_VIEW_MAX_LIST];
    size_t n_groups;
    size_t n_suites;
    /* TLS 1.3 (issue 17 tls13): what the client offered for 1.3. */
    bool offers_tls13; /* 0x0304 in supported_versions */
    uint16_t key_share_groups[CH_MAX_KEY_SHARES];
    size_t n_key_share_groups;
    bool psk_modes_sent;
    bool psk_ke, psk_dhe_ke; /* modes in psk_key_exchange_modes */
    bool psk_offered;        /* pre_shared_key present (resumption attempt) */
    bool early_data;
    /* The first 4 bytes of the client random: a TLS 1.2 client's clock
     * (gmt_unix_time) when it has one. */
    uint32_t client_random_time;
    /* The decision before the handshake. */
    server_rule_t rule;
    reaction_kind_t reaction;
    int refusal_alert; /* alert of an ALERT reaction, -1 otherwise */
    uint16_t chosen_suite;
    uint16_t chosen_group;
    /* The handshake on mbedTLS, when the hello was accepted. */
    bool handshake_ran;
    int handshake_ret; /* mbedTLS code, 0 = completed */
    char version[16];  /* negotiated, when completed */
    char suite[64];
    /* TLS 1.3 decision and handshake (the worker's result). */
    bool hrr_expected; /* the policy chose a group the client did not key-share */
    bool hrr_sent;
    uint16_t tls13_group; /* key exchange group of a completed 1.3 handshake */
    bool resumed;         /* a 1.3 PSK (ticket) was accepted */
    /* issue 17 psk13: the server's reading of a resumption attempt (policy_psk_t: 0 none,
     * 1 usable, 2 mode_mismatch, 3 no_tickets), the mode the worker resumed with
     * (SERVER_PSK_MODE_*), and the downgrade sentinel an impairment wrote. */
    uint8_t psk_decision;
    uint8_t psk_mode;
    bool downgrade_sentinel;
    /* Alerts on the wire, -1 for none. */
    int alert_sent;
    int alert_received;
} server_view_t;

/* All fields empty, alerts -1. */
void server_view_init(server_view_t *v);

/* "sni_unlisted" <-> SERVER_RULE_SNI_UNLISTED; NULL/unknown names give
 * SERVER_RULE_UNKNOWN. The names are policy.c's, never client text. */
const char *server_rule_name(server_rule_t r);
server_rule_t server_rule_from_name(const char *name);

/* Copies the fields the view keeps from a parsed ClientHello. */
void server_view_set_clienthello(server_view_t *v, const clienthello_t *ch);

/* Edge reader: the "server" object of a results.jsonl line (or view.json).
 * One spelling per key: the one server_conn.c writes. 0, or -1 when view is
 * not an object. */
int server_view_from_json(const json_t *view, server_view_t *out);

#endif
