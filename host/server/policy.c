/* Policy checks in the order a real server meets them: version, required
 * extensions, SNI, then suite and group selection by server preference. */
#include "policy.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "tls_names.h"

/* Used when a profile lists no groups: modern preference, EC only. */
static const uint16_t default_groups[] = {0x001d, 0x0017, 0x0018, 0x0019, 0x001a, 0x001b, 0x001c};

chain_key_t policy_chain_key(const server_profile_t *p, size_t i)
{
    if (p->chain_keys[i].known)
        return p->chain_keys[i];
    const char *chain_name = p->chains[i];
    chain_key_t k = {false, false, 0};
    if (chain_name && strstr(chain_name, "ecdsa")) {
        k.ecdsa = true;
        k.curve = strstr(chain_name, "384") ? 0x0018 : strstr(chain_name, "521") ? 0x0019 : 0x0017;
    }
    return k;
}

size_t policy_server_suites(const server_profile_t *p, uint16_t *out, size_t max)
{
    size_t n = 0;
    if (p->n_suites) {
        for (size_t i = 0; i < p->n_suites && n < max; i++)
            out[n++] = p->suites[i];
        return n;
    }
    unsigned count;
    const tls_suite_info_t *t = tls_suite_table(&count);
    for (unsigned i = 0; i < count && n < max; i++) {
        tls_kx_t kx = tls_suite_kx(t[i].id);
        if (kx != TLS_KX_OTHER && kx != TLS_KX_SCSV && kx != TLS_KX_ECDH_RSA &&
            kx != TLS_KX_ECDH_ECDSA)
            out[n++] = t[i].id;
    }
    return n;
}

size_t policy_server_groups(const server_profile_t *p, uint16_t *out, size_t max)
{
    size_t n = 0;
    if (p->n_groups) {
        for (size_t i = 0; i < p->n_groups && n < max; i++)
            out[n++] = p->groups[i];
        return n;
    }
    for (size_t i = 0; i < sizeof default_groups / sizeof default_groups[0] && n < max; i++)
        out[n++] = default_groups[i];
    return n;
}

static void vnames(char *buf, size_t len, uint16_t v)
{
    const char *n = tls_version_name(v);
    if (n)
        snprintf(buf, len, "%s", n);
    else
        snprintf(buf, len, "0x%04x", v);
}

/* Sets a refusal. A CONTINUE reaction means "ignore this check" unless the
 * check cannot be ignored (fallback_alert != 0: no suite or version to go on
 * with), then the fallback alert is sent. Returns true when refused. */
static bool refuse(policy_decision_t *out, reaction_t r, uint8_t fallback_alert, const char *rule,
                   const char *fmt, ...)
{
    if (r.kind == REACT_CONTINUE) {
        if (!fallback_alert)
            return false;
        r.kind = REACT_ALERT;
        r.alert = fallback_alert;
    }
    out->reaction = r;
    out->rule = rule;
    out->chosen_suite = 0;
    out->chosen_group = 0;
    out->hello_retry = false;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->reason, sizeof out->reason, fmt, ap);
    va_end(ap);
    return true;
}

static uint16_t pick_version(const server_profile_t *p, const clienthello_t *ch)
{
    uint16_t lo = p->min_version ? p->min_version : 0x0303;
    uint16_t hi = p->max_version ? p->max_version : 0x0303;
    uint16_t v[CH_MAX_LIST], best = 0;
    size_t n = clienthello_versions(ch, v, CH_MAX_LIST);
    for (size_t i = 0; i < n; i++)
        if (v[i] >= lo && v[i] <= hi && v[i] > best)
            best = v[i];
    return best;
}

static bool check_version(const server_profile_t *p, const clienthello_t *ch,
                          policy_decision_t *out)
{
    out->version = pick_version(p, ch);
    if (out->version)
        return false;
    uint16_t v[CH_MAX_LIST];
    size_t n = clienthello_versions(ch, v, CH_MAX_LIST);
    char lo[16], hi[16], cmax[16] = "none";
    uint16_t top = 0;
    for (size_t i = 0; i < n; i++)
        top = v[i] > top ? v[i] : top;
    if (top)
        vnames(cmax, sizeof cmax, top);
    vnames(lo, sizeof lo, p->min_version ? p->min_version : 0x0303);
    vnames(hi, sizeof hi, p->max_version ? p->max_version : 0x0303);
    return refuse(out, p->on_version_mismatch, 70, "version",
                  "no common protocol version: client offers up to %s%s, server accepts %s..%s",
                  cmax, ch->has_versions ? "" : " (no supported_versions)", lo, hi);
}

static bool check_extensions(const server_profile_t *p, const clienthello_t *ch,
                             policy_decision_t *out)
{
    for (size_t i = 0; i <= p->n_required_exts; i++) {
        uint16_t t;
        if (i < p->n_required_exts)
            t = p->required_exts[i];
        else if (p->ems_required)
            t = 23; /* extended_master_secret */
        else
            break;
        if (clienthello_has_ext(ch, t))
            continue;
        const char *n = tls_ext_name(t);
        if (refuse(out, p->on_missing_ext, 0, "missing_extension",
                   "required extension %s (%u) missing", n ? n : "unknown", t))
            return true;
    }
    return false;
}

static bool check_sni(const server_profile_t *p, const clienthello_t *ch, policy_decision_t *out)
{
    if (p->n_sni_allow == 0)
        return false;
    if (!ch->has_sni || !ch->sni[0])
        return refuse(out, p->on_sni_missing, 0, "sni_missing",
                      "no server_name; server serves only listed names");
    for (size_t i = 0; i < p->n_sni_allow; i++)
        if (strcasecmp(p->sni_allow[i], ch->sni) == 0)
            return false;
    return refuse(out, p->on_sni_unlisted, 0, "sni_unlisted", "server_name \"%s\" is not served",
                  ch->sni);
}

/* Why the suite search found nothing, for the reaction and the reason. */
typedef struct search {
    bool any_offered;   /* some server suite is offered by the client at all */
    bool blocked_noext; /* an EC suite needed supported_groups, which is absent */
    bool blocked_group; /* an EC suite found no common group */
    bool blocked_cert;  /* a suite needs a certificate type the server lacks */
    bool psk_mismatch;  /* TLS 1.3 without a key exchange group, a ticket whose PSK modes the
                           server does not resume with (issue 17 psk13) */
} search_t;

static uint16_t first_shared_group(const uint16_t *g, size_t ng, const clienthello_t *ch,
                                   bool ec_only)
{
    for (size_t i = 0; i < ng; i++)
        if ((!ec_only || tls_group_is_ec(g[i])) && clienthello_offers_group(ch, g[i]))
            return g[i];
    return 0;
}

/* TLS 1.3: the first server group the client sent a key share for (no
 * round trip, what mbedTLS 3.6 and most servers do). */
static uint16_t first_key_share_group(const uint16_t *g, size_t ng, const clienthello_t *ch)
{
    for (size_t i = 0; i < ng; i++)
        if (clienthello_shares_key(ch, g[i]) && clienthello_offers_group(ch, g[i]))
            return g[i];
    return 0;
}

static void choose_suite(const server_profile_t *p, const clienthello_t *ch, policy_decision_t *out,
                         search_t *why)
{
    uint16_t suites[PROFILE_MAX_SUITES + 128], groups[PROFILE_MAX_GROUPS + 8];
    size_t ns = policy_server_suites(p, suites, sizeof suites / sizeof suites[0]);
    size_t ng = policy_server_groups(p, groups, sizeof groups / sizeof groups[0]);
    bool have_rsa = p->n_chains == 0, have_ecdsa = false, ecdsa_curve_ok = false;
    for (size_t i = 0; i < p->n_chains; i++) {
        chain_key_t k = policy_chain_key(p, i);
        have_rsa |= !k.ecdsa;
        if (k.ecdsa) {
            have_ecdsa = true;
            /* TLS 1.2: the client must support the certificate's curve. */
            ecdsa_curve_ok |= clienthello_offers_group(ch, k.curve);
        }
    }
    uint16_t group12 = first_shared_group(groups, ng, ch, true);
    uint16_t group13 = first_key_share_group(groups, ng, ch);
    bool hrr = false;
    if (!group13 && (group13 = first_shared_group(groups, ng, ch, false)) != 0)
        hrr = true; /* supported, not key-shared: HelloRetryRequest */
    for (size_t i = 0; i < ns; i++) {
        uint16_t s = suites[i];
        if (!clienthello_offers_suite(ch, s))
            continue;
        tls_kx_t kx = tls_suite_kx(s);
        bool is13 = kx == TLS_KX_TLS13;
        if (is13 != (out->version == 0x0304) || tls_suite_min_version(s) > out->version)
            continue;
        why->any_offered = true;
        bool needs_group = is13 || kx == TLS_KX_ECDHE_RSA || kx == TLS_KX_ECDHE_ECDSA;
        bool cert_ok =
            is13 ? (have_rsa || have_ecdsa)
            : kx == TLS_KX_ECDHE_ECDSA
                ? have_ecdsa
                : (kx == TLS_KX_RSA || kx == TLS_KX_DHE_RSA || kx == TLS_KX_ECDHE_RSA) && have_rsa;
        if (!cert_ok) {
            why->blocked_cert = true;
            continue;
        }
        /* TLS 1.3 psk_ke: a resumption needs no group (a PSK-only client sends none). */
        if (is13 && !group13 && ch->has_pre_shared_key) {
            policy_psk_t psk = policy_tls13_psk(p, ch);
            bool psk_only = psk == POLICY_PSK_USABLE && clienthello_offers_psk_mode(ch, 0) &&
                            (p->tls13_psk_modes & PROFILE_PSK_KE);
            if (psk_only) {
                out->chosen_suite = s;
                return;
            }
            why->psk_mismatch |= psk == POLICY_PSK_MODE_MISMATCH;
        }
        if (needs_group && !ch->has_groups) {
            /* mbedTLS 2.28 servers skip EC suites when supported_groups is absent. */
            why->blocked_noext = true;
            continue;
        }
        uint16_t g = needs_group ? (is13 ? group13 : group12) : 0;
        if (needs_group && !g) {
            why->blocked_group = true;
            continue;
        }
        if (kx == TLS_KX_ECDHE_ECDSA && !ecdsa_curve_ok) {
            why->blocked_cert = true;
            continue;
        }
        out->chosen_suite = s;
        out->chosen_group = g;
        out->hello_retry = is13 && hrr;
        return;
    }
}

int policy_decide(const server_profile_t *p, const clienthello_t *ch, policy_decision_t *out)
{
    if (!p || !ch || !out)
        return -1;
    memset(out, 0, sizeof *out);
    out->reaction.kind = REACT_CONTINUE;
    out->rule = "ok";
    if (check_version(p, ch, out) || check_extensions(p, ch, out) || check_sni(p, ch, out))
        return 0;
    search_t why = {0};
    choose_suite(p, ch, out, &why);
    if (out->chosen_suite && out->hello_retry &&
        refuse(out, p->on_no_key_share, 0, "no_key_share",
               "TLS 1.3: no key share for a server group (%zu shares sent); the server sends no "
               "HelloRetryRequest",
               ch->n_key_shares))
        return 0;
    if (out->chosen_suite) {
        const char *n = tls_suite_name(out->chosen_suite);
        const char *g = tls_group_name(out->chosen_group);
        char v[16];
        vnames(v, sizeof v, out->version);
        snprintf(out->reason, sizeof out->reason, "%s with %s%s%s%s", v, n ? n : "suite",
                 out->chosen_group ? " on " : "", out->chosen_group ? (g ? g : "group") : "",
                 out->hello_retry ? " after HelloRetryRequest" : "");
        return 0;
    }
    /* RFC 8446 4.2.9: no PSK mode in common and no key share for a full handshake. */
    if (why.psk_mismatch) {
        refuse(out, (reaction_t){REACT_ALERT, 40}, 40, "psk_mode_mismatch",
               "TLS 1.3: the ticket's psk_key_exchange_modes hold no mode the server resumes "
               "with, and no key share for a full handshake");
        return 0;
    }
    if (why.blocked_noext &&
        refuse(out, p->on_ecdhe_without_groups, 0, "ecdhe_without_groups",
               "client offers only ECDHE suites the server shares, without supported_groups"))
        return 0;
    if (why.blocked_group) {
        refuse(out, p->on_no_shared_group, 40, "no_shared_group",
               "no named group in common for the shared ECDHE suites");
        return 0;
    }
    refuse(out, p->on_no_shared_suite, 40, "no_shared_suite",
           "no cipher suite in common (%zu offered by the client%s)", ch->n_suites,
           why.blocked_cert    ? "; some need a certificate type the server lacks"
           : why.blocked_noext ? "; EC suites need supported_groups"
                               : "");
    return 0;
}

/* Named groups the host's mbedTLS 2.28 knows (ecp_supported_curves with
 * Debian's config). Its server keeps only the first MBEDTLS_ECP_DP_MAX - 1
 * (11) of these from the client's supported_groups, in the client's order:
 * a group listed later is invisible to it. tests/server checks this table
 * against the library. */
static const uint16_t live_known_groups[] = {18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30};
#define LIVE_MAX_CLIENT_GROUPS 11

static bool live_knows_group(uint16_t g)
{
    for (size_t i = 0; i < sizeof live_known_groups / sizeof live_known_groups[0]; i++)
        if (live_known_groups[i] == g)
            return true;
    return false;
}

/* mbedTLS 2.28 reads a ClientHello only whole in one record of at most
 * MBEDTLS_SSL_IN_CONTENT_LEN bytes (the live server re-frames a hello split
 * over records, see clienthello_reframe()); tests/server checks the value. */
#define LIVE_MAX_HELLO 16384

size_t policy_live_max_hello(void)
{
    return LIVE_MAX_HELLO;
}

size_t policy_live_known_groups(const uint16_t **out)
{
    *out = live_known_groups;
    return sizeof live_known_groups / sizeof live_known_groups[0];
}

/* The client's groups as the live server sees them; false when unchanged. */
static bool live_visible_hello(const clienthello_t *ch, clienthello_t *seen)
{
    if (!ch->has_groups)
        return false;
    *seen = *ch; /* shallow: only read, never freed */
    seen->n_groups = 0;
    for (size_t i = 0; i < ch->n_groups && seen->n_groups < LIVE_MAX_CLIENT_GROUPS; i++)
        if (live_knows_group(ch->groups[i]))
            seen->groups[seen->n_groups++] = ch->groups[i];
    return seen->n_groups != ch->n_groups;
}

void policy_live_limits(const server_profile_t *p, const clienthello_t *ch, policy_decision_t *d)
{
    policy_live_limits_caps(p, ch, d, NULL);
}

void policy_live_limits_caps(const server_profile_t *p, const clienthello_t *ch,
                             policy_decision_t *d, const policy_live_caps_t *caps)
{
    if (!p || !ch || !d)
        return;
    /* Large structs, off the connection thread's stack. */
    static _Thread_local clienthello_t seen;
    static _Thread_local server_profile_t capped;
    if (d->reaction.kind == REACT_CONTINUE && ch->raw_len > LIVE_MAX_HELLO) {
        d->reaction = (reaction_t){.kind = REACT_ALERT, .alert = 40};
        d->rule = "live_hello_size";
        d->chosen_suite = 0;
        d->chosen_group = 0;
        d->hello_retry = false;
        snprintf(d->reason, sizeof d->reason,
                 "ClientHello of %zu bytes: the host's mbedTLS 2.28 takes at most %d in its one "
                 "record",
                 ch->raw_len, LIVE_MAX_HELLO);
        return;
    }
    /* TLS 1.3 goes to the mbedTLS 3.6 worker: none of 2.28's limits apply. */
    if (caps && caps->tls13 && d->reaction.kind == REACT_CONTINUE && d->version == 0x0304)
        return;
    const clienthello_t *use = ch;
    if (live_visible_hello(ch, &seen)) {
        use = &seen;
        policy_decide(p, use, d);
    }
    if (d->reaction.kind != REACT_CONTINUE || d->version < 0x0304)
        return;
    if (p->min_version < 0x0304) {
        capped = *p;
        capped.max_version = 0x0303;
        policy_decide(&capped, use, d);
        return;
    }
    d->reaction = (reaction_t){.kind = REACT_ALERT, .alert = 70};
    d->rule = "live_tls13";
    d->chosen_suite = 0;
    d->chosen_group = 0;
    d->hello_retry = false;
    snprintf(d->reason, sizeof d->reason,
             "TLS 1.3 only, and the host's mbedTLS 2.28 has no TLS 1.3 server");
}

static json_t *named(uint16_t id, const char *name)
{
    char h[8];
    snprintf(h, sizeof h, "0x%04x", id);
    return json_pack("{s:o, s:i, s:s}", "name", name ? json_string(name) : json_null(), "id",
                     (int)id, "hex", h);
}

policy_psk_t policy_tls13_psk(const server_profile_t *p, const clienthello_t *ch)
{
    if (!p || !ch || !ch->has_pre_shared_key)
        return POLICY_PSK_NONE;
    if (!p->session_tickets)
        return POLICY_PSK_NO_TICKETS;
    /* A PSK without psk_key_exchange_modes is refused by RFC 8446 4.2.9 too. */
    bool ke = clienthello_offers_psk_mode(ch, 0) && (p->tls13_psk_modes & PROFILE_PSK_KE);
    bool dhe = clienthello_offers_psk_mode(ch, 1) && (p->tls13_psk_modes & PROFILE_PSK_DHE_KE);
    return ke || dhe ? POLICY_PSK_USABLE : POLICY_PSK_MODE_MISMATCH;
}

static const char *const psk_names[POLICY_PSK__COUNT] = {"none", "usable", "mode_mismatch",
                                                         "no_tickets"};

const char *policy_psk_name(policy_psk_t v)
{
    return v < POLICY_PSK__COUNT ? psk_names[v] : "none";
}

policy_psk_t policy_psk_from_name(const char *name)
{
    for (int i = 0; name && i < POLICY_PSK__COUNT; i++)
        if (strcmp(name, psk_names[i]) == 0)
            return (policy_psk_t)i;
    return POLICY_PSK_NONE;
}

json_t *policy_decision_to_json(const policy_decision_t *d)
{
    static const char *answers[] = {"server_hello", "alert", "reset", "close", "silence"};
    unsigned k = (unsigned)d->reaction.kind;
    json_t *j = json_pack("{s:s}", "answer", k < 5 ? answers[k] : "unknown");
    if (d->reaction.kind == REACT_CONTINUE) {
        json_t *sh = json_object();
        json_object_set_new(sh, "suite",
                            json_string(tls_suite_name(d->chosen_suite)
                                            ? tls_suite_name(d->chosen_suite)
                                            : "unknown"));
        json_object_set_new(sh, "suite_id",
                            named(d->chosen_suite, tls_suite_name(d->chosen_suite)));
        json_object_set_new(
            sh, "version",
            json_string(tls_version_name(d->version) ? tls_version_name(d->version) : "unknown"));
        json_object_set_new(sh, "group",
                            d->chosen_group
                                ? named(d->chosen_group, tls_group_name(d->chosen_group))
                                : json_null());
        json_object_set_new(sh, "hello_retry", json_boolean(d->hello_retry));
        json_object_set_new(j, "server_hello", sh);
    } else if (d->reaction.kind == REACT_ALERT) {
        const char *n = tls_alert_name(d->reaction.alert);
        json_object_set_new(j, "alert",
                            json_pack("{s:s, s:s, s:i}", "level", "fatal", "description",
                                      n ? n : "unknown", "code", d->reaction.alert));
    }
    json_object_set_new(j, "rule", json_string(d->rule ? d->rule : "ok"));
    json_object_set_new(j, "reason", json_string(d->reason));
    return j;
}
