/* A scenario: one handshake attempt (or one replayed ClientHello) with an
 * expectation. Loaded once from fixtures/scenarios/<name>.yaml into the text
 * fields (as written, for reports) and a typed plan: every name resolved to
 * an id and every value checked at load, so that running a scenario never
 * goes back to its text. preflight_check() completes the plan with what
 * needs the rig's catalogs (profile, certificates). docs/formats.md. */
#ifndef TLSRIG_SCENARIO_H
#define TLSRIG_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "profile.h"

struct profile_patch;

typedef enum scenario_kind { SCENARIO_TARGET = 0, SCENARIO_REPLAY } scenario_kind_t;

typedef struct scenario_server {
    char *profile;
} scenario_server_t;

typedef struct scenario_client {
    char **suites; /* mbedTLS or IANA names */
    unsigned suites_count;
    char **groups; /* secp256r1, secp384r1, x25519 ... */
    unsigned groups_count;
    char **sig_hashes; /* sha1, sha256, sha384, sha512 */
    unsigned sig_hashes_count;
    char *sni;         /* NULL or "none": no SNI */
    char *min_version; /* tls1.0 .. tls1.3 */
    char *max_version;
    char **trust; /* root CA names from fixtures/certs/recipes.yaml */
    unsigned trust_count;
    char *time;   /* "now" (default), "none" (no RTC), or YYYY-MM-DD[THH:MM:SSZ] */
    unsigned mfl; /* 0 = off, 1..4 */
    unsigned debug_level;
    bool debug_level_set;
    unsigned read_timeout_ms;
    char *verify; /* required (default) | optional | none */
    char *sim_fault;
    char *cert_profile; /* default | allow-sha1 | next | suiteb */
    /* issue 17 psk13: after the full handshake, connect again and resume its session; the
     * resuming connection's TLS 1.3 key exchange modes (psk_ke, psk_dhe_ke, ephemeral). */
    bool resume;
    char **resume_kex_modes;
    unsigned resume_kex_modes_count;
} scenario_client_t;

typedef struct scenario_expect {
    char *outcome;      /* pass | fail */
    char *error;        /* MBEDTLS_ERR_* name or -0xNNNN, for fail */
    int alert_received; /* -1 = not asserted */
    int alert_sent;
    char *verdict;
    char *answer;   /* replay: server_hello | alert | reset | close | silence */
    int error_code; /* expect.error as an mbedTLS code; 0 when not asserted */
    /* Board bring-up (target only; typed evidence, never log text): */
    char *clock_source;       /* HELLO's T_CLOCK_SOURCE must equal it */
    unsigned min_goodput_bps; /* tunnel bytes (in + out) per second of the RESULT's duration */
    char *selftest;           /* "pass": this image's crypto self-test of the run passed */
    /* issue 17 tls13: the version the agent negotiated (RESULT "TLSv1.2" / "TLSv1.3"), and
     * whether the server sent a HelloRetryRequest ("sent" / "none", the server view). */
    char *version;
    char *hello_retry;
    /* issue 17 psk13: the second connection resumed the session (the agent's RESULT);
     * NULL = not asserted. */
    bool *resumed;
} scenario_expect_t;

/* expect_stacks: where an mbedTLS stack truly behaves differently (docs/stacks.md), that
 * stack's own expectation, with the documented reason. Never a looser copy of `expect`. */
typedef struct scenario_stack_expect {
    char *stack; /* stacks.h name */
    char *why;   /* required: the release note or behaviour that differs */
    scenario_expect_t expect;
} scenario_stack_expect_t;

typedef enum client_time_kind {
    CLIENT_TIME_NOW = 0, /* the host's clock when the scenario runs */
    CLIENT_TIME_NONE,    /* no RTC: the agent gets no time */
    CLIENT_TIME_FIXED,
} client_time_kind_t;

/* The client settings as the agent's request needs them. */
typedef struct client_plan {
    uint16_t suites[64]; /* IANA ids */
    unsigned n_suites;
    uint16_t groups[16]; /* IANA named groups */
    unsigned n_groups;
    uint8_t sig_hashes[8]; /* TLS HashAlgorithm codes */
    unsigned n_sig_hashes;
    uint16_t min_version, max_version; /* 0x0301..0x0304; 0 = agent default */
    client_time_kind_t time_kind;
    long long time_fixed; /* Unix seconds for CLIENT_TIME_FIXED */
    int verify;           /* -1 not given, 0 none, 1 optional, 2 required */
    int cert_profile;     /* -1 not given, 0 default, 1 allow-sha1, 2 next, 3 suiteb */
    uint8_t resume_modes; /* mbedTLS TLS 1.3 kex mode bits (1 psk, 2 ephemeral, 4
                             psk_ephemeral) of the resuming connection; 0 = the build's */
} client_plan_t;

typedef enum requirement_kind { REQUIRE_SUITE, REQUIRE_GROUP, REQUIRE_FEATURE } requirement_kind_t;

typedef struct requirement {
    requirement_kind_t kind;
    uint16_t id;         /* suite or group id */
    const char *feature; /* REQUIRE_FEATURE: the name (points into requires[]) */
} requirement_t;

/* Lines of keys, for errors found by preflight (no file re-read). */
typedef struct scenario_lines {
    unsigned name, profile, overrides, trust, clienthello;
} scenario_lines_t;

typedef struct scenario_plan {
    client_plan_t client;
    requirement_t *requires;         /* requires_count entries */
    struct profile_patch *overrides; /* server.overrides, parsed; NULL when absent */
    char *clienthello_path;          /* replay: resolved against the scenario's folder */
    scenario_lines_t lines;
    /* Filled by preflight_check(): */
    bool prepared;
    server_profile_t *profile; /* the profile with the overrides applied */
    char *trust_pem;           /* target: the client's trust list (PEM) */
    size_t trust_pem_len;
} scenario_plan_t;

typedef struct scenario {
    char *name;
    char *description;
    char **tags;
    unsigned tags_count;
    scenario_kind_t kind;
    char *config; /* firmware config profile; default "full" */
    scenario_server_t server;
    scenario_client_t client;
    scenario_expect_t expect;
    scenario_stack_expect_t *expect_stacks;
    unsigned expect_stacks_count;
    char **requires;
    unsigned requires_count;
    char *clienthello;   /* replay: file, relative to the scenario file */
    unsigned timeout_ms; /* overrides the board's scenario timeout; 0 = board's */
    char *path;          /* the file it came from */
    scenario_plan_t plan;
    /* issue 18 wolfagent: `stacks:` the stacks this scenario runs on (absent: every stack
     * asked for). A wolfssl-* scenario runs on wolfssl alone: its `config` is a wolfSSL
     * profile and its `expect` wolfSSL's. */
    char **stacks;
    unsigned stacks_count;
} scenario_t;

/* Whether the scenario runs on `stack` (its `stacks:` list, or every stack without one). */
bool scenario_runs_on(const scenario_t *s, const char *stack);
/* The stack of the scenario's `expect` block: the default stack, or the first of its
 * `stacks:` when that list does not hold the default one. */
const char *scenario_expect_stack(const scenario_t *s);

/* The expectation for a run on `stack` (NULL: the default stack); *why set to the reason when
 * a stack's own expectation applies, NULL otherwise. */
const scenario_expect_t *scenario_expect_for(const scenario_t *s, const char *stack,
                                             const char **why);

/* Load one file. NULL with err naming the file, line and key on error. The
 * name must be a safe file name part (safe_name.h): it names log files. */
scenario_t *scenario_load_file(const char *path, char *err, size_t errlen);
/* The same from text already in memory; path names it in messages and
 * anchors a replay's clienthello file. */
scenario_t *scenario_load_text(const char *path, const char *text, size_t len, char *err,
                               size_t errlen);
void scenario_free(scenario_t *s);

typedef struct scenario_set {
    scenario_t **items;
    size_t count;
} scenario_set_t;

/* Load every *.yaml in dir, sorted by name. Stops at the first broken file
 * (0, or -1 with err). Duplicate names are an error. */
int scenario_load_dir(const char *dir, scenario_set_t *set, char *err, size_t errlen);
void scenario_set_free(scenario_set_t *set);

/* Does the scenario match a shell glob / carry a tag. */
bool scenario_matches(const scenario_t *s, const char *glob);

bool scenario_has_tag(const scenario_t *s, const char *tag);

#endif
