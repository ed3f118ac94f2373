/* server_view_t: names of the rules, filling from a parsed ClientHello, and
 * the edge reader for the JSON form server_conn.c writes. */
#include "server_view.h"

#include "policy.h"

#include <stdio.h>
#include <string.h>

static const char *const rule_names[SERVER_RULE__COUNT] = {
    [SERVER_RULE_UNKNOWN] = "unknown",
    [SERVER_RULE_OK] = "ok",
    [SERVER_RULE_VERSION] = "version",
    [SERVER_RULE_MISSING_EXTENSION] = "missing_extension",
    [SERVER_RULE_SNI_MISSING] = "sni_missing",
    [SERVER_RULE_SNI_UNLISTED] = "sni_unlisted",
    [SERVER_RULE_ECDHE_WITHOUT_GROUPS] = "ecdhe_without_groups",
    [SERVER_RULE_NO_SHARED_GROUP] = "no_shared_group",
    [SERVER_RULE_NO_SHARED_SUITE] = "no_shared_suite",
    [SERVER_RULE_LIVE_TLS13] = "live_tls13",
    [SERVER_RULE_MALFORMED_HELLO] = "parse",
    [SERVER_RULE_FIRST_FLIGHT] = "first_flight",
    [SERVER_RULE_NO_KEY_SHARE] = "no_key_share",
    [SERVER_RULE_PSK_MODE_MISMATCH] = "psk_mode_mismatch",
};

void server_view_init(server_view_t *v)
{
    memset(v, 0, sizeof *v);
    v->rule = SERVER_RULE_UNKNOWN;
    v->reaction = REACT_CONTINUE;
    v->refusal_alert = -1;
    v->alert_sent = -1;
    v->alert_received = -1;
}

const char *server_rule_name(server_rule_t r)
{
    return (unsigned)r < SERVER_RULE__COUNT ? rule_names[r] : "unknown";
}

server_rule_t server_rule_from_name(const char *name)
{
    for (unsigned i = 0; name && i < SERVER_RULE__COUNT; i++) {
        if (strcmp(rule_names[i], name) == 0)
            return (server_rule_t)i;
    }
    return SERVER_RULE_UNKNOWN;
}

void server_view_set_clienthello(server_view_t *v, const clienthello_t *ch)
{
    if (!ch)
        return;
    v->has_clienthello = true;
    v->sni_sent = ch->has_sni && ch->sni[0];
    snprintf(v->sni, sizeof v->sni, "%s", v->sni_sent ? ch->sni : "");
    v->n_extensions = 0;
    for (size_t i = 0; i < ch->n_exts && v->n_extensions < SERVER_VIEW_MAX_LIST; i++)
        v->extensions[v->n_extensions++] = ch->exts[i].type;
    v->groups_sent = ch->has_groups;
    v->n_groups = 0;
    for (size_t i = 0; i < ch->n_groups && v->n_groups < SERVER_VIEW_MAX_LIST; i++)
        v->groups[v->n_groups++] = ch->groups[i];
    v->n_suites = ch->n_suites;
    uint16_t vers[CH_MAX_LIST];
    size_t nv = clienthello_versions(ch, vers, CH_MAX_LIST);
    v->offers_tls13 = false;
    for (size_t i = 0; i < nv; i++)
        v->offers_tls13 |= vers[i] == 0x0304;
    v->n_key_share_groups = 0;
    for (size_t i = 0; i < ch->n_key_shares; i++)
        v->key_share_groups[v->n_key_share_groups++] = ch->key_shares[i].group;
    v->psk_modes_sent = ch->has_psk_modes;
    v->psk_ke = clienthello_offers_psk_mode(ch, 0);
    v->psk_dhe_ke = clienthello_offers_psk_mode(ch, 1);
    v->psk_offered = ch->has_pre_shared_key;
    v->early_data = ch->has_early_data;
    v->client_random_time = (uint32_t)ch->random[0] << 24 | (uint32_t)ch->random[1] << 16 |
                            (uint32_t)ch->random[2] << 8 | ch->random[3];
}

static int int_or(const json_t *j, int dflt)
{
    return json_is_integer(j) ? (int)json_integer_value(j) : dflt;
}

static void copy_str(char *dst, size_t cap, const json_t *j)
{
    snprintf(dst, cap, "%s", json_is_string(j) ? json_string_value(j) : "");
}

static reaction_kind_t reaction_from_name(const char *s)
{
    static const struct {
        const char *name;
        reaction_kind_t kind;
    } names[] = {{"alert", REACT_ALERT},
                 {"reset", REACT_RESET},
                 {"close", REACT_CLOSE},
                 {"silence", REACT_SILENCE}};
    for (size_t i = 0; s && i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(names[i].name, s) == 0)
            return names[i].kind;
    }
    return REACT_CONTINUE;
}

/* The "tls13" member clienthello_json.c writes. */
static void tls13_from_json(const json_t *t, server_view_t *v)
{
    size_t i;
    const json_t *x;
    v->offers_tls13 = json_is_true(json_object_get(t, "offered"));
    json_array_foreach(json_object_get(t, "key_share_groups"), i, x)
    {
        int gid = int_or(json_object_get(x, "id"), -1);
        if (gid >= 0 && gid <= 0xFFFF && v->n_key_share_groups < CH_MAX_KEY_SHARES)
            v->key_share_groups[v->n_key_share_groups++] = (uint16_t)gid;
    }
    const json_t *modes = json_object_get(t, "psk_key_exchange_modes");
    v->psk_modes_sent = json_is_array(modes);
    json_array_foreach(modes, i, x)
    {
        const char *m = json_string_value(x);
        v->psk_ke |= m && strcmp(m, "psk_ke") == 0;
        v->psk_dhe_ke |= m && strcmp(m, "psk_dhe_ke") == 0;
    }
    v->psk_offered = json_is_object(json_object_get(t, "pre_shared_key"));
    v->early_data = json_is_true(json_object_get(t, "early_data"));
}

static void clienthello_from_json(const json_t *ch, server_view_t *v)
{
    size_t i;
    const json_t *x;
    v->has_clienthello = true;
    if (json_is_object(json_object_get(ch, "tls13")))
        tls13_from_json(json_object_get(ch, "tls13"), v);
    const json_t *sni = json_object_get(ch, "server_name");
    v->sni_sent = json_is_string(sni) && json_string_length(sni) > 0;
    copy_str(v->sni, sizeof v->sni, sni);
    v->n_suites = json_array_size(json_object_get(ch, "cipher_suites"));
    json_array_foreach(json_object_get(ch, "extensions"), i, x)
    {
        int id = int_or(json_object_get(x, "id"), -1);
        if (id < 0 || id > 0xFFFF || v->n_extensions == SERVER_VIEW_MAX_LIST)
            continue;
        v->extensions[v->n_extensions++] = (uint16_t)id;
        if (id != 10)
            continue;
        v->groups_sent = true;
        size_t k;
        const json_t *g;
        json_array_foreach(json_object_get(x, "decoded"), k, g)
        {
            int gid = int_or(json_object_get(g, "id"), -1);
            if (gid >= 0 && gid <= 0xFFFF && v->n_groups < SERVER_VIEW_MAX_LIST)
                v->groups[v->n_groups++] = (uint16_t)gid;
        }
    }
}

int server_view_from_json(const json_t *view, server_view_t *out)
{
    server_view_init(out);
    if (!json_is_object(view))
        return -1;
    const json_t *ch = json_object_get(view, "clienthello");
    if (json_is_object(ch))
        clienthello_from_json(ch, out);
    const json_t *dec = json_object_get(view, "decision");
    if (json_is_object(dec)) {
        out->rule = server_rule_from_name(json_string_value(json_object_get(dec, "rule")));
        out->reaction = reaction_from_name(json_string_value(json_object_get(dec, "reaction")));
        out->refusal_alert =
            out->reaction == REACT_ALERT ? int_or(json_object_get(dec, "alert"), -1) : -1;
        out->chosen_suite = (uint16_t)int_or(json_object_get(dec, "suite_id"), 0);
        out->chosen_group = (uint16_t)int_or(json_object_get(dec, "group_id"), 0);
        out->hrr_expected = json_is_true(json_object_get(dec, "hello_retry"));
        out->psk_decision =
            (uint8_t)policy_psk_from_name(json_string_value(json_object_get(dec, "psk")));
    }
    const json_t *hs = json_object_get(view, "handshake");
    if (json_is_object(hs)) {
        out->handshake_ran = true;
        out->handshake_ret = int_or(json_object_get(hs, "ret"), 0);
        copy_str(out->version, sizeof out->version, json_object_get(hs, "version"));
        copy_str(out->suite, sizeof out->suite, json_object_get(hs, "suite"));
        out->hrr_sent = json_is_true(json_object_get(hs, "hello_retry_sent"));
        out->tls13_group = (uint16_t)int_or(json_object_get(hs, "group_id"), 0);
        out->resumed = json_is_true(json_object_get(hs, "resumed"));
        const char *mode = json_string_value(json_object_get(hs, "psk_mode"));
        out->psk_mode = !mode                             ? SERVER_PSK_MODE_NONE
                        : strcmp(mode, "psk_ke") == 0     ? SERVER_PSK_MODE_PSK_KE
                        : strcmp(mode, "psk_dhe_ke") == 0 ? SERVER_PSK_MODE_PSK_DHE_KE
                                                          : SERVER_PSK_MODE_NONE;
    }
    out->downgrade_sentinel = json_is_true(json_object_get(view, "downgrade_sentinel"));
    out->alert_sent = int_or(json_object_get(view, "alert_sent"), -1);
    out->alert_received = int_or(json_object_get(view, "alert_received"), -1);
    return 0;
}
