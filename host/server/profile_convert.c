/* A profile's YAML fields (profile_yaml.h) converted into server_profile_t:
 * names to ids, reactions, impairments, behaviours with their provenance,
 * every error naming the file, line and key. */
#include "profile_yaml.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tls_names.h"

int profile_fail(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* key is a path into the mapping ("suites", "impairments.1.kind"). */
static int bad(const conv_t *c, const char *key, const char *value, const char *what)
{
    unsigned line = c->cy ? config_yaml_value_line(c->cy, key, value) : c->min_version_line;
    char where[32] = "";
    if (line)
        snprintf(where, sizeof where, ":%u", line);
    return profile_fail(c->err, c->errlen, "%s%s: key '%s%s': %s%s%s%s", c->file, where, c->prefix,
                        key, what, value ? " \"" : "", value ? value : "", value ? "\"" : "");
}

static int copy_text(const conv_t *c, const char *key, const char *src, char *dst, size_t cap)
{
    if (!src)
        return 0;
    if (strlen(src) >= cap)
        return bad(c, key, NULL, "too long");
    snprintf(dst, cap, "%s", src);
    return 0;
}

static int conv_reaction(const conv_t *c, const char *key, const y_reaction_t *y, reaction_t *out)
{
    static const struct {
        const char *name;
        reaction_kind_t kind;
    } kinds[] = {{"continue", REACT_CONTINUE},
                 {"alert", REACT_ALERT},
                 {"reset", REACT_RESET},
                 {"close", REACT_CLOSE},
                 {"silence", REACT_SILENCE}};
    if (!y)
        return 0;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        if (strcmp(y->action, kinds[i].name) != 0)
            continue;
        reaction_t r = {kinds[i].kind, 0};
        if (r.kind == REACT_ALERT) {
            if (!y->alert)
                return bad(c, key, NULL, "action alert needs `alert: <description>`");
            if (!tls_alert_by_name(y->alert, &r.alert))
                return bad(c, key, y->alert, "unknown alert");
        } else if (y->alert) {
            return bad(c, key, y->alert, "`alert` only goes with action alert");
        }
        *out = r;
        return 0;
    }
    return bad(c, key, y->action, "unknown action (continue, alert, reset, close, silence)");
}

static int conv_impairment(const conv_t *c, unsigned index, const y_impair_t *y, impairment_t *out)
{
    char kind_key[48], hs_key[48];
    snprintf(kind_key, sizeof kind_key, "impairments.%u.kind", index);
    snprintf(hs_key, sizeof hs_key, "impairments.%u.hs_type", index);
    static const struct {
        const char *name;
        impair_kind_t kind;
    } kinds[] = {{"delay_before_flight", IMPAIR_DELAY_BEFORE_FLIGHT},
                 {"write_chunk", IMPAIR_WRITE_CHUNK},
                 {"split_records", IMPAIR_SPLIT_RECORDS},
                 {"reset_after", IMPAIR_RESET_AFTER},
                 {"close_after", IMPAIR_CLOSE_AFTER},
                 {"corrupt_record", IMPAIR_CORRUPT_RECORD},
                 {"downgrade_sentinel", IMPAIR_DOWNGRADE_SENTINEL}};
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(y->kind, kinds[i].name) == 0)
            out->kind = kinds[i].kind;
    if (out->kind == IMPAIR_NONE)
        return bad(c, kind_key, y->kind, "unknown impairment");
    out->flight = y->flight;
    out->delay_ms = y->delay_ms;
    out->bytes = y->bytes;
    out->record = y->record;
    if (y->hs_type && !tls_hs_type_by_name(y->hs_type, &out->hs_type))
        return bad(c, hs_key, y->hs_type, "unknown handshake message type");
    if ((out->kind == IMPAIR_RESET_AFTER || out->kind == IMPAIR_CLOSE_AFTER) && !y->hs_type)
        return bad(c, kind_key, NULL, "needs hs_type (reset_after / close_after)");
    return 0;
}

static int conv_version(const conv_t *c, const char *key, const char *s, uint16_t *out)
{
    if (s && !tls_version_by_name(s, out))
        return bad(c, key, s, "unknown version (TLS1.0 .. TLS1.3)");
    return 0;
}

/* Provenance of each behaviour: source and confidence are required by the
 * schema; here the confidence word and the keys it names are checked. */
static int conv_behaviours(const conv_t *c, const y_profile_t *y, server_profile_t *p)
{
    static const struct {
        const char *name;
        profile_confidence_t level;
    } levels[] = {
        {"high", CONFIDENCE_HIGH}, {"medium", CONFIDENCE_MEDIUM}, {"low", CONFIDENCE_LOW}};
    if (y->behaviours_count == 0)
        return bad(c, "behaviours", NULL, "empty: list at least one behaviour");
    if (y->behaviours_count > PROFILE_MAX_BEHAVIOURS)
        return bad(c, "behaviours", NULL, "too many behaviours");
    for (unsigned i = 0; i < y->behaviours_count; i++) {
        const y_behaviour_t *b = &y->behaviours[i];
        profile_behaviour_t *o = &p->behaviours[i];
        char what_key[48], source_key[48], decides_key[48], conf_key[48], keys_key[48];
        snprintf(what_key, sizeof what_key, "behaviours.%u.what", i);
        snprintf(source_key, sizeof source_key, "behaviours.%u.source", i);
        snprintf(decides_key, sizeof decides_key, "behaviours.%u.decides", i);
        snprintf(conf_key, sizeof conf_key, "behaviours.%u.confidence", i);
        snprintf(keys_key, sizeof keys_key, "behaviours.%u.keys", i);
        memset(o, 0, sizeof *o);
        if (copy_text(c, what_key, b->what, o->what, sizeof o->what) ||
            copy_text(c, source_key, b->source, o->source, sizeof o->source) ||
            copy_text(c, decides_key, b->decides, o->decides, sizeof o->decides))
            return -1;
        for (size_t l = 0; l < sizeof levels / sizeof levels[0]; l++)
            if (strcmp(b->confidence, levels[l].name) == 0)
                o->confidence = levels[l].level;
        if (!o->confidence)
            return bad(c, conf_key, b->confidence, "must be high, medium or low");
        for (unsigned k = 0; k < b->keys_count; k++) {
            if (!profile_yaml_is_key(b->keys[k]) || strcmp(b->keys[k], "behaviours") == 0)
                return bad(c, keys_key, b->keys[k], "not a profile key");
            size_t used = strlen(o->keys), add = strlen(b->keys[k]);
            if (used + add + 3 > sizeof o->keys)
                return bad(c, keys_key, NULL, "too long");
            /* Copied, not printed: the length is checked above, which -O3's
             * format-truncation warning cannot see through. */
            if (used) {
                memcpy(o->keys + used, ", ", 2);
                used += 2;
            }
            memcpy(o->keys + used, b->keys[k], add + 1);
        }
    }
    p->n_behaviours = y->behaviours_count;
    return 0;
}

int profile_yaml_convert(const conv_t *c, const y_profile_t *y, server_profile_t *p)
{
    if (copy_text(c, "name", y->name, p->name, sizeof p->name) ||
        copy_text(c, "description", y->description, p->description, sizeof p->description) ||
        copy_text(c, "models", y->models, p->models, sizeof p->models) ||
        copy_text(c, "reference", y->reference, p->reference, sizeof p->reference))
        return -1;
    if (y->chains) {
        if (y->chains_count > PROFILE_MAX_CHAINS)
            return bad(c, "chains", NULL, "too many chains");
        for (unsigned i = 0; i < y->chains_count; i++)
            if (copy_text(c, "chains", y->chains[i], p->chains[i], PROFILE_NAME_LEN))
                return -1;
        p->n_chains = y->chains_count;
    }
    if (y->suites) {
        if (y->suites_count > PROFILE_MAX_SUITES)
            return bad(c, "suites", NULL, "too many suites");
        for (unsigned i = 0; i < y->suites_count; i++)
            if (!tls_suite_by_name(y->suites[i], &p->suites[i]))
                return bad(c, "suites", y->suites[i], "unknown cipher suite");
        p->n_suites = y->suites_count;
    }
    if (y->groups) {
        if (y->groups_count > PROFILE_MAX_GROUPS)
            return bad(c, "groups", NULL, "too many groups");
        for (unsigned i = 0; i < y->groups_count; i++)
            if (!tls_group_by_name(y->groups[i], &p->groups[i]))
                return bad(c, "groups", y->groups[i], "unknown group");
        p->n_groups = y->groups_count;
    }
    if (conv_version(c, "min_version", y->min_version, &p->min_version) ||
        conv_version(c, "max_version", y->max_version, &p->max_version))
        return -1;
    if (c->check_range && p->min_version > p->max_version)
        return bad(c, "min_version", NULL, "above max_version");
    if (y->required_exts) {
        if (y->required_exts_count > PROFILE_MAX_EXTS)
            return bad(c, "required_exts", NULL, "too many extensions");
        for (unsigned i = 0; i < y->required_exts_count; i++)
            if (!tls_ext_by_name(y->required_exts[i], &p->required_exts[i]))
                return bad(c, "required_exts", y->required_exts[i], "unknown extension");
        p->n_required_exts = y->required_exts_count;
    }
    if (y->sni_allow) {
        if (y->sni_allow_count > PROFILE_MAX_SNI)
            return bad(c, "sni_allow", NULL, "too many names");
        for (unsigned i = 0; i < y->sni_allow_count; i++)
            if (copy_text(c, "sni_allow", y->sni_allow[i], p->sni_allow[i], PROFILE_HOST_LEN))
                return -1;
        p->n_sni_allow = y->sni_allow_count;
    }
    if (conv_reaction(c, "on_missing_ext", y->on_missing_ext, &p->on_missing_ext) ||
        conv_reaction(c, "on_sni_missing", y->on_sni_missing, &p->on_sni_missing) ||
        conv_reaction(c, "on_sni_unlisted", y->on_sni_unlisted, &p->on_sni_unlisted) ||
        conv_reaction(c, "on_no_shared_suite", y->on_no_shared_suite, &p->on_no_shared_suite) ||
        conv_reaction(c, "on_no_shared_group", y->on_no_shared_group, &p->on_no_shared_group) ||
        conv_reaction(c, "on_version_mismatch", y->on_version_mismatch, &p->on_version_mismatch) ||
        conv_reaction(c, "on_ecdhe_without_groups", y->on_ecdhe_without_groups,
                      &p->on_ecdhe_without_groups) ||
        conv_reaction(c, "on_no_key_share", y->on_no_key_share, &p->on_no_key_share) ||
        conv_reaction(c, "tls13_after_encrypted_extensions", y->tls13_after_encrypted_extensions,
                      &p->tls13_after_encrypted_extensions))
        return -1;
    if (y->client_auth_required)
        p->client_auth_required = *y->client_auth_required;
    if (y->ems_required)
        p->ems_required = *y->ems_required;
    if (y->etm)
        p->etm = *y->etm;
    if (y->renegotiation)
        p->renegotiation = *y->renegotiation;
    if (y->session_tickets)
        p->session_tickets = *y->session_tickets;
    if (y->tls13_psk_modes) {
        p->tls13_psk_modes = 0;
        for (unsigned i = 0; i < y->tls13_psk_modes_count; i++) {
            if (strcmp(y->tls13_psk_modes[i], "psk_ke") == 0)
                p->tls13_psk_modes |= PROFILE_PSK_KE;
            else if (strcmp(y->tls13_psk_modes[i], "psk_dhe_ke") == 0)
                p->tls13_psk_modes |= PROFILE_PSK_DHE_KE;
            else
                return bad(c, "tls13_psk_modes", y->tls13_psk_modes[i],
                           "unknown PSK key exchange mode (psk_ke, psk_dhe_ke)");
        }
    }
    if (y->max_fragment_length) {
        /* Either the RFC 6066 code (0..4) or bytes (512..4096). */
        unsigned v = *y->max_fragment_length;
        static const unsigned bytes[] = {0, 512, 1024, 2048, 4096};
        bool ok = v <= 4;
        for (unsigned i = 1; i <= 4 && !ok; i++)
            if (v == bytes[i])
                v = i, ok = true;
        if (!ok)
            return bad(c, "max_fragment_length", NULL, "must be 0..4 or 512/1024/2048/4096");
        p->max_fragment_length = (uint8_t)v;
    }
    if (y->impairments) {
        if (y->impairments_count > PROFILE_MAX_IMPAIR)
            return bad(c, "impairments", NULL, "too many impairments");
        for (unsigned i = 0; i < y->impairments_count; i++)
            if (conv_impairment(c, i, &y->impairments[i], &p->impairments[i]))
                return -1;
        p->n_impairments = y->impairments_count;
    }
    if (y->behaviours) {
        /* A claim about a real server belongs in its profile file, not in a
         * scenario's variation of it. */
        if (c->overrides)
            return bad(c, "behaviours", NULL, "only in profile files, not in overrides");
        if (conv_behaviours(c, y, p))
            return -1;
    } else if (!c->overrides) {
        return bad(c, "behaviours", NULL,
                   "missing: a profile lists each behaviour with its source and confidence");
    }
    return 0;
}
