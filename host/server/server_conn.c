/* One connection, on its own thread: read the first flight before mbedTLS,
 * parse the ClientHello, apply the policy (alert, reset, close, silence) or
 * hand the bytes to mbedTLS and run the handshake through the impairment
 * layer; capture everything and publish the connection's view. */
#define _POSIX_C_SOURCE 200809L
#include "profile_load.h"
#include "server_internal.h"
#include "conn_capture.h"
#include "server_conn_io.h"
#include "quiet_gate.h"
#include "thread_priority.h"
#include "test_clock.h"

#include <arpa/inet.h>
#include <errno.h>
#include <mbedtls/error.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/ssl_ciphersuites.h>
#include <mbedtls/ssl_internal.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "capture.h"
#include "mbedtls_states.h"
#include "clienthello.h"
#include "impair.h"
#include "pcap_writer.h"
#include "policy.h"
#include "server_tls13.h"

#define FIRST_FLIGHT_MAX (256 * 1024) /* 64 KB of extensions fit several times */
#define DRAIN_MS 2000                 /* waiting for the client's FIN after ours */
#define HS_TIMEOUT_FACTOR 6           /* handshake deadline = 6 x io_timeout */

/* Reads until clienthello_need() says the ClientHello is complete.
 * Returns 0 complete, 1 malformed (err and *code set), 2 the client stopped
 * first. */
static int read_first_flight(conn_t *c, int *code, char *err, size_t errlen)
{
    size_t cap = 16384;
    c->flight = malloc(cap);
    if (!c->flight) {
        snprintf(err, errlen, "out of memory");
        return 2;
    }
    c->flight_cap = cap;
    uint64_t deadline = conn_mono_ms() + c->srv->io_timeout_ms;
    for (;;) {
        if (c->flight_len > 0) {
            int need = clienthello_need(c->flight, c->flight_len);
            if (need == 0)
                return 0;
            if (need < 0) {
                *code = need;
                snprintf(err, errlen, "%s", clienthello_strerror(need));
                return 1;
            }
        }
        if (c->flight_len == cap) {
            if (cap >= FIRST_FLIGHT_MAX) {
                *code = CH_ERR_LIMIT;
                snprintf(err, errlen, "ClientHello larger than %d bytes", FIRST_FLIGHT_MAX);
                return 1;
            }
            uint8_t *bigger = realloc(c->flight, cap * 2);
            if (!bigger) {
                snprintf(err, errlen, "out of memory");
                return 2;
            }
            c->flight = bigger;
            cap *= 2;
            c->flight_cap = cap;
        }
        uint64_t now = conn_mono_ms();
        if (now >= deadline) {
            snprintf(err, errlen, "timed out waiting for the ClientHello");
            return 2;
        }
        int n = conn_read_client(c, c->flight + c->flight_len, cap - c->flight_len,
                                 (uint32_t)(deadline - now));
        if (n <= 0) {
            snprintf(err, errlen, "%s after %zu bytes of the ClientHello",
                     n == IO_EOF       ? "client closed"
                     : n == IO_TIMEOUT ? "timeout"
                                       : "read error",
                     c->flight_len);
            return 2;
        }
        c->flight_len += (size_t)n;
    }
}

static int bio_send(void *ctx, const unsigned char *buf, size_t len)
{
    conn_t *c = ctx;
    int n = impair_send(&c->imp, buf, len);
    if (n >= 0)
        return n;
    return c->imp.aborted ? MBEDTLS_ERR_NET_CONN_RESET : MBEDTLS_ERR_NET_SEND_FAILED;
}

/* Replays the first flight we already read, then reads the socket through
 * the same buffer (so each socket read is one pcap segment, as it came). */
static int bio_recv(void *ctx, unsigned char *buf, size_t len)
{
    conn_t *c = ctx;
    if (c->replay_off >= c->flight_len) {
        if (conn_flush(c) != 0)
            return MBEDTLS_ERR_NET_SEND_FAILED; /* as the send itself would have said */
        size_t cap = c->flight_cap > INT32_MAX ? INT32_MAX : c->flight_cap;
        uint64_t now = conn_mono_ms();
        if (c->hs_deadline && now >= c->hs_deadline)
            return MBEDTLS_ERR_SSL_TIMEOUT;
        uint32_t wait = c->srv->io_timeout_ms;
        if (c->hs_deadline && c->hs_deadline - now < wait)
            wait = (uint32_t)(c->hs_deadline - now);
        int n = conn_read_client(c, c->flight, cap, wait);
        c->flight_len = n > 0 ? (size_t)n : 0;
        c->replay_off = 0;
        if (n == IO_EOF)
            return 0;
        if (n == IO_TIMEOUT)
            return MBEDTLS_ERR_SSL_TIMEOUT;
        if (n < 0)
            return (c->ending && strcmp(c->ending, "client-reset") == 0)
                       ? MBEDTLS_ERR_NET_CONN_RESET
                       : MBEDTLS_ERR_NET_RECV_FAILED;
    }
    size_t n = c->flight_len - c->replay_off;
    if (n > len)
        n = len;
    memcpy(buf, c->flight + c->replay_off, n);
    c->replay_off += n;
    return (int)n;
}

static void send_alert(conn_t *c, uint8_t description)
{
    /* Record version as the client's own record header said, if sane. */
    uint8_t major = 3, minor = 3;
    if (c->flight_len >= 3 && c->flight[1] == 3 && c->flight[2] <= 4) {
        minor = c->flight[2];
    }
    const uint8_t rec[7] = {21, major, minor, 0, 2, 2 /* fatal */, description};
    if (conn_write_raw(c, rec, sizeof rec) == 0)
        c->alert_sent = description;
}

/* Applies a refusal; REACT_CONTINUE is not handled here. */
static void apply_reaction(conn_t *c, reaction_t r)
{
    conn_logf_line(c, "tlsrig: reaction %s", profile_reaction_name(r.kind));
    switch (r.kind) {
    case REACT_ALERT:
        send_alert(c, r.alert);
        conn_close_gracefully(c, DRAIN_MS);
        break;
    case REACT_RESET:
        conn_reset_now(c);
        break;
    case REACT_CLOSE:
        conn_close_gracefully(c, DRAIN_MS);
        break;
    case REACT_SILENCE: {
        uint8_t buf[4096];
        uint64_t end = conn_mono_ms() + c->srv->silence_ms;
        for (uint64_t now = conn_mono_ms(); now < end; now = conn_mono_ms())
            if (conn_read_client(c, buf, sizeof buf, (uint32_t)(end - now)) <= 0)
                break;
        conn_close_gracefully(c, 0);
        break;
    }
    case REACT_CONTINUE:
        break;
    }
}

static json_t *handshake_view(mbedtls_ssl_context *ssl, int ret, bool ems)
{
    char text[200] = "";
    if (ret != 0)
        mbedtls_strerror(ret, text, sizeof text);
    json_t *h = json_pack("{s:i, s:s}", "ret", ret, "error", text);
    if (ret == 0) {
        json_object_set_new(h, "version", json_string(mbedtls_ssl_get_version(ssl)));
        json_object_set_new(h, "suite", json_string(mbedtls_ssl_get_ciphersuite(ssl)));
        json_object_set_new(h, "ems", json_boolean(ems));
        json_object_set_new(h, "etm", json_boolean(ssl->session->encrypt_then_mac));
        json_object_set_new(h, "mfl", json_integer(ssl->session->mfl_code));
        const mbedtls_x509_crt *peer = mbedtls_ssl_get_peer_cert(ssl);
        char subject[256] = "";
        if (peer)
            mbedtls_x509_dn_gets(subject, sizeof subject, &peer->subject);
        json_object_set_new(h, "client_cert", peer ? json_string(subject) : json_null());
    }
    return h;
}

/* Restricts a connection's copy of the shared configuration to the suite and
 * group the policy chose, so mbedTLS answers exactly what replay says. The
 * copy is shallow (certificates, keys, RNG and ticket keys stay shared and
 * owned by the server); only the suite and curve list pointers change. */
static void pin_choice(conn_t *c, mbedtls_ssl_config *conf, int suite_only[2],
                       mbedtls_ecp_group_id group_only[2])
{
    char text[160];
    if (c->pin_suite && mbedtls_ssl_ciphersuite_from_id(c->pin_suite)) {
        suite_only[0] = c->pin_suite;
        suite_only[1] = 0;
        mbedtls_ssl_conf_ciphersuites(conf, suite_only);
        snprintf(text, sizeof text, "tlsrig: mbedTLS restricted to suite 0x%04x", c->pin_suite);
        capture_log_line(c->log, text);
    }
    const mbedtls_ecp_curve_info *ci =
        c->pin_group ? mbedtls_ecp_curve_info_from_tls_id(c->pin_group) : NULL;
    if (ci) {
        group_only[0] = ci->grp_id;
        group_only[1] = MBEDTLS_ECP_DP_NONE;
        mbedtls_ssl_conf_curves(conf, group_only);
        snprintf(text, sizeof text, "tlsrig: mbedTLS restricted to group %s", ci->name);
        capture_log_line(c->log, text);
    }
}

/* Below debug level 2 (tlsrig run's default) mbedTLS does not log its states: tlsrig does,
 * one line per state entered, so server.log still shows where a handshake stopped. */
static void log_state(conn_t *c, int state)
{
    char text[96];
    snprintf(text, sizeof text, "tlsrig: server state %d (%s)", state,
             mbedtls_state_name(state < 0 ? ~0u : (unsigned)state));
    capture_log_line(c->log, text);
}

/* The handshake on mbedTLS, then one read, a short answer and close_notify. */
static json_t *run_tls(conn_t *c)
{
    tls_server_t *s = c->srv;
    mbedtls_ssl_config conf = s->conf;
    int suite_only[2];
    mbedtls_ecp_group_id group_only[2];
    pin_choice(c, &conf, suite_only, group_only);
    mbedtls_ssl_context ssl;
    mbedtls_ssl_init(&ssl);
    c->hs_deadline = conn_mono_ms() + (uint64_t)s->io_timeout_ms * HS_TIMEOUT_FACTOR;
    int ret = mbedtls_ssl_setup(&ssl, &conf);
    bool ems = false, resumed = false;
    /* Without impairments a flight's records leave in one send; impairments act on each
     * record as mbedTLS wrote it (delays between flights, splits, resets), so not then. */
    conn_coalesce(c, c->imp.n == 0);
    if (ret == 0) {
        mbedtls_ssl_set_bio(&ssl, c, bio_send, bio_recv, NULL);
        /* Step by step: EMS is only visible while the handshake is live. */
        int logged = -1;
        while (ret == 0 && ssl.state != MBEDTLS_SSL_HANDSHAKE_OVER) {
            if (s->debug_level < 2 && ssl.state != logged) {
                logged = ssl.state;
                log_state(c, logged);
            }
            if (ssl.handshake)
                ems = ssl.handshake->extended_ms == MBEDTLS_SSL_EXTENDED_MS_ENABLED;
            if (ssl.handshake)
                resumed = ssl.handshake->resume != 0; /* a TLS 1.2 ticket or session id */
            ret = mbedtls_ssl_handshake_step(&ssl);
        }
    }
    if (ret == MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE && ssl.in_msg)
        c->alert_received = ssl.in_msg[1];
    json_t *h = handshake_view(&ssl, ret, ems);
    if (ret == 0 && resumed)
        json_object_set_new(h, "resumed", json_true());
    c->view.resumed = ret == 0 && resumed;
    c->view.handshake_ran = true;
    c->view.handshake_ret = ret;
    if (ret == 0) {
        snprintf(c->view.version, sizeof c->view.version, "%s", mbedtls_ssl_get_version(&ssl));
        snprintf(c->view.suite, sizeof c->view.suite, "%s", mbedtls_ssl_get_ciphersuite(&ssl));
    }
    char text[200];
    if (ret != 0) {
        mbedtls_strerror(ret, text, sizeof text);
        conn_logf_line(c, "tlsrig: handshake failed: %s", text);
    } else {
        conn_logf_line(c, "tlsrig: handshake done, %s", mbedtls_ssl_get_ciphersuite(&ssl));
        unsigned char buf[1024];
        int n = mbedtls_ssl_read(&ssl, buf, sizeof buf);
        if (n > 0) {
            char answer[160];
            int len =
                snprintf(answer, sizeof answer, "tlsrig server, profile %s\n", s->profile.name);
            mbedtls_ssl_write(&ssl, (const unsigned char *)answer, (size_t)len);
        } else if (n == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) {
            c->alert_received = 0;
        } else if (n == MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE && ssl.in_msg) {
            c->alert_received = ssl.in_msg[1];
        }
        mbedtls_ssl_close_notify(&ssl);
    }
    conn_coalesce(c, false);
    if (c->imp.alert_sent >= 0)
        c->alert_sent = c->imp.alert_sent;
    if (c->imp.applied[0])
        conn_logf_line(c, "tlsrig: impairments: %s", c->imp.applied);
    mbedtls_ssl_free(&ssl);
    return h;
}

static json_t *alert_json(int a)
{
    return a >= 0 ? json_integer(a) : json_null();
}

/* mbedTLS 2.28 takes a ClientHello only alone in one record; one split over
 * records (or sharing its last record) is handed over re-framed, so the live
 * server answers what replay predicts. The handshake transcript covers
 * messages, not records: the handshake is the same. */
static void reframe_hello(conn_t *c, const clienthello_t *ch)
{
    if (ch->n_records <= 1 && ch->consumed == 5 + ch->raw_len)
        return;
    size_t cap = c->flight_len + 5 > c->flight_cap ? c->flight_len + 5 : c->flight_cap;
    uint8_t *out = malloc(cap);
    size_t n = out ? clienthello_reframe(c->flight, c->flight_len, ch, out, cap) : 0;
    if (n == 0) {
        free(out);
        capture_log_line(c->log, "tlsrig: ClientHello could not be re-framed for mbedTLS");
        return;
    }
    char text[160];
    snprintf(text, sizeof text,
             "tlsrig: ClientHello from %zu records re-framed into one for mbedTLS", ch->n_records);
    capture_log_line(c->log, text);
    free(c->flight);
    c->flight = out;
    c->flight_len = n;
    c->flight_cap = cap;
}

void *server_conn_main(void *arg)
{
    server_conn_start_t *st = arg;
    conn_t *c = calloc(1, sizeof *c);
    tls_server_t *s = st->srv;
    if (!c) {
        server_slot_release(s, &st->slot);
        close(st->fd);
        free(st);
        server_conn_finished(s, NULL, NULL);
        return NULL;
    }
    c->srv = s;
    c->slot = &st->slot;
    c->fd = st->fd;
    /* TEST ONLY: with a test seed the server's random carries a fixed time too. */
    test_clock_fix_for_this_thread(s->test_seed[0] != '\0');
    c->alert_sent = c->alert_received = -1;
    server_view_init(&c->view);
    snprintf(c->label, sizeof c->label, "%s", st->label);
    uint64_t started = capture_now_us();
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    conn_capture_open(c, st);
    server_thread_log = c->log;
    impair_init(&c->imp, s->profile.impairments, s->profile.n_impairments,
                (impair_io_t){.write_raw = conn_write_raw,
                              .abort_conn = conn_abort_conn,
                              .pause = conn_pause,
                              .ctx = c});
    char peer[64];
    snprintf(peer, sizeof peer, "%s:%u", inet_ntoa(st->peer.sin_addr), ntohs(st->peer.sin_port));
    conn_logf_line(c, "tlsrig: connection from %s", peer);

    json_t *view = json_pack("{s:s, s:s, s:I}", "label", c->label, "profile", s->profile.name,
                             "started_us", (json_int_t)started);
    json_t *decision = json_object();
    json_t *handshake = json_null();
    char err[256] = "";
    int code = CH_ERR_DECODE;
    int got = read_first_flight(c, &code, err, sizeof err);
    if (got == 2 && c->ending && strcmp(c->ending, "server-evicted") == 0)
        snprintf(err, sizeof err,
                 "evicted after %zu bytes of the ClientHello: the pending pool (%d) was full "
                 "and this connection was idle the longest",
                 c->flight_len, SERVER_MAX_PENDING);
    else if (got != 2 && !server_slot_promote(s, c->slot)) {
        got = 2;
        if (server_slot_was_evicted(s, c->slot))
            c->ending = "server-evicted";
        snprintf(err, sizeof err, "evicted or stopped while waiting for one of the %d slots",
                 SERVER_MAX_CONNS);
    }
    /* The first flight as received (reframe_hello may replace c->flight): written to the
     * capture with the view, after the handshake, so no file is made between the client's
     * hello and the server's answer (issue 16: 0.4 ms of every handshake's path). */
    uint8_t *hello_bytes = NULL;
    size_t hello_len = 0;
    if (s->capture_dir[0] && !s->capture_streams_only && c->flight_len &&
        (hello_bytes = malloc(c->flight_len)) != NULL) {
        memcpy(hello_bytes, c->flight, c->flight_len);
        hello_len = c->flight_len;
    }
    json_t *hex = json_stringn_nocheck("", 0);
    if (c->flight_len <= FIRST_FLIGHT_MAX) {
        static const char digits[] = "0123456789abcdef";
        char *h = malloc(c->flight_len * 2 + 1);
        if (h) {
            for (size_t i = 0; i < c->flight_len; i++) {
                h[2 * i] = digits[c->flight[i] >> 4];
                h[2 * i + 1] = digits[c->flight[i] & 15];
            }
            json_decref(hex);
            hex = json_stringn(h, c->flight_len * 2);
            free(h);
        }
    }
    json_object_set_new(view, "clienthello_hex", hex);

    reaction_t reaction = {.kind = REACT_CLOSE};
    const char *rule = got == 2 ? "first_flight" : "parse";
    char reason[300] = "";
    clienthello_t *ch = calloc(1, sizeof *ch);
    bool hello_parsed = false;
    if (got == 1) {
        /* Garbage or an impossible hello: answer as a TLS stack would. */
        reaction = (reaction_t){.kind = REACT_ALERT, .alert = clienthello_alert_for(code)};
        snprintf(reason, sizeof reason, "malformed ClientHello: %s", err);
    } else if (got == 2) {
        snprintf(reason, sizeof reason, "%s", err);
    } else if (!ch) {
        snprintf(reason, sizeof reason, "out of memory");
    } else if ((code = clienthello_parse(c->flight, c->flight_len, ch, err, sizeof err)) != 0) {
        reaction = (reaction_t){.kind = REACT_ALERT, .alert = clienthello_alert_for(code)};
        snprintf(reason, sizeof reason, "malformed ClientHello: %s", err);
    } else {
        hello_parsed = true; /* its JSON is made after the handshake, off the answer's path */
        server_view_set_clienthello(&c->view, ch);
        policy_decision_t d;
        memset(&d, 0, sizeof d);
        policy_decide(&s->profile, ch, &d);
        policy_live_caps_t caps = {.tls13 = s->tls13.worker[0] != '\0'};
        policy_live_limits_caps(&s->profile, ch, &d, &caps);
        c->tls13 = d.reaction.kind == REACT_CONTINUE && d.version == 0x0304;
        reaction = d.reaction;
        rule = d.rule;
        c->pin_suite = d.chosen_suite;
        c->pin_group = d.chosen_group;
        c->hello_retry = d.hello_retry;
        if (c->tls13 || server_rule_from_name(d.rule) == SERVER_RULE_PSK_MODE_MISMATCH)
            c->view.psk_decision = (uint8_t)policy_tls13_psk(&s->profile, ch);
        snprintf(reason, sizeof reason, "%s", d.reason);
        if (reaction.kind == REACT_CONTINUE)
            reframe_hello(c, ch);
    }
    conn_logf_line(c, "tlsrig: decision: %s", reason[0] ? reason : "continue");
    json_object_set_new(decision, "reaction", json_string(profile_reaction_name(reaction.kind)));
    json_object_set_new(decision, "alert",
                        reaction.kind == REACT_ALERT ? json_integer(reaction.alert) : json_null());
    json_object_set_new(decision, "reason", json_string(reason));
    json_object_set_new(decision, "rule", json_string(rule ? rule : "ok"));
    json_object_set_new(decision, "suite_id", json_integer(c->pin_suite));
    json_object_set_new(decision, "group_id", json_integer(c->pin_group));
    json_object_set_new(decision, "hello_retry", json_boolean(c->hello_retry));
    json_object_set_new(decision, "psk",
                        json_string(policy_psk_name((policy_psk_t)c->view.psk_decision)));
    c->view.rule = server_rule_from_name(rule ? rule : "ok");
    c->view.reaction = reaction.kind;
    c->view.refusal_alert = reaction.kind == REACT_ALERT ? reaction.alert : -1;
    c->view.chosen_suite = c->pin_suite;
    c->view.chosen_group = c->pin_group;
    c->view.hrr_expected = c->hello_retry;

    if (got == 2) {
        conn_close_gracefully(c, 0);
    } else if (reaction.kind == REACT_CONTINUE) {
        json_decref(handshake);
        handshake = c->tls13 ? server_tls13_run(c) : run_tls(c);
        conn_close_gracefully(c, DRAIN_MS);
    } else {
        apply_reaction(c, reaction);
    }

    json_object_set_new(view, "decision", decision);
    json_object_set_new(view, "handshake", handshake);
    json_object_set_new(view, "alert_sent", alert_json(c->alert_sent));
    json_object_set_new(view, "alert_received", alert_json(c->alert_received));
    json_object_set_new(view, "impairments", json_string(c->imp.applied));
    json_object_set_new(view, "downgrade_sentinel", json_boolean(c->imp.sentinel_written));
    c->view.downgrade_sentinel = c->imp.sentinel_written;
    json_object_set_new(view, "tcp_end", json_string(c->ending ? c->ending : "server-fin"));
    json_object_set_new(view, "bytes_in", json_integer((json_int_t)c->bytes_in));
    json_object_set_new(view, "bytes_out", json_integer((json_int_t)c->bytes_out));
    /* The handshake is over: what remains (capture files, the view) must not delay the next
     * scenario's handshake, which may be starting now. */
    thread_priority_background();
    quiet_gate_wait(QUIET_GATE_MAX_MS);
    /* The capture closed first (its folder is made now), so the view names its folder and
     * every file that could not be written (a full disk) instead of a capture cut short
     * without a word. */
    json_t *lost = json_array();
    char lost_why[160];
    conn_capture_close(c, lost, lost_why, sizeof lost_why);
    json_object_set_new(view, "capture_dir", c->dir[0] ? json_string(c->dir) : json_null());
    json_object_set_new(view, "ended_us", json_integer((json_int_t)capture_now_us()));
    if (hello_parsed) {
        json_t *chj = clienthello_to_json(ch);
        json_object_set_new(view, "clienthello", chj ? chj : json_null());
    }
    if (ch)
        clienthello_free(ch);
    free(ch);
    /* Each file is an inode to allocate, dear on some file systems (issue 16); tlsrig run
     * keeps the view, ClientHello included, in results.jsonl. */
    bool views_too = c->dir[0] && !s->capture_streams_only;
    if (views_too) {
        if (hello_bytes &&
            capture_write_file(c->dir, "clienthello.bin", hello_bytes, hello_len) != 0)
            json_array_append_new(lost, json_string("clienthello.bin"));
        const json_t *chj = json_object_get(view, "clienthello");
        if (json_is_object(chj) && capture_write_json(c->dir, "clienthello.json", chj) != 0)
            json_array_append_new(lost, json_string("clienthello.json"));
    }
    if (json_array_size(lost) > 0) {
        if (!lost_why[0])
            snprintf(lost_why, sizeof lost_why, "%s: cannot be written",
                     json_string_value(json_array_get(lost, 0)));
        json_object_set(view, "capture_errors", lost);
        json_object_set_new(view, "capture_error", json_string(lost_why));
    }
    if (views_too && capture_write_json(c->dir, "view.json", view) != 0) {
        json_array_append_new(lost, json_string("view.json"));
        json_object_set(view, "capture_errors", lost);
        if (!json_object_get(view, "capture_error"))
            json_object_set_new(view, "capture_error", json_string("view.json: cannot be written"));
    }
    json_decref(lost);
    free(hello_bytes);
    c->view.alert_sent = c->alert_sent;
    c->view.alert_received = c->alert_received;
    server_view_t typed = c->view;

    if (c->fd >= 0)
        conn_close_fd(c);
    server_slot_release(s, c->slot);
    free(c->flight);
    free(c);
    free(st);
    server_conn_finished(s, view, &typed);
    return NULL;
}
