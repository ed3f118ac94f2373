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
#include "profile_yaml.h"
#include "cyaml_errors.h"
#include "safe_name.h"
#include "tls_names.h"

#ifndef TLSRIG_SOURCE_DIR
#define TLSRIG_SOURCE_DIR "."
#endif

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
    STRINGS(tls13_psk_modes),
    CYAML_FIELD_UINT_PTR("max_fragment_length", OPT, y_profile_t, max_fragment_length),
    CYAML_FIELD_SEQUENCE("impairments", OPT, y_profile_t, impairments, &impair_entry, 0,
                         CYAML_UNLIMITED),
    CYAML_FIELD_END,
};

static const cyaml_schema_value_t profile_schema = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, y_profile_t, profile_fields),
};

bool profile_yaml_is_key(const char *key)
{
    for (const cyaml_schema_field_t *f = profile_fields; f->key; f++)
        if (strcmp(f->key, key) == 0)
            return true;
    return false;
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
        profile_fail(err, errlen, "%s: out of memory", cy->file);
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
    if (patch->y && profile_yaml_convert(&c, patch->y, &scratch) != 0) {
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
    if (profile_yaml_convert(&c, patch->y, &tmp) != 0)
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
    p->tls13_psk_modes = PROFILE_PSK_KE | PROFILE_PSK_DHE_KE;
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
        return profile_fail(err, errlen, "invalid profile name \"%s\": %s", name ? name : "",
                            safe_name_problem(name)[0] ? safe_name_problem(name) : "too long");
    if (!profiles_dir)
        profiles_dir = profile_default_dir();
    char path[1024];
    if (snprintf(path, sizeof path, "%s/%s.yaml", profiles_dir, name) >= (int)sizeof path)
        return profile_fail(err, errlen, "profiles directory path too long");
    FILE *f = fopen(path, "rb");
    if (!f)
        return profile_fail(err, errlen, "unknown profile \"%s\" (no %s)", name, path);
    fclose(f);
    return profile_load_file(path, out, err, errlen);
}

int profile_apply_overrides_yaml(server_profile_t *p, const char *yaml_text, char *err,
                                 size_t errlen)
{
    if (!p || !yaml_text)
        return profile_fail(err, errlen, "overrides: no input");
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
