/* The sim agent over the real link: HELLO identity and capabilities, the
 * build id check, and a trust list upload larger than one frame. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent_rpc.h"
#include "flasher.h"
#include "proto.h"
#include "tlv.h"

extern const flasher_t flasher_sim;

static target_handle_t g_t;
static host_link_t g_link;

static void start_agent(void)
{
    char image[4096], err[512], console[4200];
    snprintf(image, sizeof image, "%s/images/tlsrig-agent-sim-sw-full", getenv("TLSRIG_BUILD_DIR"));
    snprintf(console, sizeof console, "%s/agent-test-console.log", getenv("TLSRIG_BUILD_DIR"));
    board_config_t b = {.name = "sim"};
    memset(&g_t, 0, sizeof g_t);
    cr_assert_eq(flasher_sim.start(&b, image, console, &g_t, err, sizeof err), 0, "%s", err);
    host_link_init(&g_link, g_t.link_fd);
}

static void stop_agent(void)
{
    host_link_free(&g_link);
    flasher_sim.stop(&g_t);
}

TestSuite(agent, .init = start_agent, .fini = stop_agent);

static bool has(const uint16_t *v, size_t n, uint16_t x)
{
    for (size_t i = 0; i < n; i++) {
        if (v[i] == x) {
            return true;
        }
    }
    return false;
}

Test(agent, hello_reports_identity_and_capabilities)
{
    agent_info_t info;
    char err[256];
    cr_assert_eq(agent_hello(&g_link, &info, 5000, err, sizeof err), 0, "%s", err);
    cr_expect_str_eq(info.board, "sim");
    cr_expect_str_eq(info.backend, "sw");
    cr_expect_str_eq(info.config, "full");
    cr_expect_str_eq(info.mbedtls_version, "2.28.3");
    cr_expect_eq(info.proto_version, PROTO_VERSION);
    cr_expect_eq(strlen(info.device_uid), 24u, "uid is 12 bytes in hex");
    /* Board facts: the sim reports its clock only (no UART, no reset cause, no panic). */
    cr_expect_str_eq(info.clock_source, "sim");
    cr_expect_str_eq(info.reset_cause, "");
    cr_expect_eq(info.link_baud, 0u);
    cr_expect_not(info.has_panic);
    cr_expect_not(info.panic_malformed);

    char path[4200], expected[64] = "";
    snprintf(path, sizeof path, "%s/images/tlsrig-agent-sim-sw-full.buildid",
             getenv("TLSRIG_BUILD_DIR"));
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f);
    cr_assert_not_null(fgets(expected, sizeof expected, f));
    fclose(f);
    expected[strcspn(expected, "\n")] = '\0';
    cr_expect_str_eq(info.build_id, expected);

    cr_expect(has(info.suites, info.n_suites, 0xC02F), "ECDHE-RSA-AES128-GCM missing");
    cr_expect(has(info.suites, info.n_suites, 0xCCA8), "ECDHE-RSA-CHACHA20 missing");
    cr_expect(has(info.groups, info.n_groups, 23), "secp256r1 missing");
    cr_expect(has(info.groups, info.n_groups, 29), "x25519 missing");
    cr_expect(strstr(info.features, "sha1") != NULL);
    cr_expect(info.heap_size > 0);
}

Test(agent, ca_upload_in_chunks_and_overflow_refused)
{
    char err[256];
    static uint8_t pem[5000];
    memset(pem, 'A', sizeof pem);
    cr_expect_eq(agent_upload_ca(&g_link, pem, sizeof pem, 5000, err, sizeof err), 0, "%s", err);
    /* Over the agent's bounded trust-list buffer: a clean refusal, no crash. */
    static uint8_t big[20000];
    memset(big, 'B', sizeof big);
    cr_expect_neq(agent_upload_ca(&g_link, big, sizeof big, 5000, err, sizeof err), 0);
    cr_expect(strstr(err, "status 2") != NULL, "%s", err);
    agent_info_t info;
    cr_expect_eq(agent_hello(&g_link, &info, 5000, err, sizeof err), 0, "agent still answers: %s",
                 err);
}

Test(agent, unknown_command_is_refused)
{
    char err[256];
    host_msg_t *m = agent_rpc(&g_link, 40, NULL, 0, 5000, NULL, NULL, err, sizeof err);
    cr_assert_not_null(m, "%s", err);
    tlv_item_t it;
    uint8_t st = 0;
    cr_assert(tlv_find(m->payload, m->len, T_STATUS, &it));
    cr_assert(tlv_get_u8(&it, &st));
    cr_expect_eq(st, ST_ERR_UNSUPPORTED);
    free(m);
}

Test(agent, malformed_handshake_settings_give_a_result_not_a_crash)
{
    /* A TLV whose length runs past the end. */
    uint8_t req[] = {T_SNI, 0xFF, 0x00, 'x'};
    char err[256];
    host_msg_t *m =
        agent_rpc(&g_link, CTRL_HANDSHAKE, req, sizeof req, 5000, NULL, NULL, err, sizeof err);
    cr_assert_not_null(m, "%s", err);
    free(m);
    host_msg_t *res = NULL;
    for (int i = 0; i < 500 && !res; i++) {
        host_link_pump(&g_link, 10);
        host_msg_t *x;
        while ((x = host_link_pop(&g_link)) != NULL) {
            if (x->channel == LINK_CH_RESULT) {
                res = x;
            } else {
                free(x);
            }
        }
    }
    cr_assert_not_null(res, "no RESULT");
    tlv_item_t it;
    int32_t ret = 0;
    cr_assert(tlv_find(res->payload, res->len, T_RET, &it));
    cr_assert(tlv_get_i32(&it, &ret));
    cr_expect_eq(ret, -0x7100, "MBEDTLS_ERR_SSL_BAD_INPUT_DATA expected, got -0x%04x", -ret);
    free(res);
}

typedef struct busy_seen {
    int tun_open;
    int hello_answers;
    int results;
} busy_seen_t;

static void busy_count(void *ctx, host_msg_t *m)
{
    busy_seen_t *seen = ctx;
    seen->tun_open += m->channel == LINK_CH_TUNNEL && m->type == TUN_OPEN;
    seen->hello_answers += m->channel == LINK_CH_CTRL && m->type == (CTRL_HELLO | CTRL_RESPONSE);
    seen->results += m->channel == LINK_CH_RESULT;
    free(m);
}

/* Pump until *counter reaches want or 10 s pass. */
static bool pump_until(busy_seen_t *seen, const int *counter, int want)
{
    uint32_t start = host_now_ms();
    while (*counter < want && host_now_ms() - start < 10000u && !host_link_dead(&g_link)) {
        host_link_pump(&g_link, 20);
        host_msg_t *m;
        while ((m = host_link_pop(&g_link)) != NULL) {
            busy_count(seen, m);
        }
    }
    return *counter >= want;
}

/* Issue 12: a CTRL request arriving while another is pending was acked and
 * dropped. Here the agent is inside a handshake (waiting for TUN_OPENED);
 * request B fills its CTRL slot, request C arrives while B is pending. Both
 * must be answered once the handshake ends. */
Test(agent, ctrl_request_arriving_while_one_is_pending_is_answered)
{
    uint8_t req[64];
    tlv_writer_t w;
    tlv_writer_init(&w, req, sizeof req);
    tlv_put_str(&w, T_SCENARIO, "busy-agent");
    char err[256];
    busy_seen_t seen = {0};
    host_msg_t *m =
        agent_rpc(&g_link, CTRL_HANDSHAKE, req, w.len, 5000, busy_count, &seen, err, sizeof err);
    cr_assert_not_null(m, "%s", err);
    free(m);
    cr_assert(pump_until(&seen, &seen.tun_open, 1), "the agent never asked to open the tunnel");

    cr_assert_eq(host_link_send(&g_link, LINK_CH_CTRL, CTRL_HELLO, NULL, 0), 0); /* B */
    uint32_t start = host_now_ms();
    while (!host_link_idle(&g_link) && host_now_ms() - start < 5000u) {
        host_link_pump(&g_link, 20);
    }
    cr_assert(host_link_idle(&g_link), "B was not acked");
    cr_assert_eq(host_link_send(&g_link, LINK_CH_CTRL, CTRL_HELLO, NULL, 0), 0); /* C */
    cr_assert_eq(host_link_send(&g_link, LINK_CH_TUNNEL, TUN_RESET, NULL, 0), 0);

    cr_assert(pump_until(&seen, &seen.results, 1), "no RESULT for the handshake");
    cr_assert(pump_until(&seen, &seen.hello_answers, 2),
              "%d of 2 HELLO requests answered: one was acked and lost", seen.hello_answers);
    cr_expect_eq(seen.hello_answers, 2);
    cr_expect_not(host_link_dead(&g_link));
}
