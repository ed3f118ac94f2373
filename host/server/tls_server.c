#define _POSIX_C_SOURCE 200809L
#include "server_internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Parses "a.b.c.d:port" or "localhost:port" (IPv4; the rig stays on loopback). */
static int parse_listen(const char *spec, struct sockaddr_in *out, char *err, size_t errlen)
{
    const char *colon = strrchr(spec, ':');
    if (!colon || colon == spec || colon[1] == '\0') {
        snprintf(err, errlen, "listen address '%s' is not HOST:PORT", spec);
        return -1;
    }
    char host[64];
    size_t hlen = (size_t)(colon - spec);
    if (hlen >= sizeof host) {
        snprintf(err, errlen, "listen host too long");
        return -1;
    }
    memcpy(host, spec, hlen);
    host[hlen] = '\0';
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end != '\0' || port < 0 || port > 65535) {
        snprintf(err, errlen, "bad port in '%s'", spec);
        return -1;
    }
    memset(out, 0, sizeof *out);
    out->sin_family = AF_INET;
    out->sin_port = htons((uint16_t)port);
    if (strcmp(host, "localhost") == 0)
        snprintf(host, sizeof host, "127.0.0.1");
    if (inet_pton(AF_INET, host, &out->sin_addr) != 1) {
        snprintf(err, errlen, "'%s' is not an IPv4 address", host);
        return -1;
    }
    return 0;
}

static void *accept_loop(void *arg)
{
    tls_server_t *s = arg;
    for (;;) {
        struct pollfd p[2] = {{.fd = s->listen_fd, .events = POLLIN},
                              {.fd = s->stop_pipe[0], .events = POLLIN}};
        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (p[1].revents)
            break;
        if (!(p[0].revents & POLLIN))
            continue;
        server_conn_start_t *c = calloc(1, sizeof *c);
        if (!c)
            continue;
        socklen_t plen = sizeof c->peer;
        c->fd = accept(s->listen_fd, (struct sockaddr *)&c->peer, &plen);
        if (c->fd < 0) {
            free(c);
            continue;
        }
        socklen_t llen = sizeof c->local;
        getsockname(c->fd, (struct sockaddr *)&c->local, &llen);
        c->srv = s;
        c->slot.fd = c->fd;

        /* Never blocks for long: a full pending pool evicts its idlest. */
        if (!server_slot_admit(s, &c->slot, c->label, sizeof c->label)) {
            close(c->fd);
            free(c);
            break;
        }

        pthread_t t;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        if (pthread_create(&t, &attr, server_conn_main, c) != 0) {
            server_slot_release(s, &c->slot);
            close(c->fd);
            free(c);
            server_conn_finished(s, NULL, NULL);
        }
        pthread_attr_destroy(&attr);
    }
    return NULL;
}

void server_conn_finished(tls_server_t *s, json_t *view, const server_view_t *typed)
{
    server_view_t *copy = NULL;
    if (view && typed) {
        copy = malloc(sizeof *copy);
        if (copy)
            *copy = *typed;
    }
    pthread_mutex_lock(&s->mu);
    if (view) {
        if (s->view_count == SERVER_VIEW_QUEUE) {
            /* Nobody is reading: drop the oldest. */
            json_decref(s->views[s->view_head].json);
            free(s->views[s->view_head].typed);
            s->view_head = (s->view_head + 1) % SERVER_VIEW_QUEUE;
            s->view_count--;
        }
        size_t at = (s->view_head + s->view_count) % SERVER_VIEW_QUEUE;
        s->views[at].json = view;
        s->views[at].typed = copy;
        s->view_count++;
    }
    s->active--;
    pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&s->mu);
}

tls_server_t *tls_server_start(const tls_server_opts_t *o, char *err, size_t errlen)
{
    if (!o || !o->profile) {
        snprintf(err, errlen, "no profile given");
        return NULL;
    }
    struct sockaddr_in addr;
    if (parse_listen(o->listen ? o->listen : "127.0.0.1:0", &addr, err, errlen) != 0)
        return NULL;
    if ((ntohl(addr.sin_addr.s_addr) >> 24) != 127 && !o->allow_remote) {
        snprintf(err, errlen, "refusing to listen beyond loopback without allow_remote");
        return NULL;
    }

    tls_server_t *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->profile = *o->profile;
    if (o->capture_dir)
        snprintf(s->capture_dir, sizeof s->capture_dir, "%s", o->capture_dir);
    snprintf(s->label, sizeof s->label, "%s", o->label ? o->label : "");
    s->capture_streams_only = o->capture_streams_only;
    s->debug_level = o->debug_level;
    s->io_timeout_ms = o->io_timeout_ms ? o->io_timeout_ms : 10000;
    s->silence_ms = o->silence_ms ? o->silence_ms : 30000;
    s->listen_fd = s->stop_pipe[0] = s->stop_pipe[1] = -1;
    pthread_mutex_init(&s->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&s->cond, &ca);
    pthread_condattr_destroy(&ca);

    if (server_config_setup(s, o, err, errlen) != 0)
        goto fail;
    if (pipe(s->stop_pipe) != 0) {
        snprintf(err, errlen, "pipe: %s", strerror(errno));
        goto fail;
    }
    s->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    if (s->listen_fd < 0 ||
        setsockopt(s->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(s->listen_fd, (struct sockaddr *)&addr, sizeof addr) != 0 ||
        listen(s->listen_fd, SERVER_LISTEN_BACKLOG) != 0) {
        snprintf(err, errlen, "cannot listen on %s: %s", o->listen ? o->listen : "127.0.0.1:0",
                 strerror(errno));
        goto fail;
    }
    socklen_t alen = sizeof addr;
    getsockname(s->listen_fd, (struct sockaddr *)&addr, &alen);
    s->port = ntohs(addr.sin_port);
    if (pthread_create(&s->accept_thread, NULL, accept_loop, s) != 0) {
        snprintf(err, errlen, "cannot start the accept thread");
        goto fail;
    }
    s->accept_started = true;
    return s;
fail:
    tls_server_stop(s);
    return NULL;
}

bool tls_server_speaks_tls13(const tls_server_t *s)
{
    return s && s->tls13.worker[0] != '\0';
}

uint16_t tls_server_port(const tls_server_t *s)
{
    return s ? s->port : 0;
}

void tls_server_set_label(tls_server_t *s, const char *label)
{
    pthread_mutex_lock(&s->mu);
    snprintf(s->label, sizeof s->label, "%s", label ? label : "");
    pthread_mutex_unlock(&s->mu);
}

json_t *tls_server_wait_view(tls_server_t *s, uint32_t timeout_ms)
{
    return tls_server_wait_view_typed(s, timeout_ms, NULL);
}

json_t *tls_server_wait_view_typed(tls_server_t *s, uint32_t timeout_ms, server_view_t *typed)
{
    if (typed)
        server_view_init(typed);
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += timeout_ms / 1000;
    deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    json_t *view = NULL;
    pthread_mutex_lock(&s->mu);
    while (s->view_count == 0) {
        if (pthread_cond_timedwait(&s->cond, &s->mu, &deadline) == ETIMEDOUT)
            break;
    }
    if (s->view_count > 0) {
        view = s->views[s->view_head].json;
        if (typed && s->views[s->view_head].typed)
            *typed = *s->views[s->view_head].typed;
        free(s->views[s->view_head].typed);
        s->view_head = (s->view_head + 1) % SERVER_VIEW_QUEUE;
        s->view_count--;
    }
    pthread_mutex_unlock(&s->mu);
    return view;
}

void tls_server_stop(tls_server_t *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->mu);
    s->stopping = true;
    pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&s->mu);
    if (s->stop_pipe[1] >= 0) {
        ssize_t w = write(s->stop_pipe[1], "x", 1);
        (void)w;
    }
    if (s->accept_started)
        pthread_join(s->accept_thread, NULL);
    /* Connection threads see the stop pipe in every wait and finish. */
    pthread_mutex_lock(&s->mu);
    while (s->active > 0)
        pthread_cond_wait(&s->cond, &s->mu);
    for (size_t i = 0; i < s->view_count; i++) {
        json_decref(s->views[(s->view_head + i) % SERVER_VIEW_QUEUE].json);
        free(s->views[(s->view_head + i) % SERVER_VIEW_QUEUE].typed);
    }
    s->view_count = 0;
    pthread_mutex_unlock(&s->mu);

    if (s->listen_fd >= 0)
        close(s->listen_fd);
    if (s->stop_pipe[0] >= 0)
        close(s->stop_pipe[0]);
    if (s->stop_pipe[1] >= 0)
        close(s->stop_pipe[1]);
    server_config_free(s);
    pthread_cond_destroy(&s->cond);
    pthread_mutex_destroy(&s->mu);
    free(s);
}
