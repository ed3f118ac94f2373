/* The policy on TLS 1.3 hellos (issue 17): the group comes from the client's
 * key shares when it can (no round trip), else HelloRetryRequest for the first
 * server group in supported_groups, or a refusal when the profile sends no
 * HRR (on_no_key_share); the live limits keep a 1.3 decision when a TLS 1.3
 * worker runs it. */
#include <criterion/criterion.h>
#include <string.h>

#include "hello_builder.h"
#include "policy.h"
#include "profile_load.h"

static uint8_t buf[CH_MAX_FLIGHT];
static char err[512];

static const uint16_t suites13[] = {0x1301, 0x1302, 0xc02f};
static const uint16_t client_groups[] = {0x001d, 0x0017, 0x0018};
static const uint16_t v13_12[] = {0x0304, 0x0303};

/* A 3.6-like hello: groups x25519, P-256, P-384; one key share (x25519). */
static void parse(clienthello_t *ch, bool with_share)
{
    static uint8_t ks[42] = {0, 51, 0, 38, 0, 36, 0, 0x1d, 0, 32};
    memset(ks + 10, 0x42, 32);
    hello_spec_t s = {.suites = suites13,
                      .n_suites = 3,
                      .groups = client_groups,
                      .n_groups = 3,
                      .versions = v13_12,
                      .n_versions = 2,
                      .extra_exts = ks,
                      .extra_len = with_share ? sizeof ks : 0};
    size_t n = hb_hello(&s, buf, sizeof buf);
    cr_assert_gt(n, 0);
    cr_assert_eq(clienthello_parse(buf, n, ch, err, sizeof err), 0, "%s", err);
}

static server_profile_t tls13_profile(const uint16_t *g, size_t ng)
{
    server_profile_t p;
    profile_defaults(&p);
    p.n_chains = 0;
    p.min_version = 0x0303;
    p.max_version = 0x0304;
    memcpy(p.groups, g, ng * sizeof *g);
    p.n_groups = ng;
    return p;
}

Test(policy_tls13, key_shared_group_needs_no_retry)
{
    static const uint16_t g[] = {0x0018, 0x001d};
    server_profile_t p = tls13_profile(g, 2);
    clienthello_t ch;
    parse(&ch, true);
    policy_decision_t d;
    policy_decide(&p, &ch, &d);
    cr_assert_eq(d.reaction.kind, REACT_CONTINUE, "%s", d.reason);
    cr_assert_eq(d.version, 0x0304);
    cr_assert_eq(d.chosen_suite, 0x1301);
    cr_assert_eq(d.chosen_group, 0x001d, "the shared key wins over server order");
    cr_assert_not(d.hello_retry);
    clienthello_free(&ch);
}

Test(policy_tls13, group_without_share_means_hello_retry)
{
    static const uint16_t g[] = {0x0018};
    server_profile_t p = tls13_profile(g, 1);
    clienthello_t ch;
    parse(&ch, true);
    policy_decision_t d;
    policy_decide(&p, &ch, &d);
    cr_assert_eq(d.reaction.kind, REACT_CONTINUE, "%s", d.reason);
    cr_assert_eq(d.chosen_group, 0x0018);
    cr_assert(d.hello_retry);
    cr_assert(strstr(d.reason, "HelloRetryRequest"), "%s", d.reason);
    json_t *j = policy_decision_to_json(&d);
    cr_assert(json_is_true(json_object_get(json_object_get(j, "server_hello"), "hello_retry")));
    json_decref(j);
    clienthello_free(&ch);
}

Test(policy_tls13, no_retry_server_refuses_with_rule_no_key_share)
{
    static const uint16_t g[] = {0x0018};
    server_profile_t p = tls13_profile(g, 1);
    p.on_no_key_share = (reaction_t){REACT_ALERT, 40};
    clienthello_t ch;
    parse(&ch, false);
    policy_decision_t d;
    policy_decide(&p, &ch, &d);
    cr_assert_eq(d.reaction.kind, REACT_ALERT);
    cr_assert_eq(d.reaction.alert, 40);
    cr_assert_str_eq(d.rule, "no_key_share");
    cr_assert_eq(d.chosen_suite, 0);
    cr_assert_not(d.hello_retry);
    clienthello_free(&ch);
}

/* A 1.2-only server answers the same hello with TLS 1.2 and no HRR. */
Test(policy_tls13, tls12_only_server_negotiates_12)
{
    static const uint16_t g[] = {0x0018};
    server_profile_t p = tls13_profile(g, 1);
    p.max_version = 0x0303;
    p.on_no_key_share = (reaction_t){REACT_ALERT, 40};
    clienthello_t ch;
    parse(&ch, true);
    policy_decision_t d;
    policy_decide(&p, &ch, &d);
    cr_assert_eq(d.reaction.kind, REACT_CONTINUE, "%s", d.reason);
    cr_assert_eq(d.version, 0x0303);
    cr_assert_eq(d.chosen_suite, 0xc02f);
    cr_assert_not(d.hello_retry);
    clienthello_free(&ch);
}

Test(policy_tls13, live_limits_keep_13_only_with_a_worker)
{
    static const uint16_t g[] = {0x0018};
    server_profile_t p = tls13_profile(g, 1);
    p.min_version = 0x0304;
    clienthello_t ch;
    parse(&ch, true);
    policy_decision_t d;
    policy_decide(&p, &ch, &d);
    policy_live_caps_t caps = {.tls13 = true};
    policy_live_limits_caps(&p, &ch, &d, &caps);
    cr_assert_eq(d.reaction.kind, REACT_CONTINUE, "%s", d.reason);
    cr_assert(d.hello_retry);
    policy_live_limits(&p, &ch, &d);
    cr_assert_eq(d.reaction.kind, REACT_ALERT);
    cr_assert_str_eq(d.rule, "live_tls13");
    cr_assert_not(d.hello_retry);
    clienthello_free(&ch);
}
