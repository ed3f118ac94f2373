/* A TLS 1.3 handshake through the worker (host/server13, mbedTLS 3.6): spawn
 * it with a control and a data socket, send the request, relay the client's
 * bytes (the first flight already read, then the socket) to it and its bytes
 * through the impairment layer to the client, collect its typed result. The
 * relay keeps capture, pcap, byte counts, impairments, eviction and stop in
 * the server's own code; the worker only runs mbedTLS. */
#define _POSIX_C_SOURCE 200809L
#include "server_tls13.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capture.h"
#include "tls13_proto.h"
#include "tls_names.h"

#define RESULT_WAIT_MS 2000 /* after the data socket closed */
#define EXIT_WAIT_MS 1000   /* then SIGKILL */
#define RELAY_GRACE_MS 2000 /* the worker's own deadline ends first */
/* The same value in 2.28 and 3.6 (-0x7780); named apart: this file links 2.28. */
#define MBEDTLS36_ERR_SSL_FATAL_ALERT_MESSAGE (-0x7780)

extern char **environ;

const char *server_tls13_worker_path(void)
{
    const char *env = getenv("TLSRIG_TLS13_WORKER");
    if (env)
        return env; /* "" disables the worker */
#ifdef TLSRIG_TLS13_WORKER_PATH
    return TLSRIG_TLS13_WORKER_PATH;
#else
    return "";
#endif
}

/* Moves fd above the two numbers the child gets, so dup2 in the child never
 * meets its own target (which would keep FD_CLOEXEC). */
static int lift_fd(int fd)
{
    if (fd > TLS13_FD_DATA)
        return fd;
    int up = fcntl(fd, F_DUPFD_CLOEXEC, TLS13_FD_DATA + 1);
    close(fd);
    return up;
}

static int spawn_worker(const char *path, int ctl_child, int data_child, pid_t *pid)
{
    posix_spawn_file_actions_t fa;
    if (posix_spawn_file_actions_init(&fa) != 0)
        return -1;
    int rc = posix_spawn_file_actions_adddup2(&fa, ctl_child, TLS13_FD_CONTROL);
    if (rc == 0)
        rc = posix_spawn_file_actions_adddup2(&fa, data_child, TLS13_FD_DATA);
    char *argv[] = {(char *)path, NULL};
    if (rc == 0)
        rc = posix_spawn(pid, path, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    return rc == 0 ? 0 : -1;
}

static int send_all(int fd, const void *buf, size_t len)
{
    size_t done = 0;
    while (done < len) {
        ssize_t n = send(fd, (const char *)buf + done, len - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        done += (size_t)n;
    }
    return 0;
}

static int recv_result(int fd, tls13_result_t *r)
{
    size_t got = 0;
    uint64_t end = conn_mono_ms() + RESULT_WAIT_MS;
    while (got < sizeof *r) {
        uint64_t now = conn_mono_ms();
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (now >= end || poll(&p, 1, (int)(end - now)) <= 0)
            return -1;
        ssize_t n = recv(fd, (char *)r + got, sizeof *r - got, 0);
        if (n <= 0)
            return -1;
        got += (size_t)n;
    }
    return r->magic == TLS13_MAGIC_RESULT && r->size == sizeof *r &&
                   memchr(r->error, 0, sizeof r->error) &&
                   memchr(r->version, 0, sizeof r->version) &&
                   memchr(r->suite, 0, sizeof r->suite) && memchr(r->library, 0, sizeof r->library)
               ? 0
               : -1;
}

/* Reaps the worker: its exit status as words for the view. */
static const char *reap(pid_t pid, char *buf, size_t cap)
{
    int st = 0;
    uint64_t end = conn_mono_ms() + EXIT_WAIT_MS;
    pid_t r;
    while ((r = waitpid(pid, &st, WNOHANG)) == 0 && conn_mono_ms() < end)
        poll(NULL, 0, 5);
    if (r == 0) {
        kill(pid, SIGKILL);
        waitpid(pid, &st, 0);
        return "killed (no exit after the handshake)";
    }
    if (r < 0)
        return "lost";
    if (WIFEXITED(st))
        snprintf(buf, cap, "exit %d", WEXITSTATUS(st));
    else if (WIFSIGNALED(st))
        snprintf(buf, cap, "signal %d%s", WTERMSIG(st),
                 WTERMSIG(st) == SIGALRM ? " (its deadline)" : "");
    return buf;
}

static void fill_request(conn_t *c, tls13_request_t *q, uint32_t deadline_ms)
{
    tls_server_t *s = c->srv;
    memset(q, 0, sizeof *q);
    q->magic = TLS13_MAGIC_REQUEST;
    q->size = sizeof *q;
    q->suite = c->pin_suite;
    q->group = c->pin_group;
    q->n_chains = (uint32_t)s->tls13.n_chains;
    for (size_t i = 0; i < s->tls13.n_chains; i++) {
        snprintf(q->chain_pem[i], TLS13_PATH_LEN, "%s", s->tls13.chain_pem[i]);
        snprintf(q->key_pem[i], TLS13_PATH_LEN, "%s", s->tls13.key_pem[i]);
    }
    q->tickets = s->profile.session_tickets;
    memcpy(q->ticket_key, s->tls13.ticket_key, sizeof q->ticket_key);
    /* A full handshake always; resumption in the profile's PSK modes (issue 17 psk13). */
    q->kex_modes = TLS13_KEX_EPHEMERAL;
    if (s->profile.tls13_psk_modes & PROFILE_PSK_KE)
        q->kex_modes |= TLS13_KEX_PSK;
    if (s->profile.tls13_psk_modes & PROFILE_PSK_DHE_KE)
        q->kex_modes |= TLS13_KEX_PSK_EPHEMERAL;
    if (s->profile.tls13_after_encrypted_extensions.kind == REACT_ALERT)
        q->alert_after_ee = s->profile.tls13_after_encrypted_extensions.alert;
    q->io_timeout_ms = s->io_timeout_ms;
    q->deadline_ms = deadline_ms;
    q->debug_level = s->debug_level;
    conn_capture_to_disk(c); /* the worker appends to server.log by name */
    /* A capture path too long for the request: the worker logs nothing. */
    if (c->dir[0] && strlen(c->dir) + sizeof "/server.log" <= sizeof q->log_path) {
        memcpy(q->log_path, c->dir, strlen(c->dir));
        memcpy(q->log_path + strlen(c->dir), "/server.log", sizeof "/server.log");
    }
    snprintf(q->profile, sizeof q->profile, "%s", s->profile.name);
}

/* The client's records after its hello, followed only far enough to see a
 * plaintext alert: mbedTLS 3.6 clients send an alert that ends the handshake
 * before they switch to handshake keys (unknown_ca after the server's
 * Certificate) in the clear, which the worker then fails to decrypt
 * (INVALID_MAC). The alert itself is the typed fact. */
typedef struct alert_watch {
    uint8_t hdr[5];
    size_t hdr_len, body_left, body_seen;
    uint8_t alert[2];
    int desc; /* -1 none */
} alert_watch_t;

static void watch_client_bytes(alert_watch_t *a, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (a->body_left == 0) {
            a->hdr[a->hdr_len++] = p[i];
            if (a->hdr_len == 5) {
                a->body_left = (size_t)a->hdr[3] << 8 | a->hdr[4];
                a->body_seen = 0;
                a->hdr_len = 0;
            }
            continue;
        }
        if (a->hdr[0] == 21 && a->body_seen < 2)
            a->alert[a->body_seen] = p[i];
        a->body_seen++;
        if (--a->body_left == 0 && a->hdr[0] == 21 && a->body_seen == 2 && a->alert[0] == 2)
            a->desc = a->alert[1];
    }
}

/* Client <-> worker until the worker closes its side, the deadline passes,
 * the client resets or the server stops. */
static void relay(conn_t *c, int data, uint64_t deadline, alert_watch_t *watch)
{
    uint8_t buf[16384];
    bool client_open = true;
    for (;;) {
        uint64_t now = conn_mono_ms();
        if (now >= deadline) {
            capture_log_line(c->log, "tlsrig: TLS 1.3 relay deadline passed");
            return;
        }
        struct pollfd p[3] = {{.fd = client_open ? c->fd : -1, .events = POLLIN},
                              {.fd = data, .events = POLLIN},
                              {.fd = c->srv->stop_pipe[0], .events = POLLIN}};
        int n = poll(p, 3, (int)(deadline - now));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 || p[2].revents)
            return;
        if (p[1].revents) {
            ssize_t got = recv(data, buf, sizeof buf, 0);
            if (got <= 0)
                return; /* the worker is done */
            if (impair_send(&c->imp, buf, (size_t)got) < 0)
                return; /* the client went away, or an impairment ended it */
        }
        if (client_open && p[0].revents) {
            int got = conn_read_client(c, buf, sizeof buf, 0);
            if (got > 0) {
                watch_client_bytes(watch, buf, (size_t)got);
                if (send_all(data, buf, (size_t)got) != 0)
                    return;
            } else if (got != IO_TIMEOUT) {
                /* FIN (or reset): the worker reads EOF, answers what it can. */
                client_open = false;
                shutdown(data, SHUT_WR);
                if (got != IO_EOF)
                    return;
            }
        }
    }
}

static json_t *result_json(const tls13_result_t *r, const char *worker)
{
    json_t *h = json_pack("{s:i, s:s, s:s, s:s}", "ret", r->ret, "error", r->error, "stack",
                          "mbedtls-3.6", "worker", worker);
    json_object_set_new(h, "library", json_string(r->library));
    json_object_set_new(h, "hello_retry_sent", json_boolean(r->hello_retry_sent));
    json_object_set_new(h, "ccs_sent", json_boolean(r->ccs_sent));
    json_object_set_new(h, "resumed", json_boolean(r->resumed));
    json_object_set_new(h, "tickets_sent", json_integer(r->tickets_sent));
    json_object_set_new(h, "psk_mode",
                        r->kex_mode == TLS13_KEX_PSK             ? json_string("psk_ke")
                        : r->kex_mode == TLS13_KEX_PSK_EPHEMERAL ? json_string("psk_dhe_ke")
                                                                 : json_null());
    json_object_set_new(h, "group_id", json_integer(r->group));
    const char *g = tls_group_name(r->group);
    json_object_set_new(h, "group", r->group && g ? json_string(g) : json_null());
    if (r->ret == 0) {
        json_object_set_new(h, "version", json_string(r->version));
        json_object_set_new(h, "suite", json_string(r->suite));
    }
    return h;
}

json_t *server_tls13_run(conn_t *c)
{
    tls_server_t *s = c->srv;
    tls13_result_t r;
    memset(&r, 0, sizeof r);
    r.ret = -1;
    r.alert_sent = r.alert_received = -1;
    snprintf(r.error, sizeof r.error, "TLS 1.3 worker did not answer");
    char how[64] = "not started";
    alert_watch_t watch = {.desc = -1};
    const char *worker = how;
    int ctl[2] = {-1, -1}, data[2] = {-1, -1};
    pid_t pid = -1;
    uint64_t now = conn_mono_ms();
    c->hs_deadline = now + (uint64_t)s->io_timeout_ms * HS_TIMEOUT_FACTOR_TLS13;
    uint32_t worker_ms = (uint32_t)(c->hs_deadline - now) + s->io_timeout_ms;
    tls13_request_t *q = calloc(1, sizeof *q);
    if (!q || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ctl) != 0 ||
        socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, data) != 0)
        goto done;
    ctl[1] = lift_fd(ctl[1]);
    data[1] = lift_fd(data[1]);
    if (ctl[1] < 0 || data[1] < 0)
        goto done;
    if (c->log)
        fflush(c->log); /* the worker appends to the same server.log */
    if (spawn_worker(s->tls13.worker, ctl[1], data[1], &pid) != 0) {
        pid = -1;
        snprintf(r.error, sizeof r.error, "cannot start the TLS 1.3 worker");
        capture_log_line(c->log, "tlsrig: cannot start the TLS 1.3 worker");
        goto done;
    }
    close(ctl[1]);
    close(data[1]);
    ctl[1] = data[1] = -1;
    fill_request(c, q, worker_ms);
    capture_log_line(c->log, "tlsrig: TLS 1.3: handshake by tlsrig-tls13-worker (mbedTLS 3.6)");
    if (send_all(ctl[0], q, sizeof *q) != 0 || send_all(data[0], c->flight, c->flight_len) != 0)
        goto done;
    c->flight_len = c->replay_off = 0;
    relay(c, data[0], now + worker_ms + RELAY_GRACE_MS, &watch);
    shutdown(data[0], SHUT_RDWR); /* a worker still waiting for bytes ends now */
    if (recv_result(ctl[0], &r) != 0) {
        r.ret = -1;
        snprintf(r.error, sizeof r.error, "TLS 1.3 worker gave no result");
    }
done:
    if (pid > 0)
        worker = reap(pid, how, sizeof how);
    for (int i = 0; i < 2; i++) {
        if (ctl[i] >= 0)
            close(ctl[i]);
        if (data[i] >= 0)
            close(data[i]);
    }
    free(q);
    if (c->log)
        fseek(c->log, 0, SEEK_END); /* after the worker's lines */
    if (r.alert_sent >= 0)
        c->alert_sent = r.alert_sent;
    else if (c->imp.alert_sent >= 0)
        c->alert_sent = c->imp.alert_sent;
    if (r.alert_received >= 0)
        c->alert_received = r.alert_received;
    json_t *h = result_json(&r, worker);
    if (r.ret != 0 && r.alert_received < 0 && watch.desc >= 0) {
        /* The client's fatal alert ended the handshake, as on the 2.28 path. */
        c->alert_received = watch.desc;
        json_object_set_new(h, "worker_ret", json_integer(r.ret));
        json_object_set_new(h, "plaintext_alert_received", json_integer(watch.desc));
        r.ret = MBEDTLS36_ERR_SSL_FATAL_ALERT_MESSAGE;
        json_object_set_new(h, "ret", json_integer(r.ret));
        json_object_set_new(h, "error",
                            json_string("SSL - A fatal alert message was received "
                                        "from our peer (in the clear)"));
    }
    if (c->imp.applied[0])
        conn_logf_line(c, "tlsrig: impairments: %s", c->imp.applied);
    c->view.handshake_ran = true;
    c->view.handshake_ret = r.ret;
    c->view.hrr_sent = r.hello_retry_sent;
    c->view.tls13_group = r.group;
    c->view.resumed = r.resumed;
    c->view.psk_mode = r.kex_mode == TLS13_KEX_PSK             ? SERVER_PSK_MODE_PSK_KE
                       : r.kex_mode == TLS13_KEX_PSK_EPHEMERAL ? SERVER_PSK_MODE_PSK_DHE_KE
                                                               : SERVER_PSK_MODE_NONE;
    if (r.ret == 0) {
        snprintf(c->view.version, sizeof c->view.version, "%s", r.version);
        snprintf(c->view.suite, sizeof c->view.suite, "%s", r.suite);
    }
    return h;
}
