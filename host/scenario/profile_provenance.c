#include "profile_provenance.h"

#include <stdio.h>
#include <string.h>

const char *provenance_rule_key(server_rule_t rule)
{
    switch (rule) {
    case SERVER_RULE_VERSION:
        return "on_version_mismatch";
    case SERVER_RULE_MISSING_EXTENSION:
        return "on_missing_ext";
    case SERVER_RULE_SNI_MISSING:
        return "on_sni_missing";
    case SERVER_RULE_SNI_UNLISTED:
        return "on_sni_unlisted";
    case SERVER_RULE_ECDHE_WITHOUT_GROUPS:
        return "on_ecdhe_without_groups";
    case SERVER_RULE_NO_SHARED_GROUP:
        return "on_no_shared_group";
    case SERVER_RULE_NO_SHARED_SUITE:
        return "on_no_shared_suite";
    case SERVER_RULE_NO_KEY_SHARE:
        return "on_no_key_share";
    default:
        return NULL;
    }
}

/* keys is ", "-separated; a whole-word match only. */
static bool lists_key(const char *keys, const char *key)
{
    size_t n = strlen(key);
    for (const char *k = keys; (k = strstr(k, key)) != NULL; k += n) {
        bool starts = k == keys || k[-1] == ' ' || k[-1] == ',';
        bool ends = k[n] == '\0' || k[n] == ',';
        if (starts && ends) {
            return true;
        }
    }
    return false;
}

const profile_behaviour_t *provenance_behaviour(const server_profile_t *p, const char *key)
{
    for (size_t i = 0; p && key && i < p->n_behaviours; i++) {
        if (lists_key(p->behaviours[i].keys, key)) {
            return &p->behaviours[i];
        }
    }
    return NULL;
}

static const char *confidence_name(profile_confidence_t c)
{
    return c == CONFIDENCE_HIGH ? "high" : c == CONFIDENCE_MEDIUM ? "medium" : "low";
}

static void append_text(json_t *result, const char *key, const char *sep, const char *more)
{
    const char *old = json_string_value(json_object_get(result, key));
    size_t len = (old ? strlen(old) : 0) + strlen(sep) + strlen(more) + 1;
    char buf[4096];
    if (len > sizeof buf) {
        return;
    }
    snprintf(buf, sizeof buf, "%s%s%s", old ? old : "", old && *old ? sep : "", more);
    json_object_set_new(result, key, json_string(buf));
}

void provenance_qualify(json_t *result, const server_profile_t *p, const server_view_t *view)
{
    const char *outcome = json_string_value(json_object_get(result, "outcome"));
    if (!p || !view || !outcome || strcmp(outcome, "fail") != 0) {
        return;
    }
    const profile_behaviour_t *b = provenance_behaviour(p, provenance_rule_key(view->rule));
    if (!b || b->confidence == CONFIDENCE_HIGH) {
        return;
    }
    /* The record's confidence caps the verdict's: a low-confidence behaviour
     * can at most make its verdict likely, never certain. */
    double cap = b->confidence == CONFIDENCE_MEDIUM ? 0.8 : 0.6;
    json_t *conf = json_object_get(result, "confidence");
    if (json_is_number(conf) && json_number_value(conf) > cap) {
        json_object_set_new(result, "confidence", json_real(cap));
    }
    char line[1024];
    snprintf(line, sizeof line,
             "server profile %s: this reaction (%s) rests on %s-confidence "
             "evidence: %s",
             p->name, provenance_rule_key(view->rule), confidence_name(b->confidence), b->source);
    json_t *ev = json_object_get(result, "evidence");
    if (json_is_array(ev)) {
        json_array_append_new(ev, json_string(line));
    }
    json_t *pb = json_object();
    json_object_set_new(pb, "profile", json_string(p->name));
    json_object_set_new(pb, "what", json_string(b->what));
    json_object_set_new(pb, "source", json_string(b->source));
    json_object_set_new(pb, "confidence", json_string(confidence_name(b->confidence)));
    if (b->decides[0]) {
        json_object_set_new(pb, "decides", json_string(b->decides));
        json_object_set_new(result, "what_would_decide", json_string(b->decides));
        char more[600];
        snprintf(more, sizeof more, "What would decide: %s", b->decides);
        append_text(result, "fix", " ", more);
    }
    json_object_set_new(result, "profile_behaviour", pb);
}
