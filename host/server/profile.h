/* A server profile: how the controllable TLS server behaves. Loaded from
 * fixtures/profiles/<name>.yaml (profile_load.c); scenarios may override
 * fields. Shared contract between the loader, the policy, the live server,
 * replay and the scenario runner. */
#ifndef TLSRIG_PROFILE_H
#define TLSRIG_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROFILE_MAX_SUITES 64
#define PROFILE_MAX_GROUPS 16
#define PROFILE_MAX_EXTS 16
#define PROFILE_MAX_SNI 16
#define PROFILE_MAX_CHAINS 4
#define PROFILE_MAX_IMPAIR 8
#define PROFILE_NAME_LEN 64
#define PROFILE_TEXT_LEN 512
#define PROFILE_HOST_LEN 128
#define PROFILE_MAX_BEHAVIOURS 8

/* How sure the public record makes a behaviour: high = a capture or a
 * first-hand report shows it; medium = reports agree but none shows it
 * directly for this server and time; low = inferred, or the record is
 * contradictory (then `decides` says what would settle it). */
typedef enum profile_confidence {
    CONFIDENCE_LOW = 1,
    CONFIDENCE_MEDIUM,
    CONFIDENCE_HIGH,
} profile_confidence_t;

/* One behaviour a profile claims for the real server, with its provenance. */
typedef struct profile_behaviour {
    char what[256];    /* the behaviour, one sentence */
    char keys[192];    /* profile keys that implement it, ", "-separated */
    char source[512];  /* where the public record shows it, and what it shows */
    char decides[384]; /* what would settle it, when the record is unsure */
    profile_confidence_t confidence;
} profile_behaviour_t;

/* What the server does when its policy refuses a ClientHello. */
typedef enum reaction_kind {
    REACT_CONTINUE = 0, /* no refusal: go on with the handshake */
    REACT_ALERT,        /* fatal alert with `alert` as description, then close */
    REACT_RESET,        /* TCP reset (SO_LINGER 0) */
    REACT_CLOSE,        /* orderly close (FIN) without an alert */
    REACT_SILENCE,      /* read and say nothing until the client gives up */
} reaction_kind_t;

typedef struct reaction {
    reaction_kind_t kind;
    uint8_t alert; /* TLS AlertDescription when kind == REACT_ALERT */
} reaction_t;

typedef enum impair_kind {
    IMPAIR_NONE = 0,
    IMPAIR_DELAY_BEFORE_FLIGHT, /* sleep delay_ms before server flight `flight` (1 =
                                   ServerHello..Done) */
    IMPAIR_WRITE_CHUNK,         /* every TCP write cut to `bytes` bytes */
    IMPAIR_SPLIT_RECORDS,       /* handshake messages split across records of `bytes` payload */
    IMPAIR_RESET_AFTER,         /* TCP reset after sending handshake message type `hs_type` */
    IMPAIR_CLOSE_AFTER,         /* orderly close after sending handshake message type `hs_type` */
    IMPAIR_CORRUPT_RECORD, /* flip one byte (offset `bytes`) in server record number `record` */
    /* issue 17 psk13: the RFC 8446 4.1.3 sentinel (44 4F 57 4E 47 52 44 01) written over the
     * last 8 bytes of ServerHello.random on the wire: a TLS 1.3 server negotiating 1.2, as
     * a TLS 1.2-terminating middlebox in front of a 1.3 server shows it. */
    IMPAIR_DOWNGRADE_SENTINEL,
} impair_kind_t;

#define PROFILE_PSK_KE 1u     /* psk_ke (0): PSK only */
#define PROFILE_PSK_DHE_KE 2u /* psk_dhe_ke (1): PSK with (EC)DHE */

typedef struct impairment {
    impair_kind_t kind;
    uint32_t flight;
    uint32_t delay_ms;
    uint32_t bytes;
    uint32_t record;
    uint8_t hs_type;
} impairment_t;

/* The key of a chain's leaf certificate, read from the certificate by whoever
 * loads it (server_chain_keys()): the policy picks suites by it. */
typedef struct chain_key {
    bool known;     /* false until the certificate was read */
    bool ecdsa;     /* EC key (ECDHE-ECDSA suites), else RSA */
    uint16_t curve; /* TLS named group of an EC key */
} chain_key_t;

typedef struct server_profile {
    char name[PROFILE_NAME_LEN];
    char description[PROFILE_TEXT_LEN];
    char models[PROFILE_TEXT_LEN];    /* the real-world behaviour it models */
    char reference[PROFILE_TEXT_LEN]; /* where that behaviour is documented */
    /* Every behaviour with its source and confidence (required in files). */
    profile_behaviour_t behaviours[PROFILE_MAX_BEHAVIOURS];
    size_t n_behaviours;

    /* Certificate chains by recipe name (fixtures/certs/recipes.yaml); more
     * than one = a server with both RSA and ECDSA certificates. */
    char chains[PROFILE_MAX_CHAINS][PROFILE_NAME_LEN];
    size_t n_chains;
    chain_key_t chain_keys[PROFILE_MAX_CHAINS]; /* from the certificates, see chain_key_t */

    /* IANA cipher suite ids in server preference order; n_suites == 0 means
     * the mbedTLS defaults. */
    uint16_t suites[PROFILE_MAX_SUITES];
    size_t n_suites;
    /* IANA named groups; 0 entries = mbedTLS defaults. */
    uint16_t groups[PROFILE_MAX_GROUPS];
    size_t n_groups;
    uint16_t min_version; /* 0x0301..0x0304 */
    uint16_t max_version;

    /* Policy, applied to the parsed ClientHello before the handshake. */
    uint16_t required_exts[PROFILE_MAX_EXTS];
    size_t n_required_exts;
    reaction_t on_missing_ext;
    char sni_allow[PROFILE_MAX_SNI][PROFILE_HOST_LEN]; /* empty list = any name or none */
    size_t n_sni_allow;
    reaction_t on_sni_missing;
    reaction_t on_sni_unlisted;
    reaction_t on_no_shared_suite;
    reaction_t on_no_shared_group;
    reaction_t on_version_mismatch;
    /* ECDHE-only hellos without supported_groups (gmail-smtp-2016). */
    reaction_t on_ecdhe_without_groups;
    /* issue 17 tls13: a TLS 1.3 hello whose key shares hold none of the
     * server's groups, though supported_groups lists one. continue (default)
     * = HelloRetryRequest for that group; anything else refuses (a server
     * without HRR). */
    reaction_t on_no_key_share;
    /* A reaction at a TLS 1.3 point: alert (encrypted) right after the
     * server's EncryptedExtensions; continue (default) = none. */
    reaction_t tls13_after_encrypted_extensions;

    /* Handshake features. */
    bool client_auth_required;
    uint8_t max_fragment_length; /* 0 = off, else MFL code 1..4 */
    bool ems_required;
    bool etm;
    bool renegotiation;
    bool session_tickets;
    /* issue 17 psk13: the PSK key exchange modes (RFC 8446 4.2.9) the TLS 1.3 server resumes
     * with: PROFILE_PSK_KE | PROFILE_PSK_DHE_KE (default both); 0 = no resumption. */
    uint8_t tls13_psk_modes;

    impairment_t impairments[PROFILE_MAX_IMPAIR];
    size_t n_impairments;
} server_profile_t;

#endif
