#define _POSIX_C_SOURCE 200809L
#include <cyaml/cyaml.h>
#include <dirent.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_yaml.h"
#include "cyaml_errors.h"
#include "scenario.h"
#include "scenario_plan.h"

static const cyaml_strval_t kind_strings[] = {{"target", SCENARIO_TARGET},
                                              {"replay", SCENARIO_REPLAY}};

static const cyaml_schema_value_t string_entry = {
    CYAML_VALUE_STRING(CYAML_FLAG_POINTER, char, 0, 256),
};

#define STR_FIELD(key, type, member, flags)                                                        \
    CYAML_FIELD_STRING_PTR(key, CYAML_FLAG_POINTER | (flags), type, member, 0, 4096)
#define LIST_FIELD(key, type, member)                                                              \
    CYAML_FIELD_SEQUENCE(key, CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, type, member,              \
                         &string_entry, 0, 128)

static const cyaml_schema_field_t server_fields[] = {
    STR_FIELD("profile", scenario_server_t, profile, CYAML_FLAG_DEFAULT),
    /* Profile keys: parsed by the profile loader from this mapping (scenario_plan.c). */
    CYAML_FIELD_IGNORE("overrides", CYAML_FLAG_OPTIONAL), CYAML_FIELD_END};

static const cyaml_schema_field_t client_fields[] = {
    LIST_FIELD("suites", scenario_client_t, suites),
    LIST_FIELD("groups", scenario_client_t, groups),
    LIST_FIELD("sig_hashes", scenario_client_t, sig_hashes),
    STR_FIELD("sni", scenario_client_t, sni, CYAML_FLAG_OPTIONAL),
    STR_FIELD("min_version", scenario_client_t, min_version, CYAML_FLAG_OPTIONAL),
    STR_FIELD("max_version", scenario_client_t, max_version, CYAML_FLAG_OPTIONAL),
    LIST_FIELD("trust", scenario_client_t, trust),
    STR_FIELD("time", scenario_client_t, time, CYAML_FLAG_OPTIONAL),
    CYAML_FIELD_UINT("mfl", CYAML_FLAG_OPTIONAL, scenario_client_t, mfl),
    CYAML_FIELD_UINT("debug_level", CYAML_FLAG_OPTIONAL, scenario_client_t, debug_level),
    CYAML_FIELD_UINT("read_timeout_ms", CYAML_FLAG_OPTIONAL, scenario_client_t, read_timeout_ms),
    STR_FIELD("verify", scenario_client_t, verify, CYAML_FLAG_OPTIONAL),
    STR_FIELD("sim_fault", scenario_client_t, sim_fault, CYAML_FLAG_OPTIONAL),
    STR_FIELD("cert_profile", scenario_client_t, cert_profile, CYAML_FLAG_OPTIONAL),
    CYAML_FIELD_BOOL("resume", CYAML_FLAG_OPTIONAL, scenario_client_t, resume),
    LIST_FIELD("resume_kex_modes", scenario_client_t, resume_kex_modes),
    CYAML_FIELD_END};

static const cyaml_schema_field_t expect_fields[] = {
    STR_FIELD("outcome", scenario_expect_t, outcome, CYAML_FLAG_DEFAULT),
    STR_FIELD("error", scenario_expect_t, error, CYAML_FLAG_OPTIONAL),
    CYAML_FIELD_INT("alert_received", CYAML_FLAG_OPTIONAL, scenario_expect_t, alert_received),
    CYAML_FIELD_INT("alert_sent", CYAML_FLAG_OPTIONAL, scenario_expect_t, alert_sent),
    STR_FIELD("verdict", scenario_expect_t, verdict, CYAML_FLAG_OPTIONAL),
    STR_FIELD("answer", scenario_expect_t, answer, CYAML_FLAG_OPTIONAL),
    STR_FIELD("clock_source", scenario_expect_t, clock_source, CYAML_FLAG_OPTIONAL),
    CYAML_FIELD_UINT("min_goodput_bps", CYAML_FLAG_OPTIONAL, scenario_expect_t, min_goodput_bps),
    STR_FIELD("selftest", scenario_expect_t, selftest, CYAML_FLAG_OPTIONAL),
    STR_FIELD("version", scenario_expect_t, version, CYAML_FLAG_OPTIONAL),
    STR_FIELD("hello_retry", scenario_expect_t, hello_retry, CYAML_FLAG_OPTIONAL),
    CYAML_FIELD_BOOL_PTR("resumed", CYAML_FLAG_OPTIONAL, scenario_expect_t, resumed),
    CYAML_FIELD_END};

static const cyaml_schema_field_t stack_expect_fields[] = {
    STR_FIELD("stack", scenario_stack_expect_t, stack, CYAML_FLAG_DEFAULT),
    STR_FIELD("why", scenario_stack_expect_t, why, CYAML_FLAG_DEFAULT),
    CYAML_FIELD_MAPPING("expect", CYAML_FLAG_DEFAULT, scenario_stack_expect_t, expect,
                        expect_fields),
    CYAML_FIELD_END};

static const cyaml_schema_value_t stack_expect_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, scenario_stack_expect_t, stack_expect_fields),
};

static const cyaml_schema_field_t scenario_fields[] = {
    STR_FIELD("name", scenario_t, name, CYAML_FLAG_DEFAULT),
    STR_FIELD("description", scenario_t, description, CYAML_FLAG_OPTIONAL),
    LIST_FIELD("tags", scenario_t, tags),
    CYAML_FIELD_ENUM("kind", CYAML_FLAG_OPTIONAL, scenario_t, kind, kind_strings,
                     CYAML_ARRAY_LEN(kind_strings)),
    STR_FIELD("config", scenario_t, config, CYAML_FLAG_OPTIONAL),
    CYAML_FIELD_MAPPING("server", CYAML_FLAG_DEFAULT, scenario_t, server, server_fields),
    CYAML_FIELD_MAPPING("client", CYAML_FLAG_OPTIONAL, scenario_t, client, client_fields),
    CYAML_FIELD_MAPPING("expect", CYAML_FLAG_DEFAULT, scenario_t, expect, expect_fields),
    CYAML_FIELD_SEQUENCE("expect_stacks", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, scenario_t,
                         expect_stacks, &stack_expect_entry, 0, 8),
    LIST_FIELD("requires", scenario_t, requires),
    STR_FIELD("clienthello", scenario_t, clienthello, CYAML_FLAG_OPTIONAL),
    CYAML_FIELD_UINT("timeout_ms", CYAML_FLAG_OPTIONAL, scenario_t, timeout_ms),
    LIST_FIELD("stacks", scenario_t, stacks),
    CYAML_FIELD_END};

static const cyaml_schema_value_t scenario_schema = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, scenario_t, scenario_fields),
};

/* Everything after the text is read and checked (config_yaml). */
static scenario_t *load_checked(const config_yaml_t *cy, char *err, size_t errlen)
{
    scenario_t *s = NULL;
    const char *path = cy->file;
    cyaml_errors_reset();
    cyaml_err_t e = cyaml_load_data((const uint8_t *)cy->text, cy->len, &tlsrig_cyaml_config,
                                    &scenario_schema, (cyaml_data_t **)&s, NULL);
    if (e != CYAML_OK || !s) {
        cyaml_errors_describe(cy, e, "", err, errlen);
        return NULL;
    }
    s->path = strdup(path);
    /* cyaml leaves absent ints at 0: "not asserted" and the default level
     * come from whether the key is there. */
    if (!config_yaml_has(cy, "expect.alert_received")) {
        s->expect.alert_received = -1;
    }
    if (!config_yaml_has(cy, "expect.alert_sent")) {
        s->expect.alert_sent = -1;
    }
    for (unsigned i = 0; i < s->expect_stacks_count; i++) {
        char key[96];
        scenario_expect_t *x = &s->expect_stacks[i].expect;
        snprintf(key, sizeof key, "expect_stacks.%u.expect.alert_received", i);
        x->alert_received = config_yaml_has(cy, key) ? x->alert_received : -1;
        snprintf(key, sizeof key, "expect_stacks.%u.expect.alert_sent", i);
        x->alert_sent = config_yaml_has(cy, key) ? x->alert_sent : -1;
    }
    s->client.debug_level_set = config_yaml_has(cy, "client.debug_level");
    if (!s->client.debug_level_set) {
        s->client.debug_level = 3;
    }
    if (!s->path) {
        snprintf(err, errlen, "%s: out of memory", path);
        scenario_free(s);
        return NULL;
    }
    if (scenario_plan_build(s, cy, err, errlen) != 0) {
        scenario_free(s);
        return NULL;
    }
    return s;
}

scenario_t *scenario_load_file(const char *path, char *err, size_t errlen)
{
    config_yaml_t cy;
    scenario_t *s = NULL;
    if (config_yaml_read(&cy, path, err, errlen) == 0) {
        s = load_checked(&cy, err, errlen);
    }
    config_yaml_free(&cy);
    return s;
}

scenario_t *scenario_load_text(const char *path, const char *text, size_t len, char *err,
                               size_t errlen)
{
    config_yaml_t cy;
    scenario_t *s = NULL;
    if (config_yaml_text(&cy, path, 1, text, len, err, errlen) == 0) {
        s = load_checked(&cy, err, errlen);
    }
    config_yaml_free(&cy);
    return s;
}

void scenario_free(scenario_t *s)
{
    if (!s) {
        return;
    }
    free(s->path);
    s->path = NULL;
    scenario_plan_free(&s->plan);
    cyaml_free(&tlsrig_cyaml_config, &scenario_schema, s, 0);
}

static int cmp_scenario(const void *a, const void *b)
{
    const scenario_t *x = *(scenario_t *const *)a;
    const scenario_t *y = *(scenario_t *const *)b;
    int by_name = strcmp(x->name, y->name);
    return by_name ? by_name : strcmp(x->path, y->path); /* duplicates in a stable order */
}

int scenario_load_dir(const char *dir, scenario_set_t *set, char *err, size_t errlen)
{
    set->items = NULL;
    set->count = 0;
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, errlen, "%s: cannot open scenario folder", dir);
        return -1;
    }
    size_t cap = 0;
    struct dirent *ent;
    int rc = 0;
    while ((ent = readdir(d)) != NULL) {
        size_t len = strlen(ent->d_name);
        if (len < 6 || strcmp(ent->d_name + len - 5, ".yaml") != 0) {
            continue;
        }
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, ent->d_name);
        scenario_t *s = scenario_load_file(path, err, errlen);
        if (!s) {
            rc = -1;
            break;
        }
        if (set->count == cap) {
            cap = cap ? cap * 2 : 32;
            scenario_t **grown = realloc(set->items, cap * sizeof *grown);
            if (!grown) {
                scenario_free(s);
                snprintf(err, errlen, "out of memory");
                rc = -1;
                break;
            }
            set->items = grown;
        }
        set->items[set->count++] = s;
    }
    closedir(d);
    if (rc == 0 && set->count > 1) {
        qsort(set->items, set->count, sizeof *set->items, cmp_scenario);
        for (size_t i = 1; i < set->count; i++) {
            if (strcmp(set->items[i - 1]->name, set->items[i]->name) == 0) {
                snprintf(err, errlen, "%s:%u: key 'name': scenario name '%s' already used by %s",
                         set->items[i]->path, set->items[i]->plan.lines.name, set->items[i]->name,
                         set->items[i - 1]->path);
                rc = -1;
                break;
            }
        }
    }
    if (rc != 0) {
        scenario_set_free(set);
    }
    return rc;
}

void scenario_set_free(scenario_set_t *set)
{
    for (size_t i = 0; i < set->count; i++) {
        scenario_free(set->items[i]);
    }
    free(set->items);
    set->items = NULL;
    set->count = 0;
}

bool scenario_matches(const scenario_t *s, const char *glob)
{
    return fnmatch(glob, s->name, 0) == 0;
}

bool scenario_has_tag(const scenario_t *s, const char *tag)
{
    for (unsigned i = 0; i < s->tags_count; i++) {
        if (strcmp(s->tags[i], tag) == 0) {
            return true;
        }
    }
    return false;
}
