/* issue 18 wolfagent: a wolfSSL sim image over the real link: HELLO names the stack, wolfSSL's
 * version and the build options of its profile (parsed by agent_rpc.c), no mbedTLS version;
 * SELFTEST runs wolfCrypt's checks (issue 18 wolfint; on the hw image on the engines, where a
 * fault names its primitive), BENCH answers "unsupported" with its reason (typed status). */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent_rpc.h"
#include "flasher.h"
#include "proto.h"

extern const flasher_t flasher_sim;

static target_handle_t g_t;
static host_link_t g_link;

static void start_image(const char *backend, const char *profile)
{
    char image[4096], err[512], console[4200];
    snprintf(image, sizeof image, "%s/images/tlsrig-agent-sim-%s-%s-wolfssl",
             getenv("TLSRIG_BUILD_DIR"), backend, profile);
    snprintf(console, sizeof console, "%s/agent-wolfssl-test-console.log",
             getenv("TLSRIG_BUILD_DIR"));
    board_config_t b = {.name = "sim"};
    memset(&g_t, 0, sizeof g_t);
    cr_assert_eq(flasher_sim.start(&b, image, console, &g_t, err, sizeof err), 0, "%s", err);
    host_link_init(&g_link, g_t.link_fd);
}

static void start(const char *profile)
{
    start_image("sw", profile);
}

static void stop(void)
{
    host_link_free(&g_link);
    flasher_sim.stop(&g_t);
}

/* Whole comma-separated names only: "HAVE_SNI" must not match "HAVE_SNI_X". */
static bool listed(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; (p = strstr(p, name)) != NULL; p += n) {
        if ((p == list || p[-1] == ',') && (p[n] == ',' || p[n] == '\0')) {
            return true;
        }
    }
    return false;
}

Test(agent_wolfssl, hello_names_stack_version_and_options, .fini = stop)
{
    start("full");
    agent_info_t info;
    char err[256];
    cr_assert_eq(agent_hello(&g_link, &info, 5000, err, sizeof err), 0, "%s", err);
    cr_expect_str_eq(info.tls_stack, "wolfssl");
    cr_expect_str_eq(info.tls_lib_version, "5.7.2");
    cr_expect_str_eq(info.mbedtls_version, "");
    cr_expect_str_eq(info.config, "full");
    cr_expect(listed(info.tls_options, "HAVE_SUPPORTED_CURVES"), "%s", info.tls_options);
    cr_expect(listed(info.tls_options, "HAVE_SNI"), "%s", info.tls_options);
    cr_expect(listed(info.tls_options, "WOLFSSL_TLS13"), "%s", info.tls_options);
    cr_expect(listed(info.features, "sni") && listed(info.features, "tls1.3"), "%s", info.features);
    cr_expect_gt(info.n_suites, 0u);
    bool p256 = false;
    for (size_t i = 0; i < info.n_groups; i++) {
        p256 = p256 || info.groups[i] == 23;
    }
    cr_expect(p256);
}

Test(agent_wolfssl, field_profiles_lack_their_option, .fini = stop)
{
    start("no-supported-curves");
    agent_info_t info;
    char err[256];
    cr_assert_eq(agent_hello(&g_link, &info, 5000, err, sizeof err), 0, "%s", err);
    cr_expect_not(listed(info.tls_options, "HAVE_SUPPORTED_CURVES"), "%s", info.tls_options);
    cr_expect_not(listed(info.tls_options, "WOLFSSL_TLS13"), "%s", info.tls_options);
    cr_expect(listed(info.tls_options, "HAVE_SNI"), "%s", info.tls_options);
    cr_expect_not(listed(info.features, "supported-groups"), "%s", info.features);
}

/* The status of one self-test primitive ("pass", "fail", "skipped"), NULL when absent. */
static const char *prim_status(const json_t *st, const char *name)
{
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(st, "primitives"), i, p)
    {
        if (strcmp(json_string_value(json_object_get(p, "name")), name) == 0) {
            return json_string_value(json_object_get(p, "status"));
        }
    }
    return NULL;
}

/* issue 18 wolfint: SELFTEST runs wolfCrypt's known-answer checks (software on a sw image);
 * BENCH is refused with its reason; FAULT needs the hw image's models. */
Test(agent_wolfssl, selftest_runs_bench_and_fault_are_refused_on_sw, .fini = stop)
{
    start("full");
    char err[256];
    json_t *st = agent_selftest(&g_link, 5000, err, sizeof err);
    cr_assert_not_null(st, "%s", err);
    static const char *const pass[] = {"aes-cbc", "aes-gcm", "sha1", "sha256", "rng"};
    for (size_t i = 0; i < sizeof pass / sizeof *pass; i++) {
        const char *status = prim_status(st, pass[i]);
        cr_expect(status && strcmp(status, "pass") == 0, "%s: %s", pass[i],
                  status ? status : "absent");
    }
    json_decref(st);
    cr_assert_null(agent_bench(&g_link, 5000, err, sizeof err));
    cr_expect_eq(agent_rpc_last_failure(), AGENT_RPC_REFUSED);
    cr_expect_eq(agent_rpc_last_status(), ST_ERR_UNSUPPORTED);
    cr_expect(strstr(err, "unsupported on this stack (wolfssl)") != NULL, "%s", err);
    cr_expect_neq(agent_inject_fault(&g_link, "gcm-tag", 1, 5000, err, sizeof err), 0);
}

/* On the hw image the same checks run on the engines: a model fault fails its primitive. */
Test(agent_wolfssl, hw_selftest_names_an_injected_fault, .fini = stop)
{
    start_image("hw", "full");
    char err[256];
    json_t *st = agent_selftest(&g_link, 5000, err, sizeof err);
    cr_assert_not_null(st, "%s", err);
    cr_expect_str_eq(prim_status(st, "aes-gcm"), "pass");
    cr_expect_str_eq(prim_status(st, "aes-ecb"), "pass");
    json_decref(st);
    cr_assert_eq(agent_inject_fault(&g_link, "gcm-tag", 1, 5000, err, sizeof err), 0, "%s", err);
    st = agent_selftest(&g_link, 5000, err, sizeof err);
    cr_assert_not_null(st, "%s", err);
    cr_expect_str_eq(prim_status(st, "aes-gcm"), "fail");
    cr_expect_str_eq(prim_status(st, "sha256"), "pass");
    json_decref(st);
}
