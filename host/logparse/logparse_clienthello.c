/* Minimal ClientHello field decoder (suites, extensions, groups, sigalgs, SNI) for hex dumps
 * found in client logs. Every length is checked against what is left; bad input -> -1. */
#include "logparse_internal.h"

#include <string.h>

typedef struct {
    const unsigned char *p;
    size_t left;
} rd_t;

static bool take(rd_t *r, size_t n, const unsigned char **out)
{
    if (r->left < n)
        return false;
    if (out)
        *out = r->p;
    r->p += n;
    r->left -= n;
    return true;
}

static bool u8(rd_t *r, unsigned *v)
{
    const unsigned char *b;
    if (!take(r, 1, &b))
        return false;
    *v = b[0];
    return true;
}

static bool u16(rd_t *r, unsigned *v)
{
    const unsigned char *b;
    if (!take(r, 2, &b))
        return false;
    *v = (unsigned)(b[0] << 8 | b[1]);
    return true;
}

static bool sub(rd_t *r, size_t n, rd_t *out)
{
    const unsigned char *b;
    if (!take(r, n, &b))
        return false;
    out->p = b;
    out->left = n;
    return true;
}

static void push(uint16_t *arr, size_t *n, unsigned v)
{
    if (*n < LOGPARSE_CH_MAX)
        arr[(*n)++] = (uint16_t)v;
}

static void list16(rd_t body, uint16_t *arr, size_t *n)
{
    unsigned len, v;
    rd_t l;
    if (!u16(&body, &len) || !sub(&body, len, &l))
        return;
    while (u16(&l, &v))
        push(arr, n, v);
}

static void decode_sni(rd_t body, logparse_clienthello_t *ch)
{
    unsigned list_len, type, name_len;
    rd_t l;
    const unsigned char *name;
    if (!u16(&body, &list_len) || !sub(&body, list_len, &l))
        return;
    while (u8(&l, &type) && u16(&l, &name_len) && take(&l, name_len, &name)) {
        if (type != 0 || name_len == 0 || name_len >= sizeof ch->sni)
            continue;
        for (unsigned i = 0; i < name_len; i++)
            ch->sni[i] = (name[i] >= 0x21 && name[i] < 0x7F) ? (char)name[i] : '?';
        ch->sni[name_len] = '\0';
        ch->has_sni = true;
        return;
    }
}

/* supported_versions (43): a 1-byte length, then versions. */
static void decode_versions(rd_t body, logparse_clienthello_t *ch)
{
    unsigned len, v;
    rd_t l;
    if (!u8(&body, &len) || !sub(&body, len, &l))
        return;
    while (u16(&l, &v))
        ch->offers_tls13 |= v == 0x0304;
}

/* key_share (51): entries of group, 2-byte key length, key. */
static void decode_key_shares(rd_t body, logparse_clienthello_t *ch)
{
    unsigned len, group, klen;
    rd_t l, key;
    if (!u16(&body, &len) || !sub(&body, len, &l))
        return;
    while (u16(&l, &group) && u16(&l, &klen) && sub(&l, klen, &key))
        if (ch->n_key_shares < sizeof ch->key_shares / sizeof ch->key_shares[0])
            ch->key_shares[ch->n_key_shares++] = (uint16_t)group;
}

/* lenient: mbedTLS 3.x dumps 'client hello extensions' with the length of the extensions
 * but starting at their 2-byte length field, so the dump is 2 bytes short. */
static int decode_extensions(rd_t *r, logparse_clienthello_t *ch, bool lenient)
{
    unsigned total, type, len;
    rd_t exts, body;
    if (!u16(r, &total))
        return -1;
    if (lenient && total > r->left)
        total = (unsigned)r->left;
    if (!sub(r, total, &exts))
        return -1;
    while (exts.left > 0) {
        if (!u16(&exts, &type))
            return lenient ? 0 : -1;
        if (!u16(&exts, &len) || !sub(&exts, len, &body)) {
            if (!lenient)
                return -1;
            push(ch->extensions, &ch->n_extensions, type);
            return 0;
        }
        push(ch->extensions, &ch->n_extensions, type);
        if (type == 0)
            decode_sni(body, ch);
        else if (type == 10)
            list16(body, ch->groups, &ch->n_groups);
        else if (type == 13)
            list16(body, ch->sigalgs, &ch->n_sigalgs);
        else if (type == 43)
            decode_versions(body, ch);
        else if (type == 51)
            decode_key_shares(body, ch);
    }
    return 0;
}

int logparse_decode_clienthello(const unsigned char *buf, size_t len, bool extensions_only,
                                logparse_clienthello_t *out)
{
    memset(out, 0, sizeof *out);
    if (!buf)
        return -1;
    rd_t r = {buf, len};
    if (extensions_only) {
        if (decode_extensions(&r, out, true) != 0)
            return -1;
        out->present = true;
        return 0;
    }
    unsigned v, n;
    /* Strip a record header (type 22) and a handshake header (type 1) when present. */
    if (len >= 5 && buf[0] == 0x16 && buf[1] == 0x03) {
        take(&r, 3, NULL);
        if (!u16(&r, &n))
            return -1;
        if (n < r.left)
            r.left = n; /* other records may follow */
    }
    if (r.left >= 4 && r.p[0] == 0x01) {
        take(&r, 1, NULL);
        const unsigned char *l3;
        take(&r, 3, &l3);
        size_t hl = (size_t)l3[0] << 16 | (size_t)l3[1] << 8 | l3[2];
        if (hl < r.left)
            r.left = hl;
    }
    if (!u16(&r, &v) || (v >> 8) != 3 || !take(&r, 32, NULL))
        return -1;
    out->version = (uint16_t)v;
    if (!u8(&r, &n) || n > 32 || !take(&r, n, NULL))
        return -1;
    rd_t suites;
    if (!u16(&r, &n) || (n & 1) || !sub(&r, n, &suites))
        return -1;
    while (u16(&suites, &v))
        push(out->suites, &out->n_suites, v);
    out->has_suites = true;
    if (!u8(&r, &n) || !take(&r, n, NULL))
        return -1;
    if (r.left > 0 && decode_extensions(&r, out, false) != 0)
        return -1;
    out->present = true;
    return 0;
}

static const struct {
    int id;
    const char *name;
} ext_names[] = {
    {0, "server_name"},
    {1, "max_fragment_length"},
    {4, "truncated_hmac"},
    {5, "status_request"},
    {10, "supported_groups"},
    {11, "ec_point_formats"},
    {13, "signature_algorithms"},
    {14, "use_srtp"},
    {15, "heartbeat"},
    {16, "application_layer_protocol_negotiation"},
    {18, "signed_certificate_timestamp"},
    {21, "padding"},
    {22, "encrypt_then_mac"},
    {23, "extended_master_secret"},
    {28, "record_size_limit"},
    {35, "session_ticket"},
    {41, "pre_shared_key"},
    {42, "early_data"},
    {43, "supported_versions"},
    {44, "cookie"},
    {45, "psk_key_exchange_modes"},
    {51, "key_share"},
    {54, "connection_id"},
    {65281, "renegotiation_info"},
};

/* Names as mbedTLS 2.28 and 3.x log them when adding an extension. */
static const struct {
    const char *logged;
    int id;
} logged_ext[] = {
    {"server name", 0},
    {"max_fragment_length", 1},
    {"truncated_hmac", 4},
    {"supported_elliptic_curves", 10},
    {"supported_groups", 10},
    {"supported_point_formats", 11},
    {"signature_algorithms", 13},
    {"alpn", 16},
    {"encrypt_then_mac", 22},
    {"extended_master_secret", 23},
    {"record_size_limit", 28},
    {"session ticket", 35},
    {"supported versions", 43},
    {"cookie", 44},
    {"psk_key_exchange_modes", 45},
    {"key share", 51},
    {"CID", 54},
    {"renegotiation", 65281},
};

int lp_extension_id_from_name(const char *name)
{
    for (size_t i = 0; i < sizeof logged_ext / sizeof logged_ext[0]; i++) {
        if (strstr(name, logged_ext[i].logged))
            return logged_ext[i].id;
    }
    for (size_t i = 0; i < sizeof ext_names / sizeof ext_names[0]; i++) {
        if (strcmp(name, ext_names[i].name) == 0)
            return ext_names[i].id;
    }
    return -1;
}

const char *logparse_extension_name(int id)
{
    for (size_t i = 0; i < sizeof ext_names / sizeof ext_names[0]; i++) {
        if (ext_names[i].id == id)
            return ext_names[i].name;
    }
    return "unknown";
}

const char *logparse_group_name(int id)
{
    switch (id) {
    case 0x17:
        return "secp256r1";
    case 0x18:
        return "secp384r1";
    case 0x19:
        return "secp521r1";
    case 0x1a:
        return "brainpoolP256r1";
    case 0x1b:
        return "brainpoolP384r1";
    case 0x1c:
        return "brainpoolP512r1";
    case 0x1d:
        return "x25519";
    case 0x1e:
        return "x448";
    case 0x15:
        return "secp224r1";
    case 0x16:
        return "secp256k1";
    case 0x100:
        return "ffdhe2048";
    case 0x101:
        return "ffdhe3072";
    case 0x102:
        return "ffdhe4096";
    default:
        return "unknown";
    }
}

const char *logparse_alert_name(int desc)
{
    switch (desc) {
    case 0:
        return "close_notify";
    case 10:
        return "unexpected_message";
    case 20:
        return "bad_record_mac";
    case 22:
        return "record_overflow";
    case 40:
        return "handshake_failure";
    case 42:
        return "bad_certificate";
    case 43:
        return "unsupported_certificate";
    case 44:
        return "certificate_revoked";
    case 45:
        return "certificate_expired";
    case 46:
        return "certificate_unknown";
    case 47:
        return "illegal_parameter";
    case 48:
        return "unknown_ca";
    case 49:
        return "access_denied";
    case 50:
        return "decode_error";
    case 51:
        return "decrypt_error";
    case 70:
        return "protocol_version";
    case 71:
        return "insufficient_security";
    case 80:
        return "internal_error";
    case 86:
        return "inappropriate_fallback";
    case 90:
        return "user_canceled";
    case 109:
        return "missing_extension";
    case 110:
        return "unsupported_extension";
    case 112:
        return "unrecognized_name";
    case 116:
        return "certificate_required";
    case 120:
        return "no_application_protocol";
    default:
        return "unknown";
    }
}
