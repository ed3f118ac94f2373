/* libcyaml schema for profile files and overrides, and its conversion into
 * server_profile_t. Every field is optional in the schema (pointer, NULL when
 * absent) so the same schema serves whole files and partial overrides. */
#include "profile_load.h"

#include <cyaml/cyaml.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_yaml.h"
#include "cyaml_errors.h"
#include "safe_name.h"
#include "tls_names.h"

#ifndef TLSRIG_SOURCE_DIR
#define TLSRIG_SOURCE_DIR "."
#endif

typedef struct y_reaction {
    char *action;
    char *alert;
} y_reaction_t;

typedef struct y_impair {
    char *kind;
    unsigned flight, delay_ms, bytes, record;
    char *hs_type;
} y_impair_t;

typedef struct y_behaviour {
    char *what, *source, *confidence, *decides;
    char **keys;
    unsigned keys_count;
} y_behaviour_t;

typedef struct y_profile {
    char *name, *description, *models, *reference;
    y_behaviour_t *behaviours;
    unsigned behaviours_count;
    char **chains;
    unsigned chains_count;
    char **suites;
    unsigned suites_count;
    char **groups;
    unsigned groups_count;
    char *min_version, *max_version;
    char **required_exts;
    unsigned required_exts_count;
    char **sni_allow;
    unsigned sni_allow_count;
    y_reaction_t *on_missing_ext, *on_sni_missing, *on_sni_unlisted, *on_no_shared_suite,
        *on_no_shared_group, *on_version_mismatch, *on_ecdhe_without_groups, *on_no_key_share,
        *tls13_after_encrypted_extensions;
    bool *client_auth_required, *ems_required, *etm, *renegotiation, *session_tickets;
    unsigned *max_fragment_length;
    y_impair_t *impairments;
    unsigned impairments_count;
} y_profile_t;

#define OPT (CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL)

static const cyaml_schema_value_t string_entry = {
    CYAML_VALUE_STRING(CYAML_FLAG_POINTER, char, 0, CYAML_UNLIMITED),
};

static const cyaml_schema_field_t reaction_fields[] = {
    CYAML_FIELD_STRING_PTR("action", CYAML_FLAG_POINTER, y_reaction_t, action, 0, CYAML_UNLIMITED),
    CYAML_FIELD_STRING_PTR("alert", OPT, y_reaction_t, alert, 0, CYAML_UNLIMITED),
    CYAML_FIELD_END,
};

static const cyaml_schema_field_t impair_fields[] = {
    CYAML_FIELD_STRING_PTR("kind", CYAML_FLAG_POINTER, y_impair_t, kind, 0, CYAML_UNLIMITED),
    CYAML_FIELD_UINT("flight", CYAML_FLAG_OPTIONAL, y_impair_t, flight),
    CYAML_FIELD_UINT("delay_ms", CYAML_FLAG_OPTIONAL, y_impair_t, delay_ms),
    CYAML_FIELD_UINT("bytes", CYAML_FLAG_OPTIONAL, y_impair_t, bytes),
    CYAML_FIELD_UINT("record", CYAML_FLAG_OPTIONAL, y_impair_t, record),
    CYAML_FIELD_STRING_PTR("hs_type", OPT, y_impair_t, hs_type, 0, CYAML_UNLIMITED),
    CYAML_FIELD_END,
};

static const cyaml_schema_field_t behaviour_fields[] = {
    CYAML_FIELD_STRING_PTR("what", CYAML_FLAG_POINTER, y_behaviour_t, what, 1, CYAML_UNLIMITED),
    CYAML_FIELD_SEQUENCE("keys", OPT, y_behaviour_t, keys, &string_entry, 0, CYAML_UNLIMITED),
    CYAML_FIELD_STRING_PTR("source", CYAML_FLAG_POINTER, y_behaviour_t, source, 1, CYAML_UNLIMITED),
    CYAML_FIELD_STRING_PTR("confidence", CYAML_FLAG_POINTER, y_behaviour_t, confidence, 1,
                           CYAML_UNLIMITED),
    CYAML_FIELD_STRING_PTR("decides", OPT, y_behaviour_t, decides, 0, CYAML_UNLIMITED),
    CYAML_FIELD_END,
};

static const cyaml_schema_value_t behaviour_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, y_behaviour_t, behaviour_fields),
};

static const cyaml_schema_value_t impair_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, y_impair_t, impair_fields),
};

#define REACTION(key) CYAML_FIELD_MAPPING_PTR(#key, OPT, y_profile_t, key, reaction_fields)
#define STRINGS(key)                                                                               \
    CYAML_FIELD_SEQUENCE(#key, OPT, y_profile_t, key, &string_entry, 0, CYAML_UNLIMITED)
#define TEXT(key) CYAML_FIELD_STRING_PTR(#key, OPT, y_profile_t, key, 0, CYAML_UNLIMITED)
#define FLAG(key) CYAML_FIELD_BOOL_PTR(#key, OPT, y_profile_t, key)

static const cyaml_schema_field_t profile_fields[] = {
    TEXT(name),
    TEXT(description),
    TEXT(models),
    TEXT(reference),
    CYAML_FIELD_SEQUENCE("behaviours", OPT, y_profile_t, behaviours, &behaviour_entry, 0,
                         CYAML_UNLIMITED),
    STRINGS(chains),
    STRINGS(suites),
    STRINGS(groups),
    TEXT(min_version),
    TEXT(max_version),
    STRINGS(required_exts),
    STRINGS(sni_allow),
    REACTION(on_missing_ext),
    REACTION(on_sni_missing),
    REACTION(on_sni_unlisted),
    REACTION(on_no_shared_suite),
    REACTION(on_no_shared_group),
    REACTION(on_version_mismatch),
    REACTION(on_ecdhe_without_groups),
    REACTION(on_no_key_share),
    REACTION(tls13_after_encrypted_extensions),
    FLAG(client_auth_required),
    FLAG(ems_required),
    FLAG(etm),
    FLAG(renegotiation),
    FLAG(session_tickets),
    CYAML_FIELD_UINT_PTR("max_fragment_length", OPT, y_profile_t, max_fragment_length),
    CYAML_FIELD_SEQUENCE("impairments", OPT, y_profile_t, impairments, &impair_entry, 0,
                         CYAML_UNLIMITED),
    CYAML_FIELD_END,
};

static const cyaml_schema_value_t profile_schema = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, y_profile_t, profile_fields),
};

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* Where errors point: the checked YAML while parsing; at apply time (after
 * the text is gone) the lines recorded then. */
typedef struct conv {
    const config_yaml_t *cy; /* NULL when applying a parsed patch */
    const char *file;
    const char *prefix; /* "server.overrides." for a scenario's overrides */
    unsigned min_version_line;
    bool check_range; /* min <= max only holds on a whole profile */
    bool overrides;   /* a scenario's overrides, not a profile file */
    char *err;
    size_t errlen;
} conv_t;

/* key is a path into the mapping ("suites", "impairments.1.kind"). */
static int bad(const conv_t *c, const char *key, const char *value, const char *what)
{
    unsigned line = c->cy ? config_yaml_value_line(c->cy, key, value) : c->min_version_line;
    char where[32] = "";
    if (line)
        snprintf(where, sizeof where, ":%u", line);
    return fail(c->err, c->errlen, "%s%s: key '%s%s': %s%s%s%s", c->file, where, c->prefix, key,
                what, value ? " \"" : "", value ? value : "", value ? "\"" : "");
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
                 {"corrupt_record", IMPAIR_CORRUPT_RECORD}};
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

static bool is_profile_key(const char *key)
{
    for (const cyaml_schema_field_t *f = profile_fields; f->key; f++)
        if (strcmp(f->key, key) == 0)
            return true;
    return false;
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
            if (!is_profile_key(b->keys[k]) || strcmp(b->keys[k], "behaviours") == 0)
                return bad(c, keys_key, b->keys[k], "not a profile key");
            size_t used = strlen(o->keys);
            if (used + strlen(b->keys[k]) + 3 > sizeof o->keys)
                return bad(c, keys_key, NULL, "too long");
            snprintf(o->keys + used, sizeof o->keys - used, "%s%s", used ? ", " : "", b->keys[k]);
        }
    }
    p->n_behaviours = y->behaviours_count;
    return 0;
}

/* Applies the fields present in y onto *p. */
static int convert(const conv_t *c, const y_profile_t *y, server_profile_t *p)
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

struct profile_patch {
    y_profile_t *y;
    char file[4096];
    char prefix[32];
    unsigned min_version_line;
    bool overrides; /* not a whole profile file */
};

void profile_patch_free(profile_patch_t *patch)
{
    if (!patch)
        return;
    cyaml_free(&tlsrig_cyaml_config, &profile_schema, patch->y, 0);
    free(patch);
}

static profile_patch_t *patch_parse(const config_yaml_t *cy, const char *prefix, bool overrides,
                                    char *err, size_t errlen)
{
    profile_patch_t *patch = calloc(1, sizeof *patch);
    if (!patch) {
        fail(err, errlen, "%s: out of memory", cy->file);
        return NULL;
    }
    snprintf(patch->file, sizeof patch->file, "%s", cy->file);
    snprintf(patch->prefix, sizeof patch->prefix, "%s", prefix ? prefix : "");
    patch->overrides = overrides;
    patch->min_version_line = config_yaml_line(cy, "min_version");
    if (!patch->min_version_line)
        patch->min_version_line = config_yaml_line(cy, "max_version");
    cyaml_errors_reset();
    cyaml_err_t e = cyaml_load_data((const uint8_t *)cy->text, cy->len, &tlsrig_cyaml_config,
                                    &profile_schema, (cyaml_data_t **)&patch->y, NULL);
    if (e != CYAML_OK) {
        cyaml_errors_describe(cy, e, patch->prefix, err, errlen);
        profile_patch_free(patch);
        return NULL;
    }
    /* Every name is checked now, on a scratch profile, so applying cannot fail on one. */
    server_profile_t scratch;
    profile_defaults(&scratch);
    conv_t c = {cy,    cy->file,  patch->prefix, patch->min_version_line,
                false, overrides, err,           errlen};
    if (patch->y && convert(&c, patch->y, &scratch) != 0) {
        profile_patch_free(patch);
        return NULL;
    }
    return patch;
}

profile_patch_t *profile_patch_parse(const config_yaml_t *cy, const char *prefix, char *err,
                                     size_t errlen)
{
    return patch_parse(cy, prefix, true, err, errlen);
}

int profile_patch_apply(const profile_patch_t *patch, server_profile_t *p, char *err, size_t errlen)
{
    if (!patch->y)
        return 0;
    server_profile_t tmp = *p;
    conv_t c = {NULL, patch->file,      patch->prefix, patch->min_version_line,
                true, patch->overrides, err,           errlen};
    if (convert(&c, patch->y, &tmp) != 0)
        return -1;
    *p = tmp;
    return 0;
}

/* Check text, parse it and apply it onto *p. */
static int apply_text(server_profile_t *p, const char *file, const char *text, size_t len,
                      const char *prefix, char *err, size_t errlen)
{
    config_yaml_t cy;
    int rc = config_yaml_text(&cy, file, 1, text, len, err, errlen);
    profile_patch_t *patch = rc == 0 ? profile_patch_parse(&cy, prefix, err, errlen) : NULL;
    config_yaml_free(&cy);
    rc = patch ? profile_patch_apply(patch, p, err, errlen) : -1;
    profile_patch_free(patch);
    return rc;
}

void profile_defaults(server_profile_t *p)
{
    memset(p, 0, sizeof *p);
    snprintf(p->chains[0], PROFILE_NAME_LEN, "rsa2048");
    p->n_chains = 1;
    p->min_version = 0x0303;
    p->max_version = 0x0303;
    p->on_missing_ext = (reaction_t){REACT_ALERT, 40};
    p->on_sni_missing = (reaction_t){REACT_CONTINUE, 0};
    p->on_sni_unlisted = (reaction_t){REACT_ALERT, 112};
    p->on_no_shared_suite = (reaction_t){REACT_ALERT, 40};
    p->on_no_shared_group = (reaction_t){REACT_ALERT, 40};
    p->on_version_mismatch = (reaction_t){REACT_ALERT, 70};
    p->on_ecdhe_without_groups = (reaction_t){REACT_CONTINUE, 0};
    p->on_no_key_share = (reaction_t){REACT_CONTINUE, 0};
    p->etm = true;
    p->renegotiation = false;
    p->session_tickets = true;
}

/* A whole profile from checked YAML; the name defaults to the file stem. */
static int load_checked(const config_yaml_t *cy, server_profile_t *out, char *err, size_t errlen)
{
    server_profile_t p;
    profile_defaults(&p);
    const char *base = strrchr(cy->file, '/') ? strrchr(cy->file, '/') + 1 : cy->file;
    snprintf(p.name, sizeof p.name, "%.*s", (int)strcspn(base, "."), base);
    profile_patch_t *patch = patch_parse(cy, "", false, err, errlen);
    int rc = patch ? profile_patch_apply(patch, &p, err, errlen) : -1;
    profile_patch_free(patch);
    if (rc == 0)
        *out = p;
    return rc;
}

int profile_load_file(const char *path, server_profile_t *out, char *err, size_t errlen)
{
    config_yaml_t cy;
    int rc = config_yaml_read(&cy, path, err, errlen);
    if (rc == 0)
        rc = load_checked(&cy, out, err, errlen);
    config_yaml_free(&cy);
    return rc;
}

int profile_load_text(const char *path, const char *text, size_t len, server_profile_t *out,
                      char *err, size_t errlen)
{
    config_yaml_t cy;
    int rc = config_yaml_text(&cy, path, 1, text, len, err, errlen);
    if (rc == 0)
        rc = load_checked(&cy, out, err, errlen);
    config_yaml_free(&cy);
    return rc;
}

int profile_load(const char *profiles_dir, const char *name, server_profile_t *out, char *err,
                 size_t errlen)
{
    if (!safe_name_valid(name) || strlen(name) >= PROFILE_NAME_LEN)
        return fail(err, errlen, "invalid profile name \"%s\": %s", name ? name : "",
                    safe_name_problem(name)[0] ? safe_name_problem(name) : "too long");
    if (!profiles_dir)
        profiles_dir = profile_default_dir();
    char path[1024];
    if (snprintf(path, sizeof path, "%s/%s.yaml", profiles_dir, name) >= (int)sizeof path)
        return fail(err, errlen, "profiles directory path too long");
    FILE *f = fopen(path, "rb");
    if (!f)
        return fail(err, errlen, "unknown profile \"%s\" (no %s)", name, path);
    fclose(f);
    return profile_load_file(path, out, err, errlen);
}

int profile_apply_overrides_yaml(server_profile_t *p, const char *yaml_text, char *err,
                                 size_t errlen)
{
    if (!p || !yaml_text)
        return fail(err, errlen, "overrides: no input");
    return apply_text(p, "overrides", yaml_text, strlen(yaml_text), "", err, errlen);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(a, b);
}

int profile_list(const char *profiles_dir, char names[][PROFILE_NAME_LEN], size_t max,
                 size_t *count)
{
    *count = 0;
    DIR *d = opendir(profiles_dir ? profiles_dir : profile_default_dir());
    if (!d)
        return -1;
    struct dirent *e;
    while ((e = readdir(d)) && *count < max) {
        size_t n = strlen(e->d_name);
        if (n <= 5 || n - 5 >= PROFILE_NAME_LEN || strcmp(e->d_name + n - 5, ".yaml") != 0 ||
            e->d_name[0] == '.')
            continue;
        snprintf(names[*count], PROFILE_NAME_LEN, "%.*s", (int)(n - 5), e->d_name);
        (*count)++;
    }
    closedir(d);
    qsort(names, *count, PROFILE_NAME_LEN, cmp_names);
    return 0;
}

const char *profile_default_dir(void)
{
    static char dir[1024];
    const char *src = getenv("TLSRIG_SOURCE_DIR");
    snprintf(dir, sizeof dir, "%s/fixtures/profiles", src && *src ? src : TLSRIG_SOURCE_DIR);
    return dir;
}

const char *profile_reaction_name(reaction_kind_t kind)
{
    switch (kind) {
    case REACT_CONTINUE:
        return "continue";
    case REACT_ALERT:
        return "alert";
    case REACT_RESET:
        return "reset";
    case REACT_CLOSE:
        return "close";
    case REACT_SILENCE:
        return "silence";
    }
    return "unknown";
}
