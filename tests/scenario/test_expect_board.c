/* The bring-up scenarios of the catalog (fixtures/scenarios/bringup-*.yaml)
 * against results: each expectation reads typed fields only (HELLO's clock
 * source, the RESULT's counters, the run's self-test), and on sim and QEMU
 * they are skipped by `requires` with the reason. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <jansson.h>
#include <string.h>

#include "expect.h"
#include "requires.h"
#include "run_tlsrig.h"
#include "scenario.h"

static scenario_t *load(const char *name)
{
    char rel[256], path[4096], err[1024] = "";
    snprintf(rel, sizeof rel, "fixtures/scenarios/%s.yaml", name);
    source_path(rel, path, sizeof path);
    scenario_t *s = scenario_load_file(path, err, sizeof err);
    cr_assert_not_null(s, "%s", err);
    return s;
}

/* A passing handshake result, as scenario_exec builds it. */
static json_t *passing(void)
{
    return json_pack("{s:s, s:s, s:i, s:{}}", "outcome", "pass", "verdict", "handshake-ok",
                     "mbedtls_ret", 0, "agent");
}

static const char *detail(json_t *r)
{
    const char *d = json_string_value(json_object_get(r, "expect_detail"));
    return d ? d : "";
}

Test(expect_board, clock_source_comes_from_hello)
{
    scenario_t *s = load("bringup-clock");
    json_t *r = passing();
    json_object_set_new(json_object_get(r, "agent"), "clock_source",
                        json_string("hsi-fallback-168mhz"));
    cr_expect_not(expect_evaluate(s, r));
    cr_expect(strstr(detail(r), "hsi-fallback-168mhz") != NULL, "%s", detail(r));
    json_decref(r);

    r = passing();
    cr_expect_not(expect_evaluate(s, r), "no clock source in HELLO is not HSE");
    json_decref(r);

    r = passing();
    json_object_set_new(json_object_get(r, "agent"), "clock_source",
                        json_string("hse-bypass-168mhz"));
    cr_expect(expect_evaluate(s, r), "%s", detail(r));
    json_decref(r);
    scenario_free(s);
}

Test(expect_board, goodput_from_the_result_counters)
{
    scenario_t *s = load("bringup-uart");
    json_t *r = passing();
    json_object_set_new(r, "bytes_in", json_integer(20000));
    json_object_set_new(r, "bytes_out", json_integer(2000));
    json_object_set_new(r, "target_duration_us", json_integer(2000000));
    cr_expect(expect_evaluate(s, r), "11000 B/s: %s", detail(r));
    cr_expect_float_eq(json_real_value(json_object_get(r, "goodput_bps")), 11000.0, 0.5);
    json_object_set_new(r, "target_duration_us", json_integer(10000000));
    cr_expect_not(expect_evaluate(s, r), "2200 B/s is too slow");
    json_decref(r);

    r = passing();
    cr_expect_not(expect_evaluate(s, r), "no counters: no evidence");
    cr_expect(strstr(detail(r), "no byte counts") != NULL, "%s", detail(r));
    json_decref(r);
    scenario_free(s);
}

Test(expect_board, selftest_of_this_image)
{
    scenario_t *s = load("bringup-crypto");
    json_t *r = passing();
    cr_expect_not(expect_evaluate(s, r), "no self-test ran");
    json_object_set_new(r, "selftest_outcome", json_string("fail"));
    cr_expect_not(expect_evaluate(s, r));
    json_object_set_new(r, "selftest_outcome", json_string("pass"));
    cr_expect(expect_evaluate(s, r), "%s", detail(r));
    json_decref(r);
    scenario_free(s);
}

Test(expect_board, bringup_is_skipped_off_silicon_and_runs_on_it)
{
    static const char *const names[] = {"bringup-clock", "bringup-uart", "bringup-crypto",
                                        "bringup-handshake"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        scenario_t *s = load(names[i]);
        agent_info_t info;
        memset(&info, 0, sizeof info);
        snprintf(info.backend, sizeof info.backend, "hw");
        snprintf(info.config, sizeof info.config, "full");
        snprintf(info.features, sizeof info.features, "tls1.2,sha256,gcm,hw-crypto");
        char why[256] = "";
        cr_expect_not(requires_met(s, &info, why, sizeof why), "%s ran on the sim", names[i]);
        cr_expect(strstr(why, "silicon") != NULL, "%s: %s", names[i], why);
        snprintf(info.features, sizeof info.features, "tls1.2,sha256,gcm,hw-crypto,silicon");
        cr_expect(requires_met(s, &info, why, sizeof why), "%s: %s", names[i], why);
        json_t *skipped = json_pack("{s:s}", "outcome", "skipped");
        cr_expect(expect_evaluate(s, skipped), "a skip meets the expectation");
        json_decref(skipped);
        scenario_free(s);
    }
}
