/* Name tables from the IANA TLS registries (cipher suites, supported groups,
 * extension types, alerts, signature schemes). */
#include "tls_names.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct id_name {
    uint16_t id;
    const char *name;
} id_name_t;

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const tls_suite_info_t suites[] = {
    {0x1301, "TLS_AES_128_GCM_SHA256"},
    {0x1302, "TLS_AES_256_GCM_SHA384"},
    {0x1303, "TLS_CHACHA20_POLY1305_SHA256"},
    {0x1304, "TLS_AES_128_CCM_SHA256"},
    {0x1305, "TLS_AES_128_CCM_8_SHA256"},
    {0xc02b, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"},
    {0xc02c, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"},
    {0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"},
    {0xc0ac, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM"},
    {0xc0ad, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM"},
    {0xc0ae, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8"},
    {0xc0af, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8"},
    {0xc023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"},
    {0xc024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384"},
    {0xc009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"},
    {0xc00a, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"},
    {0xc008, "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA"},
    {0xc007, "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA"},
    {0xc086, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_GCM_SHA256"},
    {0xc087, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_GCM_SHA384"},
    {0xc072, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256"},
    {0xc073, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384"},
    {0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"},
    {0xc030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"},
    {0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"},
    {0xc027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"},
    {0xc028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"},
    {0xc013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"},
    {0xc014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"},
    {0xc012, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA"},
    {0xc011, "TLS_ECDHE_RSA_WITH_RC4_128_SHA"},
    {0xc08a, "TLS_ECDHE_RSA_WITH_CAMELLIA_128_GCM_SHA256"},
    {0xc08b, "TLS_ECDHE_RSA_WITH_CAMELLIA_256_GCM_SHA384"},
    {0xc076, "TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256"},
    {0xc077, "TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384"},
    {0x009e, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"},
    {0x009f, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"},
    {0xccaa, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256"},
    {0xc09e, "TLS_DHE_RSA_WITH_AES_128_CCM"},
    {0xc09f, "TLS_DHE_RSA_WITH_AES_256_CCM"},
    {0xc0a2, "TLS_DHE_RSA_WITH_AES_128_CCM_8"},
    {0xc0a3, "TLS_DHE_RSA_WITH_AES_256_CCM_8"},
    {0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256"},
    {0x006b, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256"},
    {0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA"},
    {0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA"},
    {0x0016, "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA"},
    {0xc07c, "TLS_DHE_RSA_WITH_CAMELLIA_128_GCM_SHA256"},
    {0xc07d, "TLS_DHE_RSA_WITH_CAMELLIA_256_GCM_SHA384"},
    {0x00be, "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA256"},
    {0x00c4, "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256"},
    {0x0045, "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA"},
    {0x0088, "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA"},
    {0x009c, "TLS_RSA_WITH_AES_128_GCM_SHA256"},
    {0x009d, "TLS_RSA_WITH_AES_256_GCM_SHA384"},
    {0xc09c, "TLS_RSA_WITH_AES_128_CCM"},
    {0xc09d, "TLS_RSA_WITH_AES_256_CCM"},
    {0xc0a0, "TLS_RSA_WITH_AES_128_CCM_8"},
    {0xc0a1, "TLS_RSA_WITH_AES_256_CCM_8"},
    {0x003c, "TLS_RSA_WITH_AES_128_CBC_SHA256"},
    {0x003d, "TLS_RSA_WITH_AES_256_CBC_SHA256"},
    {0x002f, "TLS_RSA_WITH_AES_128_CBC_SHA"},
    {0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA"},
    {0x000a, "TLS_RSA_WITH_3DES_EDE_CBC_SHA"},
    {0x0005, "TLS_RSA_WITH_RC4_128_SHA"},
    {0x0004, "TLS_RSA_WITH_RC4_128_MD5"},
    {0xc07a, "TLS_RSA_WITH_CAMELLIA_128_GCM_SHA256"},
    {0xc07b, "TLS_RSA_WITH_CAMELLIA_256_GCM_SHA384"},
    {0x00ba, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA256"},
    {0x00c0, "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256"},
    {0x0041, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA"},
    {0x0084, "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA"},
    {0xc02d, "TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256"},
    {0xc02e, "TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384"},
    {0xc025, "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256"},
    {0xc026, "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384"},
    {0xc004, "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA"},
    {0xc005, "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA"},
    {0xc088, "TLS_ECDH_ECDSA_WITH_CAMELLIA_128_GCM_SHA256"},
    {0xc089, "TLS_ECDH_ECDSA_WITH_CAMELLIA_256_GCM_SHA384"},
    {0xc074, "TLS_ECDH_ECDSA_WITH_CAMELLIA_128_CBC_SHA256"},
    {0xc075, "TLS_ECDH_ECDSA_WITH_CAMELLIA_256_CBC_SHA384"},
    {0xc031, "TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256"},
    {0xc032, "TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384"},
    {0xc029, "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256"},
    {0xc02a, "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384"},
    {0xc00e, "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA"},
    {0xc00f, "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA"},
    {0xc08c, "TLS_ECDH_RSA_WITH_CAMELLIA_128_GCM_SHA256"},
    {0xc08d, "TLS_ECDH_RSA_WITH_CAMELLIA_256_GCM_SHA384"},
    {0xc078, "TLS_ECDH_RSA_WITH_CAMELLIA_128_CBC_SHA256"},
    {0xc079, "TLS_ECDH_RSA_WITH_CAMELLIA_256_CBC_SHA384"},
    {0x00a8, "TLS_PSK_WITH_AES_128_GCM_SHA256"},
    {0x00a9, "TLS_PSK_WITH_AES_256_GCM_SHA384"},
    {0x008c, "TLS_PSK_WITH_AES_128_CBC_SHA"},
    {0x008d, "TLS_PSK_WITH_AES_256_CBC_SHA"},
    {0xc0a8, "TLS_PSK_WITH_AES_128_CCM_8"},
    {0xccab, "TLS_PSK_WITH_CHACHA20_POLY1305_SHA256"},
    {0xc0ff, "TLS_ECJPAKE_WITH_AES_128_CCM_8"},
    {0x00ff, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV"},
    {0x5600, "TLS_FALLBACK_SCSV"},
};

static const id_name_t groups[] = {
    {0x0017, "secp256r1"},
    {0x0018, "secp384r1"},
    {0x0019, "secp521r1"},
    {0x001d, "x25519"},
    {0x001e, "x448"},
    {0x0015, "secp224r1"},
    {0x0016, "secp256k1"},
    {0x0013, "secp192r1"},
    {0x0014, "secp224k1"},
    {0x0012, "secp192k1"},
    {0x001a, "brainpoolP256r1"},
    {0x001b, "brainpoolP384r1"},
    {0x001c, "brainpoolP512r1"},
    {0x001f, "brainpoolP256r1tls13"},
    {0x0020, "brainpoolP384r1tls13"},
    {0x0021, "brainpoolP512r1tls13"},
    {0x0100, "ffdhe2048"},
    {0x0101, "ffdhe3072"},
    {0x0102, "ffdhe4096"},
    {0x0103, "ffdhe6144"},
    {0x0104, "ffdhe8192"},
    {0x11ec, "X25519MLKEM768"},
    {0x6399, "X25519Kyber768Draft00"},
};

/* Other spellings of group names (OpenSSL, NIST, mbedTLS). */
static const id_name_t group_aliases[] = {
    {0x0017, "P-256"}, {0x0017, "prime256v1"}, {0x0017, "secp256r1"}, {0x0018, "P-384"},
    {0x0019, "P-521"}, {0x001d, "curve25519"}, {0x001e, "curve448"},  {0x0013, "P-192"},
    {0x0015, "P-224"}, {0x001a, "bp256r1"},    {0x001b, "bp384r1"},   {0x001c, "bp512r1"},
};

static const id_name_t exts[] = {
    {0, "server_name"},
    {1, "max_fragment_length"},
    {2, "client_certificate_url"},
    {3, "trusted_ca_keys"},
    {4, "truncated_hmac"},
    {5, "status_request"},
    {10, "supported_groups"},
    {11, "ec_point_formats"},
    {13, "signature_algorithms"},
    {14, "use_srtp"},
    {15, "heartbeat"},
    {16, "application_layer_protocol_negotiation"},
    {17, "status_request_v2"},
    {18, "signed_certificate_timestamp"},
    {19, "client_certificate_type"},
    {20, "server_certificate_type"},
    {21, "padding"},
    {22, "encrypt_then_mac"},
    {23, "extended_master_secret"},
    {27, "compress_certificate"},
    {28, "record_size_limit"},
    {34, "delegated_credentials"},
    {35, "session_ticket"},
    {41, "pre_shared_key"},
    {42, "early_data"},
    {43, "supported_versions"},
    {44, "cookie"},
    {45, "psk_key_exchange_modes"},
    {47, "certificate_authorities"},
    {48, "oid_filters"},
    {49, "post_handshake_auth"},
    {50, "signature_algorithms_cert"},
    {51, "key_share"},
    {256, "ecjpake_key_kp_pair"},
    {13172, "next_protocol_negotiation"},
    {17513, "application_settings"},
    {65037, "encrypted_client_hello"},
    {65281, "renegotiation_info"},
};

static const id_name_t ext_aliases[] = {
    {16, "alpn"},
    {10, "elliptic_curves"},
    {10, "supported_elliptic_curves"},
    {11, "supported_point_formats"},
    {23, "ems"},
    {22, "etm"},
    {0, "sni"},
    {1, "mfl"},
};

static const id_name_t alerts[] = {
    {0, "close_notify"},
    {10, "unexpected_message"},
    {20, "bad_record_mac"},
    {21, "decryption_failed"},
    {22, "record_overflow"},
    {30, "decompression_failure"},
    {40, "handshake_failure"},
    {41, "no_certificate"},
    {42, "bad_certificate"},
    {43, "unsupported_certificate"},
    {44, "certificate_revoked"},
    {45, "certificate_expired"},
    {46, "certificate_unknown"},
    {47, "illegal_parameter"},
    {48, "unknown_ca"},
    {49, "access_denied"},
    {50, "decode_error"},
    {51, "decrypt_error"},
    {60, "export_restriction"},
    {70, "protocol_version"},
    {71, "insufficient_security"},
    {80, "internal_error"},
    {86, "inappropriate_fallback"},
    {90, "user_canceled"},
    {100, "no_renegotiation"},
    {109, "missing_extension"},
    {110, "unsupported_extension"},
    {111, "certificate_unobtainable"},
    {112, "unrecognized_name"},
    {113, "bad_certificate_status_response"},
    {114, "bad_certificate_hash_value"},
    {115, "unknown_psk_identity"},
    {116, "certificate_required"},
    {120, "no_application_protocol"},
};

static const id_name_t versions[] = {
    {0x0300, "SSL3.0"}, {0x0301, "TLS1.0"}, {0x0302, "TLS1.1"},
    {0x0303, "TLS1.2"}, {0x0304, "TLS1.3"},
};

static const id_name_t sigalgs[] = {
    {0x0201, "rsa_pkcs1_sha1"},
    {0x0203, "ecdsa_sha1"},
    {0x0202, "dsa_sha1"},
    {0x0301, "rsa_pkcs1_sha224"},
    {0x0303, "ecdsa_sha224"},
    {0x0401, "rsa_pkcs1_sha256"},
    {0x0403, "ecdsa_secp256r1_sha256"},
    {0x0501, "rsa_pkcs1_sha384"},
    {0x0503, "ecdsa_secp384r1_sha384"},
    {0x0601, "rsa_pkcs1_sha512"},
    {0x0603, "ecdsa_secp521r1_sha512"},
    {0x0804, "rsa_pss_rsae_sha256"},
    {0x0805, "rsa_pss_rsae_sha384"},
    {0x0806, "rsa_pss_rsae_sha512"},
    {0x0807, "ed25519"},
    {0x0808, "ed448"},
    {0x0809, "rsa_pss_pss_sha256"},
    {0x080a, "rsa_pss_pss_sha384"},
    {0x080b, "rsa_pss_pss_sha512"},
    {0x081a, "ecdsa_brainpoolP256r1tls13_sha256"},
    {0x081b, "ecdsa_brainpoolP384r1tls13_sha384"},
    {0x081c, "ecdsa_brainpoolP512r1tls13_sha512"},
};

static const id_name_t hs_types[] = {
    {0, "hello_request"},        {1, "client_hello"},         {2, "server_hello"},
    {4, "new_session_ticket"},   {8, "encrypted_extensions"}, {11, "certificate"},
    {12, "server_key_exchange"}, {13, "certificate_request"}, {14, "server_hello_done"},
    {15, "certificate_verify"},  {16, "client_key_exchange"}, {20, "finished"},
};

/* Compares names ignoring case and treating '-' like '_'. */
static bool name_eq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = (char)tolower((unsigned char)*a), y = (char)tolower((unsigned char)*b);
        if (x == '-')
            x = '_';
        if (y == '-')
            y = '_';
        if (x != y)
            return false;
    }
    return *a == *b;
}

static const char *lookup_name(const id_name_t *t, size_t n, uint16_t id)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].id == id)
            return t[i].name;
    return NULL;
}

static bool lookup_id(const id_name_t *t, size_t n, const char *name, uint16_t *id)
{
    for (size_t i = 0; i < n; i++) {
        if (name_eq(t[i].name, name)) {
            *id = t[i].id;
            return true;
        }
    }
    return false;
}

/* "0xc02f" or "49199"; false unless the whole string is a number <= max. */
static bool parse_number(const char *s, unsigned long max, uint16_t *out)
{
    if (!s || !*s || !isdigit((unsigned char)s[0]))
        return false;
    char *end = NULL;
    unsigned long v = strtoul(s, &end, 0);
    if (*end || v > max)
        return false;
    *out = (uint16_t)v;
    return true;
}

const char *tls_suite_name(uint16_t id)
{
    for (size_t i = 0; i < COUNT(suites); i++)
        if (suites[i].id == id)
            return suites[i].name;
    return NULL;
}

bool tls_suite_by_name(const char *name, uint16_t *id)
{
    if (!name)
        return false;
    if (parse_number(name, 0xffff, id))
        return true;
    /* mbedTLS 3.x spells TLS 1.3 suites "TLS1-3-AES-128-GCM-SHA256". */
    char buf[96];
    if (strncmp(name, "TLS1-3-", 7) == 0 || strncmp(name, "TLS1_3_", 7) == 0) {
        snprintf(buf, sizeof buf, "TLS_%s", name + 7);
        name = buf;
    }
    for (size_t i = 0; i < COUNT(suites); i++) {
        if (name_eq(suites[i].name, name)) {
            *id = suites[i].id;
            return true;
        }
    }
    return false;
}

tls_kx_t tls_suite_kx(uint16_t id)
{
    if (id == 0x00ff || id == 0x5600)
        return TLS_KX_SCSV;
    if ((id & 0xff00) == 0x1300)
        return TLS_KX_TLS13;
    const char *n = tls_suite_name(id);
    if (!n)
        return TLS_KX_OTHER;
    static const struct {
        const char *prefix;
        tls_kx_t kx;
    } kx[] = {
        {"TLS_ECDHE_ECDSA_", TLS_KX_ECDHE_ECDSA}, {"TLS_ECDHE_RSA_", TLS_KX_ECDHE_RSA},
        {"TLS_ECDH_ECDSA_", TLS_KX_ECDH_ECDSA},   {"TLS_ECDH_RSA_", TLS_KX_ECDH_RSA},
        {"TLS_DHE_RSA_", TLS_KX_DHE_RSA},         {"TLS_RSA_", TLS_KX_RSA},
    };
    for (size_t i = 0; i < COUNT(kx); i++)
        if (strncmp(n, kx[i].prefix, strlen(kx[i].prefix)) == 0)
            return kx[i].kx;
    return TLS_KX_OTHER;
}

bool tls_suite_is_aead(uint16_t id)
{
    const char *n = tls_suite_name(id);
    return n && (strstr(n, "_GCM") || strstr(n, "_CCM") || strstr(n, "CHACHA20"));
}

uint16_t tls_suite_min_version(uint16_t id)
{
    if ((id & 0xff00) == 0x1300)
        return 0x0304;
    const char *n = tls_suite_name(id);
    if (!n)
        return 0x0301;
    size_t len = strlen(n);
    bool sha1_mac = len > 4 && strcmp(n + len - 4, "_SHA") == 0;
    bool md5_mac = len > 4 && strcmp(n + len - 4, "_MD5") == 0;
    return (sha1_mac || md5_mac) ? 0x0301 : 0x0303;
}

const tls_suite_info_t *tls_suite_table(unsigned *count)
{
    *count = (unsigned)COUNT(suites);
    return suites;
}

const char *tls_group_name(uint16_t id)
{
    return lookup_name(groups, COUNT(groups), id);
}

bool tls_group_by_name(const char *name, uint16_t *id)
{
    if (!name)
        return false;
    return parse_number(name, 0xffff, id) || lookup_id(groups, COUNT(groups), name, id) ||
           lookup_id(group_aliases, COUNT(group_aliases), name, id);
}

bool tls_group_is_ec(uint16_t id)
{
    return (id >= 0x0001 && id <= 0x0021) || id == 0x11ec || id == 0x6399;
}

const char *tls_ext_name(uint16_t type)
{
    return lookup_name(exts, COUNT(exts), type);
}

bool tls_ext_by_name(const char *name, uint16_t *type)
{
    if (!name)
        return false;
    return parse_number(name, 0xffff, type) || lookup_id(exts, COUNT(exts), name, type) ||
           lookup_id(ext_aliases, COUNT(ext_aliases), name, type);
}

const char *tls_alert_name(uint8_t code)
{
    return lookup_name(alerts, COUNT(alerts), code);
}

bool tls_alert_by_name(const char *name, uint8_t *code)
{
    uint16_t v;
    if (!name)
        return false;
    if (parse_number(name, 255, &v) || lookup_id(alerts, COUNT(alerts), name, &v)) {
        *code = (uint8_t)v;
        return true;
    }
    return false;
}

const char *tls_version_name(uint16_t v)
{
    return lookup_name(versions, COUNT(versions), v);
}

bool tls_version_by_name(const char *name, uint16_t *v)
{
    if (!name)
        return false;
    if (parse_number(name, 0xffff, v) && *v >= 0x0300)
        return true;
    /* Reduce "TLSv1.2" / "tls12" / "1.2" to "12", then compare. */
    char digits[8];
    size_t n = 0;
    for (const char *p = name; *p && n + 1 < sizeof digits; p++)
        if (isdigit((unsigned char)*p))
            digits[n++] = *p;
    digits[n] = 0;
    bool is_ssl = tolower((unsigned char)name[0]) == 's';
    static const struct {
        const char *digits;
        uint16_t v;
        bool ssl;
    } map[] = {{"30", 0x0300, true},
               {"10", 0x0301, false},
               {"11", 0x0302, false},
               {"12", 0x0303, false},
               {"13", 0x0304, false}};
    for (size_t i = 0; i < COUNT(map); i++) {
        if (strcmp(digits, map[i].digits) == 0 && map[i].ssl == is_ssl) {
            *v = map[i].v;
            return true;
        }
    }
    return false;
}

const char *tls_sigalg_name(uint16_t id)
{
    return lookup_name(sigalgs, COUNT(sigalgs), id);
}

const char *tls_hs_type_name(uint8_t type)
{
    return lookup_name(hs_types, COUNT(hs_types), type);
}

bool tls_hs_type_by_name(const char *name, uint8_t *type)
{
    uint16_t v;
    if (!name)
        return false;
    if (parse_number(name, 255, &v) || lookup_id(hs_types, COUNT(hs_types), name, &v)) {
        *type = (uint8_t)v;
        return true;
    }
    return false;
}

bool tls_is_grease(uint16_t v)
{
    return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}
