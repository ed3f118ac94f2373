/* Client settings for one handshake attempt, decoded from the HANDSHAKE request. */
#ifndef TLSRIG_HS_SETTINGS_H
#define TLSRIG_HS_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HS_MAX_SUITES 64
#define HS_MAX_GROUPS 16
#define HS_MAX_HASHES 8
#define HS_MAX_SEED 64

typedef struct hs_settings {
    char scenario[64];
    int suites[HS_MAX_SUITES + 1]; /* 0-terminated, as mbedTLS wants */
    size_t n_suites;               /* 0 = library default */
    uint16_t groups[HS_MAX_GROUPS];
    size_t n_groups;
    uint8_t hashes[HS_MAX_HASHES]; /* TLS HashAlgorithm ids */
    size_t n_hashes;
    bool has_sni;
    char sni[128];
    uint16_t min_version;
    uint16_t max_version;
    bool has_time;
    uint64_t time;
    uint8_t mfl;
    uint8_t debug_level;
    uint32_t read_timeout_ms;
    uint8_t verify;       /* 0 none, 1 optional, 2 required */
    uint8_t cert_profile; /* 0 default, 1 default + SHA-1, 2 next, 3 suiteb */
    char sim_fault[16];
    uint8_t log_format; /* T_LOG_FORMAT: 0 text, 1 compact records, 2 both; | LOG_FORMAT_FRESH */
    /* issue 17 psk13: connect again and resume the first connection's session (T_RESUME),
     * with these TLS 1.3 key exchange modes (T_RESUME_MODES, mbedTLS bits; 0 = the build's). */
    bool resume;
    uint8_t resume_modes;
    /* issue 16: the TEST ONLY seed (T_SEED), taken before the handshake; seed_len 0 = none. */
    uint8_t seed[HS_MAX_SEED];
    size_t seed_len;
} hs_settings_t;

/* false when the request is malformed (lengths, values out of range). */
bool hs_settings_decode(const uint8_t *req, size_t len, hs_settings_t *s);

#endif
