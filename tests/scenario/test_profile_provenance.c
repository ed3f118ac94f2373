/* A verdict resting on a profile reaction is qualified by that behaviour's
 * public record: capped confidence, the source as evidence, what would decide. */
#include <criterion/criterion.h>
#include <string.h>

#include "profile_load.h"
#include "profile_provenance.h"

static server_profile_t profile_with(profile_confidence_t conf, const char *keys,
                                     const char *decides)
{
    server_profile_t p;
    profile_defaults(&p);
    snprintf(p.name, sizeof p.name, "gfe");
    p.n_behaviours = 1;
    snprintf(p.behaviours[0].what, sizeof p.behaviours[0].what, "unknown names get alert 40");
    snprintf(p.behaviours[0].keys, sizeof p.behaviours[0].keys, "%s", keys);
    snprintf(p.behaviours[0].source, sizeof p.behaviours[0].source, "a field report");
    snprintf(p.behaviours[0].decides, sizeof p.behaviours[0].decides, "%s", decides);
    p.behaviours[0].confidence = conf;
    return p;
}

static json_t *failed_result(double confidence)
{
    return json_pack("{s:s, s:s, s:f, s:[s], s:s}", "outcome", "fail", "verdict", "sni-rejected",
                     "confidence", confidence, "evidence", "server decision: sni_unlisted", "fix",
                     "Pass the real name.");
}

static server_view_t view_with(server_rule_t rule)
{
    server_view_t v;
    server_view_init(&v);
    v.rule = rule;
    return v;
}

Test(provenance, low_confidence_reaction_caps_confidence_and_says_what_would_decide)
{
    server_profile_t p = profile_with(CONFIDENCE_LOW, "sni_allow, on_sni_unlisted", "Retry.");
    server_view_t v = view_with(SERVER_RULE_SNI_UNLISTED);
    json_t *r = failed_result(0.95);
    provenance_qualify(r, &p, &v);
    cr_expect_float_eq(json_number_value(json_object_get(r, "confidence")), 0.6, 1e-9);
    cr_expect_str_eq(json_string_value(json_object_get(r, "what_would_decide")), "Retry.");
    cr_expect(strstr(json_string_value(json_object_get(r, "fix")), "What would decide: Retry.") !=
              NULL);
    json_t *ev = json_object_get(r, "evidence");
    cr_assert_eq(json_array_size(ev), 2);
    const char *last = json_string_value(json_array_get(ev, 1));
    cr_expect(strstr(last, "server profile gfe") == last, "%s", last);
    cr_expect(strstr(last, "low-confidence") != NULL, "%s", last);
    json_decref(r);
}

Test(provenance, medium_confidence_caps_at_point_eight)
{
    server_profile_t p = profile_with(CONFIDENCE_MEDIUM, "on_sni_missing", "");
    server_view_t v = view_with(SERVER_RULE_SNI_MISSING);
    json_t *r = failed_result(0.95);
    provenance_qualify(r, &p, &v);
    cr_expect_float_eq(json_number_value(json_object_get(r, "confidence")), 0.8, 1e-9);
    cr_expect_null(json_object_get(r, "what_would_decide"));
    json_decref(r);
}

Test(provenance, high_confidence_pass_or_other_rule_leave_the_result_alone)
{
    server_view_t v = view_with(SERVER_RULE_SNI_UNLISTED);
    server_profile_t high = profile_with(CONFIDENCE_HIGH, "on_sni_unlisted", "x");
    json_t *r = failed_result(0.95);
    provenance_qualify(r, &high, &v);
    cr_expect_float_eq(json_number_value(json_object_get(r, "confidence")), 0.95, 1e-9);
    cr_expect_null(json_object_get(r, "profile_behaviour"));

    server_profile_t low = profile_with(CONFIDENCE_LOW, "on_sni_unlisted", "x");
    json_object_set_new(r, "outcome", json_string("pass"));
    provenance_qualify(r, &low, &v);
    cr_expect_float_eq(json_number_value(json_object_get(r, "confidence")), 0.95, 1e-9);

    json_object_set_new(r, "outcome", json_string("fail"));
    server_view_t suite = view_with(SERVER_RULE_NO_SHARED_SUITE);
    provenance_qualify(r, &low, &suite);
    cr_expect_float_eq(json_number_value(json_object_get(r, "confidence")), 0.95, 1e-9);
    json_decref(r);
}

Test(provenance, keys_match_whole_names_only)
{
    server_profile_t p = profile_with(CONFIDENCE_LOW, "on_sni_unlisted_v2, sni_allow", "");
    cr_expect_null(provenance_behaviour(&p, "on_sni_unlisted"));
    cr_expect_not_null(provenance_behaviour(&p, "sni_allow"));
    cr_expect_null(provenance_rule_key(SERVER_RULE_OK));
    cr_expect_str_eq(provenance_rule_key(SERVER_RULE_SNI_UNLISTED), "on_sni_unlisted");
}
