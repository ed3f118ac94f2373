/* The join on the rig: a result's diagnosis reads the other backend's result
 * and the image's self-test from what the run recorded before it, and
 * infrastructure errors are classified by what the rig observed. */
#include <criterion/criterion.h>

#include <string.h>

#include "infra_classify.h"
#include "result_diagnosis.h"

static json_t *target_result(const char *backend, int ret, int alert_received)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:o}", "scenario", "happy", "kind", "target",
                     "board", "sim", "config", "full", "backend", backend, "mbedtls_ret", ret,
                     "alert_received",
                     alert_received >= 0 ? json_integer(alert_received) : json_null());
}

static server_view_t gcm_mac_failure(void)
{
    server_view_t sv;
    server_view_init(&sv);
    sv.has_clienthello = true;
    sv.rule = SERVER_RULE_OK;
    sv.chosen_suite = 0xC02F;
    sv.handshake_ran = true;
    sv.handshake_ret = -0x7180;
    sv.alert_sent = 20;
    return sv;
}

static const char *verdict(const json_t *r)
{
    return json_string_value(json_object_get(r, "verdict"));
}

Test(result_diagnosis, hw_failure_after_passing_sw_and_failed_selftest_names_aes_gcm)
{
    json_t *prior = json_array();
    json_array_append_new(prior, target_result("sw", 0, -1));
    json_array_append_new(prior,
                          json_pack("{s:s, s:s, s:s, s:s, s:s, s:[s]}", "scenario",
                                    "crypto-selftest", "kind", "selftest", "board", "sim", "config",
                                    "full", "backend", "hw", "failed_primitives", "aes-gcm"));
    json_t *hw = target_result("hw", -0x7780, 20);
    server_view_t sv = gcm_mac_failure();
    cr_assert_eq(result_add_diagnosis(hw, NULL, &sv, prior), 0);
    cr_assert_str_eq(verdict(hw), "hw-crypto-divergence");
    cr_assert_str_eq(json_string_value(json_object_get(hw, "primitive")), "aes-gcm");
    cr_assert_geq(json_array_size(json_object_get(hw, "candidates")), 2);
    /* Without the run's context the same facts give the symptom verdict. */
    json_t *alone = target_result("hw", -0x7780, 20);
    result_add_diagnosis(alone, NULL, &sv, NULL);
    cr_assert_str_eq(verdict(alone), "record-protection");
    cr_assert_str_eq(json_string_value(json_object_get(alone, "primitive")), "aes-gcm");
    json_decref(alone);
    json_decref(hw);
    json_decref(prior);
}

Test(result_diagnosis, infra_errors_keep_their_cause)
{
    json_t *r = target_result("hw", 0, -1);
    json_object_set_new(r, "mbedtls_ret", json_null());
    result_set_infra(r, INFRA_AGENT_HANG, "no RESULT within 20000 ms");
    cr_assert_str_eq(verdict(r), "agent-hang");
    cr_assert_str_eq(json_string_value(json_object_get(r, "infra_cause")), "agent-hang");
    cr_assert_str_eq(json_string_value(json_object_get(r, "outcome")), "infra-error");
    cr_assert(strstr(json_string_value(json_object_get(r, "fix")), "baud") == NULL);
    json_decref(r);
}

static bool fake_alive_result;
static bool fake_alive(target_handle_t *t, char *why, size_t cap)
{
    (void)t;
    snprintf(why, cap, "fake");
    return fake_alive_result;
}

Test(result_diagnosis, rpc_failures_classified_by_what_the_rig_saw)
{
    flasher_t f = {.name = "fake", .alive = fake_alive};
    target_handle_t h = {.pid = 0, .link_fd = -1};
    fake_alive_result = true;
    cr_assert_eq(infra_classify_rpc(&f, &h, AGENT_RPC_NO_ANSWER), INFRA_AGENT_HANG);
    cr_assert_eq(infra_classify_rpc(&f, &h, AGENT_RPC_LINK_LOST), INFRA_LINK_ERROR);
    cr_assert_eq(infra_classify_rpc(&f, &h, AGENT_RPC_REFUSED), INFRA_HOST_ERROR);
    cr_assert_eq(infra_classify_rpc(&f, &h, AGENT_RPC_MALFORMED), INFRA_LINK_ERROR);
    fake_alive_result = false;
    cr_assert_eq(infra_classify_rpc(&f, &h, AGENT_RPC_NO_ANSWER), INFRA_AGENT_CRASH);
    h.hard_fault = true;
    cr_assert_eq(infra_classify_rpc(&f, &h, AGENT_RPC_LINK_LOST), INFRA_HARD_FAULT);
    cr_assert_eq(infra_classify_stopped(&h), INFRA_HARD_FAULT);
}
