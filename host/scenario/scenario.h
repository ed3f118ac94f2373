/* A scenario: one handshake attempt (or one replayed ClientHello) with an
 * expectation. Loaded from fixtures/scenarios/<name>.yaml. */
#ifndef TLSRIG_SCENARIO_H
#define TLSRIG_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum scenario_kind { SCENARIO_TARGET = 0, SCENARIO_REPLAY } scenario_kind_t;

typedef struct scenario_server {
    char *profile;
    char *overrides_yaml; /* the `overrides:` mapping as YAML text, or NULL */
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
} scenario_client_t;

typedef struct scenario_expect {
    char *outcome; /* pass | fail */
    char *error;   /* MBEDTLS_ERR_* name or -0xNNNN, for fail */
    int alert_received; /* -1 = not asserted */
    int alert_sent;
    char *verdict;
    char *answer;  /* replay: server_hello | alert | reset | close | silence */
} scenario_expect_t;

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
    char **requires;
    unsigned requires_count;
    char *clienthello; /* replay: file, relative to the scenario file */
    unsigned timeout_ms; /* overrides the board's scenario timeout; 0 = board's */
    char *path;        /* the file it came from */
} scenario_t;

/* Load one file. NULL with err naming the file, line and key on error. */
scenario_t *scenario_load_file(const char *path, char *err, size_t errlen);
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

/* 1-based line of `key:` in the scenario's file (0 when not found), for
 * errors found after loading (unknown profile, suite, group). */
unsigned scenario_key_line(const scenario_t *s, const char *key);
bool scenario_has_tag(const scenario_t *s, const char *tag);

#endif
