/* `tlsrig compare --upgrade` and the run reports' stacks side by side, from a real sim run on
 * both stacks (sw and hw): the classes the catalog really shows (unchanged, newly failing as
 * the scenario expects on 3.6, newly passing), and, from those results rewritten through the
 * results writer with one typed field changed, the classes and exit codes the catalog does
 * not show today (a regression, changed behaviour, only on one stack, identical stacks). */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "e2e_util.h"
#include "upgrade_test_util.h"

Test(upgrade, real_run_classes_and_error_names_by_release, .timeout = 300)
{
    char *out, *err;
    const char *args[] = {"compare", "--upgrade", shared_run(), "--json", NULL};
    cr_assert_eq(tlsrig("classes", &out, &err, args), 0, "%s%s", out, err);
    json_t *sc = parse(out);
    cr_assert_str_eq(s_of(sc, "base_stack", NULL), "mbedtls-2.28");
    cr_assert_str_eq(s_of(sc, "new_stack", NULL), "mbedtls-3.6");
    cr_assert(json_is_false(json_object_get(sc, "regression")));
    static const char *const backends[] = {"sw", "hw"};
    for (size_t b = 0; b < 2; b++) {
        const char *be = backends[b];
        cr_assert_str_eq(class_of(sc, "happy-ecdhe-rsa-aes128-gcm-p256", be), "unchanged");
        cr_assert_str_eq(class_of(sc, "crypto-selftest", be), "unchanged");
        /* Fails on 3.6.3+ as the scenario's expect_stacks says: listed, no regression. */
        const json_t *g = row(sc, "google-no-sni-completes", be);
        cr_assert_str_eq(s_of(g, "class", NULL), "newly-failing");
        cr_assert(json_is_false(json_object_get(g, "regression")));
        cr_assert(strstr(s_of(g, "known_why", NULL), "CVE-2025-27809") != NULL);
        cr_assert_str_eq(s_of(g, "base", "version"), "TLSv1.2");
        cr_assert_str_eq(s_of(g, "new", "verdict"), "hostname-not-set");
        /* -0x5D80 is named by 3.6's table (the host's 2.28 table does not know it). */
        cr_assert_str_eq(s_of(g, "new", "error"),
                         "MBEDTLS_ERR_SSL_CERTIFICATE_VERIFICATION_WITHOUT_HOSTNAME");
        const json_t *h = row(sc, "hs-message-split-records", be);
        cr_assert_str_eq(s_of(h, "class", NULL), "newly-passing");
        cr_assert_str_eq(s_of(h, "base", "error"), "MBEDTLS_ERR_SSL_FEATURE_UNAVAILABLE");
        cr_assert_str_eq(s_of(h, "new", "suite"), "TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256");
        /* Both fail the same way: the alert and the verdict agree. */
        const json_t *s = row(sc, "sni-missing", be);
        cr_assert_str_eq(s_of(s, "class", NULL), "unchanged");
        cr_assert_eq(
            json_integer_value(json_object_get(json_object_get(s, "new"), "alert_received")), 40);
        cr_assert_str_eq(s_of(s, "new", "alert_received_name"), "handshake_failure");
        cr_assert(json_is_number(json_object_get(json_object_get(s, "new"), "heap_peak")));
        cr_assert(json_is_number(json_object_get(json_object_get(s, "base"), "handshake_us")));
    }
    const json_t *counts = json_object_get(sc, "counts");
    cr_assert_eq(json_integer_value(json_object_get(counts, "unchanged")), 8);
    cr_assert_eq(json_integer_value(json_object_get(counts, "newly-failing")), 2);
    cr_assert_eq(json_integer_value(json_object_get(counts, "newly-passing")), 2);
    json_decref(sc);
    free(out);
    free(err);
    const char *text_args[] = {"compare", "--upgrade", shared_run(), NULL};
    cr_assert_eq(tlsrig("classes-text", &out, &err, text_args), 0);
    cr_assert(strstr(out, "no regression on mbedtls-3.6 against mbedtls-2.28") != NULL, "%s", out);
    cr_assert(strstr(out, "newly-failing (2):") != NULL, "%s", out);
    free(out);
    free(err);
}

/* The run's own reports: the stacks side by side in report.json (the same comparison as
 * compare --upgrade), summary.md and report.html; JUnit keeps them apart; hw/sw parity
 * pairs each stack's results (before: the 3.6 pairs were lost to the 2.28 ones). */
Test(upgrade, run_reports_show_the_stacks_side_by_side, .timeout = 300)
{
    const char *dir = shared_run();
    char path[800];
    snprintf(path, sizeof path, "%s/report.json", dir);
    char *text = e2e_slurp(path);
    json_t *doc = parse(text);
    free(text);
    char *out;
    const char *args[] = {"compare", "--upgrade", dir, "--json", NULL};
    cr_assert_eq(tlsrig("report-json", &out, NULL, args), 0);
    json_t *sc = parse(out);
    free(out);
    cr_assert(json_equal(json_object_get(doc, "stacks_side_by_side"), sc));
    const json_t *parity = json_object_get(doc, "parity");
    cr_assert_eq(json_integer_value(json_object_get(parity, "pairs")), 10);
    size_t i, on36 = 0, on28 = 0;
    const json_t *p;
    json_array_foreach(json_object_get(parity, "rows"), i, p)
    {
        on36 += strcmp(s_of(p, "stack", NULL), "mbedtls-3.6") == 0;
        on28 += strcmp(s_of(p, "stack", NULL), "mbedtls-2.28") == 0;
        cr_assert(json_is_true(json_object_get(p, "match")));
    }
    cr_assert_eq(on36, 5);
    cr_assert_eq(on28, 5);
    json_decref(sc);
    json_decref(doc);

    snprintf(path, sizeof path, "%s/summary.md", dir);
    char *md = e2e_slurp(path);
    cr_assert(strstr(md, "### Stacks side by side: mbedtls-2.28 (2.28.3) &rarr; mbedtls-3.6 "
                         "(3.6.6)") != NULL,
              "%s", md);
    cr_assert(strstr(md, "| scenario | image | class | mbedtls-2.28 | mbedtls-3.6 | notes |"));
    cr_assert(strstr(md, "| google-no-sni-completes | sw sim full | newly-failing | pass TLSv1.2 "
                         "TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256 x25519;") != NULL,
              "%s", md);
    /* Rows that need a look come first. */
    cr_assert(strstr(md, "| newly-failing |") < strstr(md, "| unchanged |"));
    free(md);

    snprintf(path, sizeof path, "%s/report.html", dir);
    char *html = e2e_slurp(path);
    cr_assert(strstr(html, "<section id=stacks><h2>Stacks side by side: mbedtls-2.28 (2.28.3) "
                           "&rarr; mbedtls-3.6 (3.6.6)</h2>") != NULL);
    cr_assert(strstr(html, "<th colspan=6>mbedtls-2.28</th><th colspan=6>mbedtls-3.6</th>"));
    cr_assert(strstr(html, "<td class=chg>fail") != NULL, "the changed outcome is marked");
    cr_assert(strstr(html, "<a href='#stacks'>stacks</a>") != NULL);
    free(html);

    snprintf(path, sizeof path, "%s/junit.xml", dir);
    char *xml = e2e_slurp(path);
    static const char *const classes[] = {"\"sim.sw.full\"", "\"sim.hw.full\"",
                                          "\"sim.sw.full.mbedtls-3_6\"",
                                          "\"sim.hw.full.mbedtls-3_6\""};
    for (size_t k = 0; k < 4; k++) {
        cr_assert(strstr(xml, classes[k]) != NULL, "%s", classes[k]);
    }
    free(xml);
}

/* A run on each stack: refused without --upgrade (exit 2, pointing at it), and compared
 * with it exactly as the one run holding both stacks. */
Test(upgrade, two_runs_compare_as_one_and_plain_compare_refuses, .timeout = 300)
{
    json_t *all = shared_results();
    json_t *b = of_stack(all, "mbedtls-2.28"), *n = of_stack(all, "mbedtls-3.6");
    char bd[512], nd[512];
    write_run("upgrade-base", b, bd, sizeof bd);
    write_run("upgrade-new", n, nd, sizeof nd);
    char *out, *err;
    const char *plain[] = {"compare", bd, nd, NULL};
    cr_assert_eq(tlsrig("plain", &out, &err, plain), 2);
    cr_assert(strstr(err, "tlsrig compare --upgrade BASE NEW") != NULL, "%s", err);
    free(out);
    free(err);
    const char *two[] = {"compare", "--upgrade", bd, nd, "--json", NULL};
    cr_assert_eq(tlsrig("two", &out, NULL, two), 0);
    json_t *sc2 = parse(out);
    free(out);
    const char *one[] = {"compare", "--upgrade", shared_run(), "--json", NULL};
    cr_assert_eq(tlsrig("one", &out, NULL, one), 0);
    json_t *sc1 = parse(out);
    free(out);
    cr_assert(json_equal(sc1, sc2));
    json_decref(sc1);
    json_decref(sc2);
    json_decref(b);
    json_decref(n);
    json_decref(all);
}

/* A handshake that completes on 2.28 and, against its expectation, fails on 3.6. */
Test(upgrade, a_new_failure_not_expected_is_a_regression, .timeout = 300)
{
    json_t *all = shared_results();
    json_t *n = of_stack(all, "mbedtls-3.6");
    json_t *happy = find(n, "happy-ecdhe-rsa-aes128-gcm-p256", "sw");
    const json_t *google = find(n, "google-no-sni-completes", "sw");
    static const char *const from_google[] = {"outcome", "mbedtls_ret", "verdict"};
    for (size_t k = 0; k < 3; k++) {
        json_object_set(happy, from_google[k], json_object_get(google, from_google[k]));
    }
    json_object_set_new(happy, "expect_met", json_false());
    json_object_set_new(happy, "expect_detail", json_string("outcome: expected pass, got fail"));
    json_object_del(happy, "version");
    json_object_del(happy, "suite");
    json_t *merged = of_stack(all, "mbedtls-2.28");
    json_array_extend(merged, n);
    char dir[512];
    write_run("upgrade-regression", merged, dir, sizeof dir);
    char *out, *err;
    const char *args[] = {"compare", "--upgrade", dir, "--json", NULL};
    cr_assert_eq(tlsrig("regression", &out, &err, args), 1, "%s", err);
    json_t *sc = parse(out);
    free(out);
    free(err);
    const json_t *r = row(sc, "happy-ecdhe-rsa-aes128-gcm-p256", "sw");
    cr_assert_str_eq(s_of(r, "class", NULL), "newly-failing");
    cr_assert(json_is_true(json_object_get(r, "regression")));
    cr_assert(strstr(s_of(r, "regression_why", NULL),
                     "as expected on mbedtls-2.28, not as expected on mbedtls-3.6") != NULL);
    /* Only sw changed: hw/sw parity on 3.6 is lost as well, the second regression. */
    cr_assert_eq(json_integer_value(json_object_get(sc, "regressions")), 2);
    const json_t *lost = json_array_get(json_object_get(sc, "parity_changes"), 0);
    cr_assert_str_eq(s_of(lost, "scenario", NULL), "happy-ecdhe-rsa-aes128-gcm-p256");
    cr_assert(json_is_false(json_object_get(lost, "new_match")));
    json_decref(sc);
    const char *text[] = {"compare", "--upgrade", dir, NULL};
    cr_assert_eq(tlsrig("regression-text", &out, NULL, text), 1);
    cr_assert(strstr(out, "REGRESSION: 2 regression(s) on mbedtls-3.6 against mbedtls-2.28"));
    cr_assert(strstr(out, "PARITY LOST: happy-ecdhe-rsa-aes128-gcm-p256") != NULL, "%s", out);
    /* The same in any line order, parity changes included. */
    json_t *reversed = json_array();
    for (size_t k = json_array_size(merged); k > 0; k--) {
        json_array_append(reversed, json_array_get(merged, k - 1));
    }
    char rdir[512], *rout;
    write_run("upgrade-regression-rev", reversed, rdir, sizeof rdir);
    const char *rtext[] = {"compare", "--upgrade", rdir, NULL};
    cr_assert_eq(tlsrig("regression-rev", &rout, NULL, rtext), 1);
    cr_assert_str_eq(out, rout);
    free(rout);
    json_decref(reversed);
    free(out);
    json_decref(merged);
    json_decref(n);
    json_decref(all);
}

/* A different suite, a different failure, a different error code for the same failure, a
 * scenario that ran on one stack only: listed, none of them a regression. Each change is
 * made on both backends, so hw/sw parity holds. */
Test(upgrade, changed_behaviour_and_one_stack_only, .timeout = 300)
{
    json_t *all = shared_results();
    json_t *n = of_stack(all, "mbedtls-3.6");
    static const char *const backends[] = {"sw", "hw"};
    for (size_t b = 0; b < 2; b++) {
        json_object_set_new(find(n, "happy-ecdhe-rsa-aes128-gcm-p256", backends[b]), "suite",
                            json_string("TLS-ECDHE-RSA-WITH-AES-256-GCM-SHA384"));
        json_t *sni = find(n, "sni-missing", backends[b]);
        json_object_set_new(sni, "alert_received", json_integer(112));
        json_object_set_new(sni, "verdict", json_string("sni-unknown-name"));
        /* Same verdict, another code: compared by meaning, only flagged. */
        json_object_set_new(find(n, "unknown-ca", backends[b]), "mbedtls_ret",
                            json_integer(-0x6E00));
        json_t *gone = find(n, "hs-message-split-records", backends[b]);
        size_t i;
        json_t *r;
        json_array_foreach(n, i, r)
        {
            if (r == gone) {
                json_array_remove(n, i);
                break;
            }
        }
    }
    json_t *merged = of_stack(all, "mbedtls-2.28");
    json_array_extend(merged, n);
    char dir[512];
    write_run("upgrade-changed", merged, dir, sizeof dir);
    char *out, *err;
    const char *args[] = {"compare", "--upgrade", dir, "--json", NULL};
    cr_assert_eq(tlsrig("changed", &out, &err, args), 0, "%s%s", out, err);
    json_t *sc = parse(out);
    free(out);
    free(err);
    json_t *suite_change = json_pack("[s]", "suite");
    json_t *failure_change = json_pack("[ss]", "alert_received", "verdict");
    for (size_t b = 0; b < 2; b++) {
        const json_t *suite = row(sc, "happy-ecdhe-rsa-aes128-gcm-p256", backends[b]);
        cr_assert_str_eq(s_of(suite, "class", NULL), "changed-behaviour");
        cr_assert(json_equal(json_object_get(suite, "changes"), suite_change));
        const json_t *fail = row(sc, "sni-missing", backends[b]);
        cr_assert_str_eq(s_of(fail, "class", NULL), "changed-behaviour");
        cr_assert(json_equal(json_object_get(fail, "changes"), failure_change));
        cr_assert_str_eq(s_of(fail, "new", "alert_received_name"), "unrecognized_name");
        const json_t *code = row(sc, "unknown-ca", backends[b]);
        cr_assert_str_eq(s_of(code, "class", NULL), "unchanged");
        cr_assert(json_is_true(json_object_get(code, "error_code_differs")));
        cr_assert_str_eq(s_of(code, "new", "error"), "MBEDTLS_ERR_SSL_HANDSHAKE_FAILURE");
        cr_assert_str_eq(s_of(code, "base", "error"), "MBEDTLS_ERR_X509_CERT_VERIFY_FAILED");
        const json_t *one = row(sc, "hs-message-split-records", backends[b]);
        cr_assert_str_eq(s_of(one, "class", NULL), "only-on-one-stack");
        cr_assert(json_is_null(json_object_get(one, "new")));
    }
    cr_assert(json_is_false(json_object_get(sc, "regression")));
    cr_assert_eq(json_array_size(json_object_get(sc, "parity_changes")), 0);
    json_decref(suite_change);
    json_decref(failure_change);
    json_decref(sc);
    json_decref(merged);
    json_decref(n);
    json_decref(all);
}

/* The same results under both stack names compare equal; the output does not depend on
 * the order of the lines. */
Test(upgrade, identical_stacks_compare_equal_in_any_order, .timeout = 300)
{
    json_t *all = shared_results();
    json_t *b = of_stack(all, "mbedtls-2.28"), *same = of_stack(all, "mbedtls-2.28");
    size_t i;
    json_t *r;
    json_array_foreach(same, i, r)
    {
        json_object_set_new(r, "stack", json_string("mbedtls-3.6"));
    }
    char bd[512], nd[512], rbd[512], rnd[512];
    write_run("upgrade-same-base", b, bd, sizeof bd);
    write_run("upgrade-same-new", same, nd, sizeof nd);
    char *out;
    const char *args[] = {"compare", "--upgrade", bd, nd, "--json", NULL};
    cr_assert_eq(tlsrig("same", &out, NULL, args), 0);
    json_t *sc = parse(out);
    const json_t *row_i;
    json_array_foreach(json_object_get(sc, "rows"), i, row_i)
    {
        cr_assert_str_eq(s_of(row_i, "class", NULL), "unchanged", "%s", s_of(row_i, "key", NULL));
        cr_assert(json_is_false(json_object_get(row_i, "error_code_differs")));
    }
    cr_assert_eq(
        (size_t)json_integer_value(json_object_get(json_object_get(sc, "counts"), "unchanged")),
        json_array_size(json_object_get(sc, "rows")));
    json_decref(sc);
    /* Reversed line order: byte-identical output, JSON and text. */
    json_t *rb = json_array(), *rn = json_array();
    for (size_t k = json_array_size(b); k > 0; k--) {
        json_array_append(rb, json_array_get(b, k - 1));
    }
    for (size_t k = json_array_size(same); k > 0; k--) {
        json_array_append(rn, json_array_get(same, k - 1));
    }
    write_run("upgrade-rev-base", rb, rbd, sizeof rbd);
    write_run("upgrade-rev-new", rn, rnd, sizeof rnd);
    char *rev;
    const char *rargs[] = {"compare", "--upgrade", rbd, rnd, "--json", NULL};
    cr_assert_eq(tlsrig("same-rev", &rev, NULL, rargs), 0);
    cr_assert_str_eq(out, rev);
    free(out);
    free(rev);
    const char *targs[] = {"compare", "--upgrade", bd, nd, NULL};
    const char *rtargs[] = {"compare", "--upgrade", rbd, rnd, NULL};
    cr_assert_eq(tlsrig("same-text", &out, NULL, targs), 0);
    cr_assert_eq(tlsrig("same-rev-text", &rev, NULL, rtargs), 0);
    cr_assert_str_eq(out, rev);
    free(out);
    free(rev);
    json_decref(rb);
    json_decref(rn);
    json_decref(b);
    json_decref(same);
    json_decref(all);
}

static size_t leftovers(const char *dir)
{
    DIR *d = opendir(dir);
    cr_assert(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        n += strstr(e->d_name, ".tmp-") != NULL;
    }
    closedir(d);
    return n;
}

Test(upgrade, out_dir_gets_the_three_files_whole, .timeout = 300)
{
    char base[512], dir[700];
    e2e_tmpdir("upgrade-out", base, sizeof base);
    snprintf(dir, sizeof dir, "%s/report", base); /* created by the command */
    char *out;
    const char *args[] = {"compare", "--upgrade", shared_run(), "--json", "--out", dir, NULL};
    cr_assert_eq(tlsrig("out", &out, NULL, args), 0);
    json_t *sc = parse(out);
    free(out);
    char path[800];
    snprintf(path, sizeof path, "%s/upgrade.json", dir);
    char *text = e2e_slurp(path);
    json_t *file = parse(text);
    free(text);
    cr_assert(json_equal(sc, file));
    snprintf(path, sizeof path, "%s/upgrade.md", dir);
    text = e2e_slurp(path);
    cr_assert(strstr(text, "### Stacks side by side: mbedtls-2.28") == text, "%s", text);
    free(text);
    snprintf(path, sizeof path, "%s/upgrade.html", dir);
    text = e2e_slurp(path);
    cr_assert(strstr(text, "<section id=stacks>") && strstr(text, "</html>\n"));
    free(text);
    cr_assert_eq(leftovers(dir), 0);
    json_decref(sc);
    json_decref(file);
    /* A directory that cannot be made: exit 3, naming it. */
    char bad[800], *err;
    snprintf(bad, sizeof bad, "%s/upgrade.json/x", dir);
    const char *fail[] = {"compare", "--upgrade", shared_run(), "--out", bad, NULL};
    cr_assert_eq(tlsrig("out-bad", &out, &err, fail), 3);
    cr_assert(strstr(err, bad) != NULL, "%s", err);
    free(out);
    free(err);
    /* A full disk behind stdout: exit 3, not a silent 0. */
    char errfile[800];
    snprintf(errfile, sizeof errfile, "%s/full.err", base);
    const char *full[] = {"compare", "--upgrade", shared_run(), NULL};
    cr_assert_eq(e2e_run_err("/dev/full", errfile, full), 3);
    err = e2e_slurp(errfile);
    cr_assert(strstr(err, "standard output: write failed") != NULL, "%s", err);
    free(err);
}

Test(upgrade, usage_errors_exit_2, .timeout = 300)
{
    json_t *all = shared_results();
    json_t *b = of_stack(all, "mbedtls-2.28");
    char bd[512];
    write_run("upgrade-one-stack", b, bd, sizeof bd);
    const char *run = shared_run();
    struct {
        const char *args[9];
        const char *says;
    } cases[] = {
        {{"compare", "--upgrade", bd, NULL}, "ran mbedtls-2.28 only"},
        {{"compare", "--upgrade", run, "--from", "mbedtls-3.5", NULL}, "unknown stack"},
        {{"compare", "--upgrade", run, "--from", "mbedtls-3.6", "--to", "mbedtls-3.6", NULL},
         "both mbedtls-3.6"},
        {{"compare", "--upgrade", bd, run, "--from", "mbedtls-3.6", NULL},
         "has no result of that stack"},
        {{"compare", "--upgrade", run, "--time-ratio", "2", NULL}, "do not apply"},
        {{"compare", "--upgrade", NULL}, "usage"},
        {{"compare", run, run, "--to", "mbedtls-3.6", NULL}, "usage"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char *out, *err;
        cr_assert_eq(tlsrig("usage", &out, &err, cases[k].args), 2, "case %zu", k);
        cr_assert(strstr(err, cases[k].says) != NULL, "case %zu: %s", k, err);
        free(out);
        free(err);
    }
    json_decref(b);
    json_decref(all);
}
