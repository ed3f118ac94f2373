/* Profile files: all shipped profiles load and say what they model; loader
 * errors name file, line and key; overrides change only what they name. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"
#include "profile_load.h"

static char err[512];

static const char *dir(void)
{
    return profile_default_dir();
}

static char *broken_dir(void)
{
    static char d[1024];
    snprintf(d, sizeof d, "%s/tests/policy/broken", getenv("TLSRIG_SOURCE_DIR"));
    return d;
}

Test(profiles, every_profile_loads_and_documents_itself)
{
    char names[64][PROFILE_NAME_LEN];
    size_t n;
    cr_assert_eq(profile_list(dir(), names, 64, &n), 0);
    const char *required[] = {"gmail-smtp-2016", "azure-appservice-2017",
                              "google-frontend", "sha1-ca",
                              "rsa4096",         "big-chain",
                              "not-yet-valid",   "expired",
                              "wrong-host",      "strict-modern",
                              "legacy-rsa-kx",   "tls13-only",
                              "default",         "google-frontend-2020",
                              "sni-required-cdn"};
    for (size_t r = 0; r < sizeof required / sizeof required[0]; r++) {
        bool found = false;
        for (size_t i = 0; i < n; i++)
            found |= strcmp(names[i], required[r]) == 0;
        cr_assert(found, "profile %s missing", required[r]);
    }
    for (size_t i = 0; i < n; i++) {
        server_profile_t p;
        cr_assert_eq(profile_load(dir(), names[i], &p, err, sizeof err), 0, "%s", err);
        cr_assert_str_eq(p.name, names[i]);
        cr_assert_gt(strlen(p.description), 10, "%s", names[i]);
        cr_assert_gt(strlen(p.models), 10, "%s", names[i]);
        cr_assert_gt(strlen(p.reference), 10, "%s", names[i]);
        cr_assert_gt(p.n_chains, 0, "%s", names[i]);
        /* Every behaviour names its source and a confidence. */
        cr_assert_gt(p.n_behaviours, 0, "%s", names[i]);
        for (size_t b = 0; b < p.n_behaviours; b++) {
            cr_assert_gt(strlen(p.behaviours[b].what), 10, "%s", names[i]);
            cr_assert_gt(strlen(p.behaviours[b].source), 10, "%s", names[i]);
            cr_assert_geq(p.behaviours[b].confidence, CONFIDENCE_LOW, "%s", names[i]);
            cr_assert_leq(p.behaviours[b].confidence, CONFIDENCE_HIGH, "%s", names[i]);
        }
        cr_assert_leq(p.min_version, p.max_version, "%s", names[i]);
    }
}

Test(profiles, field_values_are_converted)
{
    server_profile_t p;
    cr_assert_eq(profile_load(dir(), "azure-appservice-2017", &p, err, sizeof err), 0, "%s", err);
    cr_assert_eq(p.suites[0], 0xc030);
    cr_assert_eq(p.on_no_shared_suite.kind, REACT_RESET);
    cr_assert_eq(p.min_version, 0x0301);
    cr_assert_eq(profile_load(dir(), "google-frontend", &p, err, sizeof err), 0, "%s", err);
    cr_assert_eq(p.n_sni_allow, 4);
    /* TLS 1.2 without SNI completes; an unknown name gets alert 40. */
    cr_assert_eq(p.on_sni_missing.kind, REACT_CONTINUE);
    cr_assert_eq(p.on_sni_unlisted.kind, REACT_ALERT);
    cr_assert_eq(p.on_sni_unlisted.alert, 40);
    cr_assert_eq(p.behaviours[1].confidence, CONFIDENCE_LOW);
    cr_assert_str_eq(p.behaviours[1].keys, "sni_allow, on_sni_unlisted");
    cr_assert(strstr(p.behaviours[1].decides, "real name"), "%s", p.behaviours[1].decides);
    cr_assert_str_eq(p.chains[0], "gfe-ecdsa-p256");
    cr_assert(policy_chain_key(&p, 0).ecdsa);
    cr_assert_eq(profile_load(dir(), "strict-modern", &p, err, sizeof err), 0, "%s", err);
    cr_assert(p.ems_required);
}

Test(profiles, unknown_profile_and_bad_names)
{
    server_profile_t p;
    cr_assert_eq(profile_load(dir(), "no-such-profile", &p, err, sizeof err), -1);
    cr_assert(strstr(err, "no-such-profile"), "%s", err);
    cr_assert_eq(profile_load(dir(), "../profiles/default", &p, err, sizeof err), -1);
}

static void expect_error(const char *name, const char *key, const char *line)
{
    server_profile_t p;
    cr_assert_eq(profile_load(broken_dir(), name, &p, err, sizeof err), -1, "%s loaded", name);
    cr_assert(strstr(err, name), "no file name: %s", err);
    cr_assert(strstr(err, key), "no key %s: %s", key, err);
    if (line)
        cr_assert(strstr(err, line), "no line %s: %s", line, err);
}

Test(profiles, loader_errors_name_file_key_and_line)
{
    expect_error("unknown-key", "sni_allowlist", ":3:");
    expect_error("bad-suite", "suites", ":5:");
    expect_error("bad-suite", "TLS_ECDHE_RSA_WITH_ROT13", NULL);
    expect_error("bad-alert", "on_no_shared_suite", ":2:");
    expect_error("wrong-type", "ems_required", "line: 2");
    expect_error("no-behaviours", "behaviours", NULL);
    expect_error("bad-confidence", "confidence", ":4:");
    expect_error("bad-behaviour-key", "sni_allowlist", ":3:");
}

/* A claim about a real server lives in its profile, not in a scenario. */
Test(profiles, overrides_cannot_claim_behaviours)
{
    server_profile_t p;
    cr_assert_eq(profile_load(dir(), "default", &p, err, sizeof err), 0, "%s", err);
    const char *ov = "behaviours:\n"
                     "  - {what: something else, source: nobody, confidence: high}\n";
    cr_assert_eq(profile_apply_overrides_yaml(&p, ov, err, sizeof err), -1);
    cr_assert(strstr(err, "behaviours"), "%s", err);
}

Test(profiles, overrides_change_only_named_keys)
{
    server_profile_t p, before;
    cr_assert_eq(profile_load(dir(), "gmail-smtp-2016", &p, err, sizeof err), 0, "%s", err);
    before = p;
    const char *ov = "on_no_shared_suite: {action: close}\n"
                     "sni_allow: [mail.example.com]\n"
                     "impairments:\n"
                     "  - {kind: reset_after, hs_type: certificate}\n"
                     "  - {kind: write_chunk, bytes: 3}\n";
    cr_assert_eq(profile_apply_overrides_yaml(&p, ov, err, sizeof err), 0, "%s", err);
    cr_assert_eq(p.on_no_shared_suite.kind, REACT_CLOSE);
    cr_assert_eq(p.n_sni_allow, 1);
    cr_assert_str_eq(p.sni_allow[0], "mail.example.com");
    cr_assert_eq(p.n_impairments, 2);
    cr_assert_eq(p.impairments[0].kind, IMPAIR_RESET_AFTER);
    cr_assert_eq(p.impairments[0].hs_type, 11);
    cr_assert_eq(p.impairments[1].bytes, 3);
    cr_assert_eq(p.n_suites, before.n_suites);
    cr_assert_eq(p.on_ecdhe_without_groups.alert, before.on_ecdhe_without_groups.alert);
    cr_assert_str_eq(p.description, before.description);
}

Test(profiles, bad_override_leaves_profile_unchanged)
{
    server_profile_t p, before;
    cr_assert_eq(profile_load(dir(), "default", &p, err, sizeof err), 0, "%s", err);
    before = p;
    const char *ov = "max_version: TLS1.3\ngroups: [secp256r1, curve9000]\n";
    cr_assert_eq(profile_apply_overrides_yaml(&p, ov, err, sizeof err), -1);
    cr_assert(strstr(err, "groups") && strstr(err, "curve9000") && strstr(err, ":2:"), "%s", err);
    cr_assert_eq(memcmp(&p, &before, sizeof p), 0);
    cr_assert_eq(profile_apply_overrides_yaml(&p, "min_version: TLS1.3\n", err, sizeof err), -1);
    cr_assert(strstr(err, "max_version"), "%s", err);
    cr_assert_eq(profile_apply_overrides_yaml(&p, "max_fragment_length: 1024\n", err, sizeof err),
                 0, "%s", err);
    cr_assert_eq(p.max_fragment_length, 2);
}
