/* The sim agent's session epoch, PING and RESET over the real link: the
 * epoch in HELLO and PING, uptime that grows, CTRL_RESET ending the process
 * with PROTO_SIM_EXIT_RESET, a restarted agent with a new epoch that
 * agent_reset_detected() and the heartbeat both see. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "agent_rpc.h"
#include "flasher.h"
#include "heartbeat.h"
#include "proto.h"

extern const flasher_t flasher_sim;

static target_handle_t g_t;
static host_link_t g_link;
static bool g_running;

static void start_agent(void)
{
    char image[4096], err[512], console[4200];
    snprintf(image, sizeof image, "%s/images/tlsrig-agent-sim-sw-full", getenv("TLSRIG_BUILD_DIR"));
    snprintf(console, sizeof console, "%s/agent-heartbeat-console.log", getenv("TLSRIG_BUILD_DIR"));
    board_config_t b = {.name = "sim"};
    memset(&g_t, 0, sizeof g_t);
    cr_assert_eq(flasher_sim.start(&b, image, console, &g_t, err, sizeof err), 0, "%s", err);
    host_link_init(&g_link, g_t.link_fd);
    g_running = true;
}

static void stop_agent(void)
{
    if (g_running) {
        host_link_free(&g_link);
        flasher_sim.stop(&g_t);
        g_running = false;
    }
}

TestSuite(agent_heartbeat, .init = start_agent, .fini = stop_agent);

Test(agent_heartbeat, hello_and_ping_carry_the_same_epoch_and_a_growing_uptime)
{
    agent_info_t info;
    agent_pulse_t a, b;
    char err[256];
    cr_assert_eq(agent_hello(&g_link, &info, 5000, err, sizeof err), 0, "%s", err);
    cr_expect_neq(info.session_epoch, 0u, "the agent always has an epoch");
    cr_assert_eq(agent_ping(&g_link, &a, 5000, NULL, NULL, err, sizeof err), 0, "%s", err);
    cr_expect_eq(a.session_epoch, info.session_epoch);
    cr_expect_geq(a.uptime_ms, info.uptime_ms);
    /* Wait on the clock the agent reports, not a sleep: ping until it moved. */
    uint32_t t0 = host_now_ms();
    do {
        cr_assert_eq(agent_ping(&g_link, &b, 5000, NULL, NULL, err, sizeof err), 0, "%s", err);
    } while (b.uptime_ms == a.uptime_ms && host_now_ms() - t0 < 5000);
    cr_expect_gt(b.uptime_ms, a.uptime_ms);
    cr_expect_eq(b.session_epoch, a.session_epoch);
    cr_expect_not(agent_reset_detected(&info, b.session_epoch));
}

/* Reads the link until the agent closes it (the process exited). */
static void wait_for_eof(void)
{
    uint32_t t0 = host_now_ms();
    while (!host_link_dead(&g_link) && host_now_ms() - t0 < 5000) {
        host_link_pump(&g_link, 50);
        free(host_link_pop(&g_link));
    }
    cr_assert(host_link_dead(&g_link), "the agent did not close the link after CTRL_RESET");
}

Test(agent_heartbeat, reset_ends_the_process_and_a_restart_has_a_new_epoch)
{
    agent_info_t before, after;
    char err[256], why[256];
    cr_assert_eq(agent_hello(&g_link, &before, 5000, err, sizeof err), 0, "%s", err);
    cr_assert_eq(agent_reset(&g_link, 5000, err, sizeof err), 0, "%s", err);
    wait_for_eof();
    int status = 0;
    cr_assert_eq(waitpid(g_t.pid, &status, 0), g_t.pid);
    g_t.pid = 0;
    cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == PROTO_SIM_EXIT_RESET,
              "exit status %d, want %d", WEXITSTATUS(status), PROTO_SIM_EXIT_RESET);

    stop_agent();
    start_agent();
    cr_assert_eq(agent_hello(&g_link, &after, 5000, err, sizeof err), 0, "%s", err);
    cr_expect_neq(after.session_epoch, before.session_epoch);
    cr_expect(agent_reset_detected(&before, after.session_epoch));

    /* The heartbeat that still knows the old agent calls it a reset. */
    heartbeat_t hb;
    heartbeat_init(&hb, &g_link, &before, 1000);
    hb.heard_at_ms = host_now_ms() - 1000;
    cr_expect_eq(heartbeat_check(&hb, &g_link, NULL, NULL, why, sizeof why), HEARTBEAT_RESET, "%s",
                 why);
}

Test(agent_heartbeat, sim_alive_names_the_reset)
{
    char err[256], why[256];
    cr_assert_eq(agent_reset(&g_link, 5000, err, sizeof err), 0, "%s", err);
    wait_for_eof();
    /* Wait for the exit without reaping it (WNOWAIT): alive() reaps. */
    siginfo_t si;
    cr_assert_eq(waitid(P_PID, (id_t)g_t.pid, &si, WEXITED | WNOWAIT), 0);
    cr_expect_not(flasher_sim.alive(&g_t, why, sizeof why));
    cr_expect(strstr(why, "reset on request") != NULL, "%s", why);
}
