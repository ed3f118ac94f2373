/* JSON view of a parsed ClientHello: ids with names, decoded extensions, raw
 * bytes as hex. */
#include "clienthello.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tls_names.h"

static json_t *hex(const uint8_t *p, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    char *s = malloc(2 * n + 1);
    if (!s)
        return json_null();
    for (size_t i = 0; i < n; i++) {
        s[2 * i] = digits[p[i] >> 4];
        s[2 * i + 1] = digits[p[i] & 15];
    }
    s[2 * n] = 0;
    json_t *j = json_string(s);
    free(s);
    return j;
}

/* {"id": 49199, "hex": "0xc02f", "name": "..."}; name null when unknown. */
static json_t *named_id(uint16_t id, const char *name)
{
    char h[8];
    snprintf(h, sizeof h, "0x%04x", id);
    return json_pack("{s:i, s:s, s:o}", "id", (int)id, "hex", h, "name",
                     name ? json_string(name) : json_null());
}

static json_t *u16_list(const uint16_t *v, size_t n, const char *(*namer)(uint16_t))
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, named_id(v[i], namer ? namer(v[i]) : NULL));
    return a;
}

static bool printable(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
            return false;
    return true;
}

/* psk_key_exchange_modes as names ("psk_ke", "psk_dhe_ke"), unknown codes as numbers. */
static json_t *psk_modes(const clienthello_t *ch)
{
    json_t *a = json_array();
    for (size_t i = 0; i < ch->n_psk_modes; i++) {
        uint8_t m = ch->psk_modes[i];
        json_array_append_new(a, m == 0   ? json_string("psk_ke")
                                 : m == 1 ? json_string("psk_dhe_ke")
                                          : json_integer(m));
    }
    return a;
}

/* The TLS 1.3 fields as typed members (RFC 8446 4.2): what a 1.3 server
 * decides on, without walking the extension list. */
static json_t *tls13_fields(const clienthello_t *ch)
{
    uint16_t v[CH_MAX_LIST];
    size_t nv = clienthello_versions(ch, v, CH_MAX_LIST);
    bool offers13 = false;
    for (size_t i = 0; i < nv; i++)
        offers13 |= v[i] == 0x0304;
    json_t *shares = json_array();
    for (size_t i = 0; i < ch->n_key_shares; i++)
        json_array_append_new(
            shares, named_id(ch->key_shares[i].group, tls_group_name(ch->key_shares[i].group)));
    json_t *j = json_object();
    json_object_set_new(j, "offered", json_boolean(offers13));
    json_object_set_new(j, "supported_versions",
                        ch->has_versions ? u16_list(ch->versions, ch->n_versions, tls_version_name)
                                         : json_null());
    json_object_set_new(j, "key_share_groups", ch->has_key_share ? shares : json_null());
    if (!ch->has_key_share)
        json_decref(shares);
    json_object_set_new(j, "psk_key_exchange_modes",
                        ch->has_psk_modes ? psk_modes(ch) : json_null());
    json_object_set_new(j, "pre_shared_key",
                        ch->has_pre_shared_key
                            ? json_pack("{s:i}", "identities", (int)ch->n_psk_identities)
                            : json_null());
    json_object_set_new(j, "early_data", json_boolean(ch->has_early_data));
    json_object_set_new(j, "cookie", json_boolean(ch->has_cookie));
    return j;
}

/* Decoded content of the extensions this inspector understands. */
static json_t *decoded(const clienthello_t *ch, uint16_t type)
{
    switch (type) {
    case 0:
        return json_pack("{s:s}", "host_name", ch->sni);
    case 1:
        return json_pack("{s:i, s:i}", "code", ch->mfl, "bytes", 256 << ch->mfl);
    case 10:
        return u16_list(ch->groups, ch->n_groups, tls_group_name);
    case 11: {
        json_t *a = json_array();
        for (size_t i = 0; i < ch->n_point_formats; i++)
            json_array_append_new(a, json_integer(ch->point_formats[i]));
        return a;
    }
    case 13:
        return u16_list(ch->sigalgs, ch->n_sigalgs, tls_sigalg_name);
    case 16: {
        json_t *a = json_array();
        for (size_t i = 0; i < ch->n_alpn; i++)
            json_array_append_new(a, printable(ch->alpn[i])
                                         ? json_string(ch->alpn[i])
                                         : hex((const uint8_t *)ch->alpn[i], strlen(ch->alpn[i])));
        return a;
    }
    case 35:
        return json_pack("{s:i}", "ticket_length", ch->session_ticket_len);
    case 43:
        return u16_list(ch->versions, ch->n_versions, tls_version_name);
    case 51: {
        json_t *a = json_array();
        for (size_t i = 0; i < ch->n_key_shares; i++) {
            json_t *g = named_id(ch->key_shares[i].group, tls_group_name(ch->key_shares[i].group));
            json_object_set_new(g, "key_length", json_integer(ch->key_shares[i].len));
            json_array_append_new(a, g);
        }
        return a;
    }
    case 41:
        return json_pack("{s:i, s:i}", "identities", (int)ch->n_psk_identities,
                         "first_identity_length", (int)ch->psk_identity_len0);
    case 45:
        return psk_modes(ch);
    case 65281:
        return json_pack("{s:i}", "renegotiated_connection_length", ch->reneg_info_len);
    default:
        return NULL;
    }
}

json_t *clienthello_to_json(const clienthello_t *ch)
{
    if (!ch || !ch->raw)
        return json_null();
    json_t *j = json_object();
    if (ch->in_records)
        json_object_set_new(
            j, "record",
            json_pack("{s:o, s:i}", "version",
                      named_id(ch->record_version, tls_version_name(ch->record_version)), "count",
                      (int)ch->n_records));
    else
        json_object_set_new(j, "record", json_null());
    json_object_set_new(j, "legacy_version",
                        named_id(ch->legacy_version, tls_version_name(ch->legacy_version)));
    uint16_t v[CH_MAX_LIST];
    size_t nv = clienthello_versions(ch, v, CH_MAX_LIST);
    json_object_set_new(j, "versions", u16_list(v, nv, tls_version_name));
    json_object_set_new(j, "random", hex(ch->random, 32));
    json_object_set_new(j, "session_id", hex(ch->session_id, ch->session_id_len));
    json_object_set_new(j, "cipher_suites", u16_list(ch->suites, ch->n_suites, tls_suite_name));
    json_t *comp = json_array();
    for (size_t i = 0; i < ch->n_compressions; i++)
        json_array_append_new(comp, json_integer(ch->compressions[i]));
    json_object_set_new(j, "compression_methods", comp);
    json_object_set_new(j, "server_name",
                        ch->has_sni && ch->sni[0] ? json_string(ch->sni) : json_null());
    json_t *exts = json_array();
    for (size_t i = 0; i < ch->n_exts; i++) {
        const ch_extension_t *e = &ch->exts[i];
        json_t *x = named_id(e->type, tls_ext_name(e->type));
        json_object_set_new(x, "length", json_integer(e->len));
        json_object_set_new(x, "raw", hex(ch->raw + e->offset, e->len));
        json_t *d = decoded(ch, e->type);
        if (d)
            json_object_set_new(x, "decoded", d);
        json_array_append_new(exts, x);
    }
    json_object_set_new(j, "extensions", exts);
    json_object_set_new(j, "tls13", tls13_fields(ch));
    json_object_set_new(j, "raw", hex(ch->raw, ch->raw_len));
    return j;
}
