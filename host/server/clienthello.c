/* ClientHello reassembly from records and full parse; see clienthello.h. */
#include "clienthello.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tls_names.h"

#define CT_HANDSHAKE 22
#define HS_CLIENT_HELLO 1

static int fail(char *err, size_t errlen, int code, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return code;
}

/* Checks the 4-byte handshake header; sets *want to the whole message size. */
static int check_hs_header(const uint8_t hdr[4], size_t *want, char *err, size_t errlen)
{
    if (hdr[0] != HS_CLIENT_HELLO)
        return fail(err, errlen, CH_ERR_UNEXPECTED,
                    "first handshake message has type %u, not client_hello (1)", hdr[0]);
    size_t body = (size_t)hdr[1] << 16 | (size_t)hdr[2] << 8 | hdr[3];
    if (body > CH_MAX_HELLO_LEN)
        return fail(err, errlen, CH_ERR_LIMIT, "ClientHello of %zu bytes exceeds the limit of %d",
                    body, CH_MAX_HELLO_LEN);
    *want = 4 + body;
    return 0;
}

typedef struct walk {
    uint8_t *msg; /* NULL: only measure */
    size_t msg_len;
    size_t n_records;
    size_t consumed;
} walk_t;

/* Walks the records of the first flight, copying the handshake payload into
 * w->msg when set. Returns 0 when the whole ClientHello is present, >0 bytes
 * still needed (whole records), or CH_ERR_*. */
static int walk_records(const uint8_t *buf, size_t len, walk_t *w, char *err, size_t errlen)
{
    size_t pos = 0, got = 0, want = 4, records = 0;
    uint8_t hdr[4];
    if (len == 0)
        return 5;
    if (buf[0] & 0x80)
        return fail(err, errlen, CH_ERR_SSLV2,
                    "SSLv2-compatible ClientHello (first byte 0x%02x) is not supported", buf[0]);
    while (got < want) {
        if (records == CH_MAX_RECORDS)
            return fail(err, errlen, CH_ERR_LIMIT, "ClientHello spans more than %d records",
                        CH_MAX_RECORDS);
        if (len - pos < 5 && (len == pos || buf[pos] == CT_HANDSHAKE))
            return (int)(5 - (len - pos));
        const uint8_t *h = buf + pos;
        if (h[0] != CT_HANDSHAKE)
            return fail(err, errlen, records ? CH_ERR_UNEXPECTED : CH_ERR_NOT_TLS,
                        "record %zu: content type %u, expected handshake (22)", records, h[0]);
        if (h[1] != 3)
            return fail(err, errlen, CH_ERR_NOT_TLS, "record %zu: version %u.%u is not TLS",
                        records, h[1], h[2]);
        size_t rlen = (size_t)h[3] << 8 | h[4];
        if (rlen > CH_MAX_RECORD_LEN)
            return fail(err, errlen, CH_ERR_RECORD_OVERFLOW, "record %zu: length %zu exceeds 16384",
                        records, rlen);
        if (rlen == 0)
            return fail(err, errlen, CH_ERR_DECODE, "record %zu: empty handshake record", records);
        /* Look at what is there of the record first, so that a hostile
         * handshake header is refused before the rest arrives. */
        size_t avail = len - pos - 5 < rlen ? len - pos - 5 : rlen;
        for (size_t i = 0; i < avail && got < want; i++, got++) {
            if (got < 4)
                hdr[got] = h[5 + i];
            if (w->msg && got < w->msg_len)
                w->msg[got] = h[5 + i];
            if (got == 3) {
                int rc = check_hs_header(hdr, &want, err, errlen);
                if (rc)
                    return rc;
            }
        }
        if (avail < rlen)
            return (int)(rlen - avail);
        pos += 5 + rlen;
        records++;
    }
    w->msg_len = want;
    w->n_records = records;
    w->consumed = pos;
    return 0;
}

int clienthello_need(const uint8_t *buf, size_t len)
{
    walk_t w = {0};
    if (!buf && len)
        return CH_ERR_ARG;
    return walk_records(buf, len, &w, NULL, 0);
}

/* A bounds-checked reader over one byte range. */
typedef struct rd {
    const uint8_t *p;
    size_t left;
} rd_t;

static bool rd_u8(rd_t *r, uint8_t *v)
{
    if (r->left < 1)
        return false;
    *v = r->p[0];
    r->p++, r->left--;
    return true;
}

static bool rd_u16(rd_t *r, uint16_t *v)
{
    if (r->left < 2)
        return false;
    *v = (uint16_t)(r->p[0] << 8 | r->p[1]);
    r->p += 2, r->left -= 2;
    return true;
}

/* Splits off a sub-range of n bytes. */
static bool rd_sub(rd_t *r, size_t n, rd_t *sub)
{
    if (r->left < n)
        return false;
    sub->p = r->p;
    sub->left = n;
    r->p += n, r->left -= n;
    return true;
}

/* A vector with an 8- or 16-bit length prefix, at least min bytes long. */
static bool rd_vec(rd_t *r, int prefix_bytes, size_t min, rd_t *sub)
{
    size_t n;
    if (prefix_bytes == 1) {
        uint8_t v;
        if (!rd_u8(r, &v))
            return false;
        n = v;
    } else {
        uint16_t v;
        if (!rd_u16(r, &v))
            return false;
        n = v;
    }
    return n >= min && rd_sub(r, n, sub);
}

/* Reads a list of 16-bit values (groups, signature algorithms, versions). */
static int rd_u16_list(rd_t *r, int prefix_bytes, uint16_t *out, size_t *n, const char *what,
                       char *err, size_t errlen)
{
    rd_t v;
    if (!rd_vec(r, prefix_bytes, 2, &v) || v.left % 2 || r->left)
        return fail(err, errlen, CH_ERR_DECODE, "%s: bad list length", what);
    if (v.left / 2 > CH_MAX_LIST)
        return fail(err, errlen, CH_ERR_LIMIT, "%s: more than %d entries", what, CH_MAX_LIST);
    *n = 0;
    while (v.left)
        rd_u16(&v, &out[(*n)++]);
    return 0;
}

static int parse_sni(rd_t *r, clienthello_t *ch, char *err, size_t errlen)
{
    rd_t list;
    if (!rd_vec(r, 2, 1, &list) || r->left)
        return fail(err, errlen, CH_ERR_DECODE, "server_name: bad list length");
    while (list.left) {
        uint8_t type;
        rd_t name;
        if (!rd_u8(&list, &type) || !rd_vec(&list, 2, 1, &name))
            return fail(err, errlen, CH_ERR_DECODE, "server_name: bad entry length");
        if (type != 0)
            continue; /* only host_name is defined */
        if (ch->has_sni && ch->sni[0])
            return fail(err, errlen, CH_ERR_ILLEGAL, "server_name: two host_name entries");
        if (name.left >= CH_SNI_LEN)
            return fail(err, errlen, CH_ERR_DECODE, "server_name: host name of %zu bytes",
                        name.left);
        /* Not a valid DNS name is still a name: servers answer "mbed TLS Server 1"
         * as an unknown host (alert 40 at Google), so only control bytes are illegal. */
        for (size_t i = 0; i < name.left; i++)
            if (name.p[i] < 0x20 || name.p[i] >= 0x7f)
                return fail(err, errlen, CH_ERR_ILLEGAL, "server_name: byte 0x%02x in host name",
                            name.p[i]);
        memcpy(ch->sni, name.p, name.left);
        ch->sni[name.left] = 0;
    }
    ch->has_sni = true;
    return 0;
}

static int parse_alpn(rd_t *r, clienthello_t *ch, char *err, size_t errlen)
{
    rd_t list;
    if (!rd_vec(r, 2, 2, &list) || r->left)
        return fail(err, errlen, CH_ERR_DECODE, "ALPN: bad list length");
    while (list.left) {
        rd_t name;
        if (!rd_vec(&list, 1, 1, &name))
            return fail(err, errlen, CH_ERR_DECODE, "ALPN: bad protocol name length");
        if (ch->n_alpn == CH_MAX_ALPN)
            return fail(err, errlen, CH_ERR_LIMIT, "ALPN: more than %d protocols", CH_MAX_ALPN);
        /* Names are kept as bytes; the JSON writer escapes what is not text. */
        memcpy(ch->alpn[ch->n_alpn], name.p, name.left);
        ch->alpn[ch->n_alpn][name.left] = 0;
        ch->n_alpn++;
    }
    ch->has_alpn = true;
    return 0;
}

static int parse_key_share(rd_t *r, clienthello_t *ch, char *err, size_t errlen)
{
    rd_t list;
    if (!rd_vec(r, 2, 0, &list) || r->left)
        return fail(err, errlen, CH_ERR_DECODE, "key_share: bad list length");
    while (list.left) {
        uint16_t group;
        rd_t key;
        if (!rd_u16(&list, &group) || !rd_vec(&list, 2, 1, &key))
            return fail(err, errlen, CH_ERR_DECODE, "key_share: bad entry length");
        for (size_t i = 0; i < ch->n_key_shares; i++)
            if (ch->key_shares[i].group == group)
                return fail(err, errlen, CH_ERR_ILLEGAL, "key_share: group 0x%04x twice", group);
        if (ch->n_key_shares == CH_MAX_KEY_SHARES)
            return fail(err, errlen, CH_ERR_LIMIT, "key_share: more than %d entries",
                        CH_MAX_KEY_SHARES);
        ch->key_shares[ch->n_key_shares].group = group;
        ch->key_shares[ch->n_key_shares].len = (uint16_t)key.left;
        ch->n_key_shares++;
    }
    ch->has_key_share = true;
    return 0;
}

/* pre_shared_key (41): identities (ticket, obfuscated age), then binders. */
static int parse_psk(rd_t *r, clienthello_t *ch, char *err, size_t errlen)
{
    rd_t ids, binders;
    if (!rd_vec(r, 2, 7, &ids))
        return fail(err, errlen, CH_ERR_DECODE, "pre_shared_key: bad identities length");
    while (ids.left) {
        rd_t id, age;
        if (!rd_vec(&ids, 2, 1, &id) || !rd_sub(&ids, 4, &age))
            return fail(err, errlen, CH_ERR_DECODE, "pre_shared_key: bad identity");
        if (ch->n_psk_identities == 0)
            ch->psk_identity_len0 = (uint32_t)id.left;
        if (++ch->n_psk_identities > CH_MAX_KEY_SHARES)
            return fail(err, errlen, CH_ERR_LIMIT, "pre_shared_key: more than %d identities",
                        CH_MAX_KEY_SHARES);
    }
    if (!rd_vec(r, 2, 33, &binders) || r->left)
        return fail(err, errlen, CH_ERR_DECODE, "pre_shared_key: bad binders length");
    size_t n_binders = 0;
    while (binders.left) {
        rd_t b;
        if (!rd_vec(&binders, 1, 32, &b))
            return fail(err, errlen, CH_ERR_DECODE, "pre_shared_key: bad binder");
        n_binders++;
    }
    if (n_binders != ch->n_psk_identities)
        return fail(err, errlen, CH_ERR_ILLEGAL, "pre_shared_key: %zu identities, %zu binders",
                    ch->n_psk_identities, n_binders);
    ch->has_pre_shared_key = true;
    return 0;
}

/* Decodes one known extension; unknown ones are only kept raw. */
static int parse_extension(uint16_t type, rd_t r, clienthello_t *ch, char *err, size_t errlen)
{
    rd_t v;
    switch (type) {
    case 0:
        return parse_sni(&r, ch, err, errlen);
    case 1:
        if (r.left != 1)
            return fail(err, errlen, CH_ERR_DECODE, "max_fragment_length: length %zu", r.left);
        if (r.p[0] < 1 || r.p[0] > 4)
            return fail(err, errlen, CH_ERR_ILLEGAL, "max_fragment_length: value %u", r.p[0]);
        ch->has_mfl = true;
        ch->mfl = r.p[0];
        return 0;
    case 10:
        ch->has_groups = true;
        return rd_u16_list(&r, 2, ch->groups, &ch->n_groups, "supported_groups", err, errlen);
    case 11:
        if (!rd_vec(&r, 1, 1, &v) || r.left)
            return fail(err, errlen, CH_ERR_DECODE, "ec_point_formats: bad list length");
        if (v.left > CH_MAX_LIST)
            return fail(err, errlen, CH_ERR_LIMIT, "ec_point_formats: too many entries");
        memcpy(ch->point_formats, v.p, v.left);
        ch->n_point_formats = v.left;
        ch->has_point_formats = true;
        return 0;
    case 13:
        ch->has_sigalgs = true;
        return rd_u16_list(&r, 2, ch->sigalgs, &ch->n_sigalgs, "signature_algorithms", err, errlen);
    case 16:
        return parse_alpn(&r, ch, err, errlen);
    case 22:
    case 23:
        if (r.left != 0)
            return fail(err, errlen, CH_ERR_DECODE, "%s: must be empty, has %zu bytes",
                        tls_ext_name(type), r.left);
        if (type == 22)
            ch->has_etm = true;
        else
            ch->has_ems = true;
        return 0;
    case 35:
        ch->has_session_ticket = true;
        ch->session_ticket_len = (uint16_t)r.left;
        return 0;
    case 41:
        return parse_psk(&r, ch, err, errlen);
    case 42:
        if (r.left != 0)
            return fail(err, errlen, CH_ERR_DECODE, "early_data: must be empty in a ClientHello");
        ch->has_early_data = true;
        return 0;
    case 44:
        if (!rd_vec(&r, 2, 1, &v) || r.left)
            return fail(err, errlen, CH_ERR_DECODE, "cookie: bad length");
        ch->has_cookie = true;
        return 0;
    case 45:
        if (!rd_vec(&r, 1, 1, &v) || r.left)
            return fail(err, errlen, CH_ERR_DECODE, "psk_key_exchange_modes: bad list length");
        if (v.left > CH_MAX_LIST)
            return fail(err, errlen, CH_ERR_LIMIT, "psk_key_exchange_modes: too many entries");
        memcpy(ch->psk_modes, v.p, v.left);
        ch->n_psk_modes = v.left;
        ch->has_psk_modes = true;
        return 0;
    case 43:
        ch->has_versions = true;
        return rd_u16_list(&r, 1, ch->versions, &ch->n_versions, "supported_versions", err, errlen);
    case 51:
        return parse_key_share(&r, ch, err, errlen);
    case 65281:
        if (!rd_vec(&r, 1, 0, &v) || r.left)
            return fail(err, errlen, CH_ERR_DECODE, "renegotiation_info: bad length");
        ch->has_reneg_info = true;
        ch->reneg_info_len = (uint8_t)v.left;
        return 0;
    default:
        return 0;
    }
}

static int parse_extensions(rd_t *r, clienthello_t *ch, char *err, size_t errlen)
{
    rd_t block;
    if (r->left == 0)
        return 0; /* no extensions at all: allowed (RFC 5246 7.4.1.2) */
    if (!rd_vec(r, 2, 0, &block) || r->left)
        return fail(err, errlen, CH_ERR_DECODE,
                    "extensions: block length does not match the message");
    ch->has_ext_block = true;
    while (block.left) {
        uint16_t type;
        rd_t data;
        if (ch->has_pre_shared_key)
            return fail(err, errlen, CH_ERR_ILLEGAL,
                        "pre_shared_key is not the last extension (RFC 8446 4.2.11)");
        if (!rd_u16(&block, &type) || !rd_vec(&block, 2, 0, &data))
            return fail(err, errlen, CH_ERR_DECODE, "extension %zu: length past the end",
                        ch->n_exts);
        for (size_t i = 0; i < ch->n_exts; i++)
            if (ch->exts[i].type == type)
                return fail(err, errlen, CH_ERR_ILLEGAL, "extension %u (%s) appears twice", type,
                            tls_ext_name(type) ? tls_ext_name(type) : "unknown");
        if (ch->n_exts == CH_MAX_EXTS)
            return fail(err, errlen, CH_ERR_LIMIT, "more than %d extensions", CH_MAX_EXTS);
        ch_extension_t *e = &ch->exts[ch->n_exts++];
        e->type = type;
        e->len = (uint16_t)data.left;
        e->offset = (uint32_t)(data.p - ch->raw);
        int rc = parse_extension(type, data, ch, err, errlen);
        if (rc)
            return rc;
    }
    return 0;
}

static int parse_body(clienthello_t *ch, char *err, size_t errlen)
{
    rd_t r = {ch->raw + 4, ch->raw_len - 4}, v;
    if (!rd_u16(&r, &ch->legacy_version) || !rd_sub(&r, 32, &v))
        return fail(err, errlen, CH_ERR_DECODE, "too short for version and random");
    if ((ch->legacy_version >> 8) != 3)
        return fail(err, errlen, CH_ERR_DECODE, "client_version 0x%04x is not TLS",
                    ch->legacy_version);
    memcpy(ch->random, v.p, 32);
    if (!rd_vec(&r, 1, 0, &v) || v.left > 32)
        return fail(err, errlen, CH_ERR_DECODE, "session id: bad length");
    memcpy(ch->session_id, v.p, v.left);
    ch->session_id_len = v.left;
    if (!rd_vec(&r, 2, 0, &v) || v.left % 2)
        return fail(err, errlen, CH_ERR_DECODE, "cipher suites: bad length");
    if (v.left == 0)
        return fail(err, errlen, CH_ERR_DECODE, "cipher suites: empty list");
    if (v.left / 2 > CH_MAX_SUITES)
        return fail(err, errlen, CH_ERR_LIMIT, "more than %d cipher suites", CH_MAX_SUITES);
    while (v.left) {
        uint16_t s = 0;
        rd_u16(&v, &s);
        ch->suites[ch->n_suites++] = s;
        ch->scsv_reneg |= s == 0x00ff;
        ch->scsv_fallback |= s == 0x5600;
    }
    if (!rd_vec(&r, 1, 1, &v))
        return fail(err, errlen, CH_ERR_DECODE, "compression methods: bad length");
    if (v.left > CH_MAX_COMPRESSIONS)
        return fail(err, errlen, CH_ERR_LIMIT, "more than %d compression methods",
                    CH_MAX_COMPRESSIONS);
    memcpy(ch->compressions, v.p, v.left);
    ch->n_compressions = v.left;
    if (!memchr(ch->compressions, 0, ch->n_compressions))
        return fail(err, errlen, CH_ERR_ILLEGAL, "compression methods lack null (0)");
    return parse_extensions(&r, ch, err, errlen);
}

int clienthello_parse(const uint8_t *buf, size_t len, clienthello_t *out, char *err, size_t errlen)
{
    if (!out)
        return fail(err, errlen, CH_ERR_ARG, "no output");
    memset(out, 0, sizeof *out);
    if (!buf && len)
        return fail(err, errlen, CH_ERR_ARG, "no input");
    if (err && errlen)
        err[0] = 0;
    walk_t w = {0};
    size_t want = 0; /* set by check_hs_header on success (-O3 cannot see it) */
    if (len > 0 && buf[0] == HS_CLIENT_HELLO) {
        /* A bare handshake message, as stored in replay files. */
        if (len < 4)
            return fail(err, errlen, CH_ERR_TRUNCATED, "truncated handshake header");
        int rc = check_hs_header(buf, &want, err, errlen);
        if (rc)
            return rc;
        if (len < want)
            return fail(err, errlen, CH_ERR_TRUNCATED, "truncated: %zu more bytes needed",
                        want - len);
        if (!(out->raw = malloc(want)))
            return fail(err, errlen, CH_ERR_LIMIT, "out of memory");
        memcpy(out->raw, buf, want);
        out->raw_len = want;
        out->consumed = want;
    } else {
        int rc = walk_records(buf, len, &w, err, errlen);
        if (rc > 0)
            return fail(err, errlen, CH_ERR_TRUNCATED, "truncated: at least %d more bytes needed",
                        rc);
        if (rc < 0)
            return rc;
        if (!(w.msg = malloc(w.msg_len)))
            return fail(err, errlen, CH_ERR_LIMIT, "out of memory");
        walk_records(buf, len, &w, NULL, 0);
        out->raw = w.msg;
        out->raw_len = w.msg_len;
        out->in_records = true;
        out->n_records = w.n_records;
        out->record_version = (uint16_t)(buf[1] << 8 | buf[2]);
        out->consumed = w.consumed;
    }
    return parse_body(out, err, errlen);
}

size_t clienthello_reframe(const uint8_t *buf, size_t len, const clienthello_t *ch, uint8_t *out,
                           size_t out_cap)
{
    if (!buf || !ch || !out || !ch->in_records || ch->n_records == 0 || ch->consumed > len ||
        ch->raw_len > CH_MAX_RECORD_LEN)
        return 0;
    /* The consumed records carry the hello, then `after` more handshake
     * bytes at the end of the last one. */
    size_t payload = ch->consumed - 5 * ch->n_records;
    if (payload < ch->raw_len)
        return 0;
    size_t after = payload - ch->raw_len;
    size_t need = 5 + ch->raw_len + (after ? 5 + after : 0) + (len - ch->consumed);
    if (need > out_cap)
        return 0;
    uint8_t *p = out;
    const uint8_t hdr[5] = {22, buf[1], buf[2], (uint8_t)(ch->raw_len >> 8), (uint8_t)ch->raw_len};
    memcpy(p, hdr, 5);
    memcpy(p + 5, ch->raw, ch->raw_len);
    p += 5 + ch->raw_len;
    if (after) {
        const uint8_t h2[5] = {22, buf[1], buf[2], (uint8_t)(after >> 8), (uint8_t)after};
        memcpy(p, h2, 5);
        memcpy(p + 5, buf + ch->consumed - after, after);
        p += 5 + after;
    }
    memcpy(p, buf + ch->consumed, len - ch->consumed);
    p += len - ch->consumed;
    return (size_t)(p - out);
}

void clienthello_free(clienthello_t *ch)
{
    if (!ch)
        return;
    free(ch->raw);
    ch->raw = NULL;
    ch->raw_len = 0;
}
