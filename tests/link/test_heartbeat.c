/* The heartbeat's verdicts (host/link/heartbeat.c): the pure judgement, and
 * heartbeat_check over a socketpair against a scripted peer that answers
 * PING with the known epoch, with another epoch, acks without answering,
 * never reads, or closes the link. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "heartbeat.h"
#include "proto.h"
#include "tlv.h"

typedef enum peer_mode { PEER_ANSWER, PEER_ACK_ONLY, PEER_MUTE } peer_mode_t;

typedef struct peer {
    int fd;
    peer_mode_t mode;
    uint32_t epoch;
    atomic_bool stop;
    atomic_uint pings;
    pthread_t thread;
} peer_t;

static void *peer_main(void *arg)
{
    peer_t *p = arg;
    host_link_t hl;
    host_link_init(&hl, p->fd);
    while (!atomic_load(&p->stop)) {
        if (p->mode == PEER_MUTE) {
            struct timespec ts = {0, 5 * 1000 * 1000};
            nanosleep(&ts, NULL); /* idles, never reads: not a synchronisation */
            continue;
        }
        host_link_pump(&hl, 10);
        host_msg_t *m;
        while ((m = host_link_pop(&hl)) != NULL) {
            if (m->channel == LINK_CH_CTRL && m->type == CTRL_PING) {
                atomic_fetch_add(&p->pings, 1);
                if (p->mode == PEER_ANSWER) {
                    uint8_t buf[32];
                    tlv_writer_t w;
                    tlv_writer_init(&w, buf, sizeof buf);
                    tlv_put_u8(&w, T_STATUS, ST_OK);
                    tlv_put_u32(&w, T_SESSION_EPOCH, p->epoch);
                    tlv_put_u32(&w, T_UPTIME_MS, 1234);
                    host_link_send(&hl, LINK_CH_CTRL, CTRL_PING | CTRL_RESPONSE, buf, w.len);
                }
            }
            free(m);
        }
    }
    host_link_free(&hl);
    return NULL;
}

static peer_t g_peer;
static host_link_t g_hl;
static int g_fd = -1;

static void start_peer(peer_mode_t mode, uint32_t epoch)
{
    int sv[2];
    cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    memset(&g_peer, 0, sizeof g_peer);
    g_peer.fd = sv[1];
    g_peer.mode = mode;
    g_peer.epoch = epoch;
    g_fd = sv[0];
    host_link_init(&g_hl, g_fd);
    cr_assert_eq(pthread_create(&g_peer.thread, NULL, peer_main, &g_peer), 0);
}

static void stop_peer(void)
{
    if (g_fd < 0) {
        return;
    }
    atomic_store(&g_peer.stop, true);
    pthread_join(g_peer.thread, NULL);
    if (g_peer.fd >= 0) {
        close(g_peer.fd);
    }
    host_link_free(&g_hl);
    close(g_fd);
    g_fd = -1;
}

static void ignore_sigpipe(void)
{
    signal(SIGPIPE, SIG_IGN); /* writes to a closed peer fail with EPIPE instead */
}

TestSuite(heartbeat, .init = ignore_sigpipe, .fini = stop_peer);

/* A heartbeat that knows epoch 0x1111 and last heard the agent period_ms ago. */
static heartbeat_t silent_for_a_period(uint32_t period_ms)
{
    heartbeat_t hb;
    agent_info_t info = {.session_epoch = 0x1111, .uptime_ms = 10};
    heartbeat_init(&hb, &g_hl, &info, period_ms);
    hb.heard_at_ms = host_now_ms() - period_ms;
    return hb;
}

Test(heartbeat, quiet_while_frames_arrived_within_the_period)
{
    start_peer(PEER_ANSWER, 0x1111);
    heartbeat_t hb;
    agent_info_t info = {.session_epoch = 0x1111};
    heartbeat_init(&hb, &g_hl, &info, 60000);
    char why[160];
    cr_expect_eq(heartbeat_check(&hb, &g_hl, NULL, NULL, why, sizeof why), HEARTBEAT_ALIVE);
    cr_expect_eq(hb.pings, 0u, "no ping while the link was heard within the period");
    cr_expect_eq(atomic_load(&g_peer.pings), 0u);
}

Test(heartbeat, same_epoch_is_alive)
{
    start_peer(PEER_ANSWER, 0x1111);
    heartbeat_t hb = silent_for_a_period(2000);
    char why[160];
    cr_expect_eq(heartbeat_check(&hb, &g_hl, NULL, NULL, why, sizeof why), HEARTBEAT_ALIVE, "%s",
                 why);
    cr_expect_eq(hb.pings, 1u);
    cr_expect_eq(hb.uptime_ms, 1234u);
    cr_expect_eq(atomic_load(&g_peer.pings), 1u);
}

Test(heartbeat, another_epoch_is_a_reset)
{
    start_peer(PEER_ANSWER, 0x2222);
    heartbeat_t hb = silent_for_a_period(2000);
    char why[160];
    cr_expect_eq(heartbeat_check(&hb, &g_hl, NULL, NULL, why, sizeof why), HEARTBEAT_RESET);
    cr_expect(strstr(why, "00001111") && strstr(why, "00002222"), "%s", why);
    cr_expect_eq(hb.epoch, 0x2222u, "the new epoch is the one to watch from now on");
}

Test(heartbeat, acked_but_unanswered_is_busy_not_silent)
{
    start_peer(PEER_ACK_ONLY, 0x1111);
    heartbeat_t hb = silent_for_a_period(300);
    char why[160];
    cr_expect_eq(heartbeat_check(&hb, &g_hl, NULL, NULL, why, sizeof why), HEARTBEAT_ALIVE);
    cr_expect(strstr(why, "busy") != NULL, "%s", why);
}

Test(heartbeat, no_frame_within_the_deadline_is_silent)
{
    start_peer(PEER_MUTE, 0x1111);
    heartbeat_t hb = silent_for_a_period(300);
    char why[160];
    uint32_t t0 = host_now_ms();
    cr_expect_eq(heartbeat_check(&hb, &g_hl, NULL, NULL, why, sizeof why), HEARTBEAT_SILENT);
    uint32_t took = host_now_ms() - t0;
    cr_expect(took >= 300 && took < 2000, "the ping waits one period (%u ms)", took);
    cr_expect(strstr(why, "no answer") != NULL, "%s", why);
}

Test(heartbeat, closed_link_is_silent_without_waiting)
{
    start_peer(PEER_MUTE, 0x1111);
    close(g_peer.fd);
    g_peer.fd = -1;
    heartbeat_t hb = silent_for_a_period(5000);
    char why[160];
    uint32_t t0 = host_now_ms();
    cr_expect_eq(heartbeat_check(&hb, &g_hl, NULL, NULL, why, sizeof why), HEARTBEAT_SILENT);
    cr_expect(host_now_ms() - t0 < 5000, "EOF ends the wait");
    cr_expect(strstr(why, "link lost") != NULL, "%s", why);
}

Test(heartbeat_judge, evidence_to_verdict)
{
    heartbeat_t hb = {.epoch = 7, .period_ms = 100};
    agent_pulse_t same = {.session_epoch = 7, .uptime_ms = 5}, other = {.session_epoch = 8};
    agent_pulse_t none = {.session_epoch = 0};
    char why[160];
    cr_expect_eq(heartbeat_judge(&hb, 0, AGENT_RPC_OK, &same, false, true, why, sizeof why),
                 HEARTBEAT_ALIVE);
    cr_expect_eq(heartbeat_judge(&hb, 0, AGENT_RPC_OK, &none, false, true, why, sizeof why),
                 HEARTBEAT_ALIVE, "an agent without an epoch cannot prove a reset");
    cr_expect_eq(
        heartbeat_judge(&hb, -1, AGENT_RPC_NO_ANSWER, &none, false, false, why, sizeof why),
        HEARTBEAT_SILENT);
    cr_expect_eq(heartbeat_judge(&hb, -1, AGENT_RPC_NO_ANSWER, &none, false, true, why, sizeof why),
                 HEARTBEAT_ALIVE, "frames moved: busy");
    cr_expect_eq(heartbeat_judge(&hb, -1, AGENT_RPC_LINK_LOST, &none, true, true, why, sizeof why),
                 HEARTBEAT_SILENT, "a dead link is silent even after frames");
    cr_expect_eq(heartbeat_judge(&hb, -1, AGENT_RPC_REFUSED, &none, false, true, why, sizeof why),
                 HEARTBEAT_ALIVE, "an older agent refuses PING but answers");
    cr_expect_eq(heartbeat_judge(&hb, 0, AGENT_RPC_OK, &other, false, true, why, sizeof why),
                 HEARTBEAT_RESET);
    cr_expect_eq(hb.epoch, 8u);
    hb.epoch = 0;
    cr_expect_eq(heartbeat_judge(&hb, 0, AGENT_RPC_OK, &same, false, true, why, sizeof why),
                 HEARTBEAT_ALIVE, "no known epoch: no reset can be claimed");
}
