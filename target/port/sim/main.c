/* tlsrig-agent-sim: the target agent as a native process.
 *   tlsrig-agent-sim --link-fd N        (spawned by the host's sim flasher)
 *   tlsrig-agent-sim --connect HOST:PORT
 *   ... [--baud N [--turnaround-ms M]]  (the link paced like a UART, 8N1) */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "agent.h"
#include "line_pace.h"
#include "port_sim.h"
#include "proto.h"

/* A decimal number in [min, max], or -1. */
static long parse_num(const char *s, long min, long max)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    return (errno || end == s || *end || v < min || v > max) ? -1 : v;
}

static int connect_to(const char *spec)
{
    char host[256];
    const char *colon = strrchr(spec, ':');
    if (!colon || (size_t)(colon - spec) >= sizeof host) {
        return -1;
    }
    memcpy(host, spec, (size_t)(colon - spec));
    host[colon - spec] = '\0';
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
    struct addrinfo *res = NULL;
    if (getaddrinfo(host, colon + 1, &hints, &res) != 0) {
        return -1;
    }
    int fd = -1;
    for (struct addrinfo *a = res; a; a = a->ai_next) {
        fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
        if (fd >= 0 && connect(fd, a->ai_addr, a->ai_addrlen) == 0) {
            break;
        }
        if (fd >= 0) {
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    return fd;
}

int main(int argc, char **argv)
{
    int fd = -1;
    long baud = 0, turnaround_ms = 1;
    signal(SIGPIPE, SIG_IGN);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--link-fd") == 0 && i + 1 < argc) {
            fd = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--connect") == 0 && i + 1 < argc) {
            fd = connect_to(argv[++i]);
            if (fd < 0) {
                fprintf(stderr, "tlsrig-agent-sim: cannot connect to %s\n", argv[i]);
                return 3;
            }
        } else if (strcmp(argv[i], "--uid") == 0 && i + 1 < argc) {
            port_sim_set_uid(argv[++i]);
        } else if (strcmp(argv[i], "--baud") == 0 && i + 1 < argc &&
                   (baud = parse_num(argv[++i], LINE_PACE_MIN_BAUD, LINE_PACE_MAX_BAUD)) > 0) {
        } else if (strcmp(argv[i], "--turnaround-ms") == 0 && i + 1 < argc &&
                   (turnaround_ms = parse_num(argv[++i], 0, LINE_PACE_MAX_TURNAROUND_MS)) >= 0) {
        } else {
            fprintf(stderr,
                    "usage: tlsrig-agent-sim --link-fd N | --connect HOST:PORT [--uid TEXT]"
                    " [--baud %u..%u [--turnaround-ms 0..%u]]\n",
                    LINE_PACE_MIN_BAUD, LINE_PACE_MAX_BAUD, LINE_PACE_MAX_TURNAROUND_MS);
            return 2;
        }
    }
    if (fd < 0) {
        fprintf(stderr, "tlsrig-agent-sim: no link (use --link-fd or --connect)\n");
        return 2;
    }
    port_sim_set_link_fd(fd);
    if (baud > 0 && port_sim_pace_link((uint32_t)baud, (uint32_t)turnaround_ms) != 0) {
        return 2;
    }
    /* port_reset() exits; a soft reset (AGENT_EXIT_RESET) cannot happen here. */
    return agent_run() == AGENT_EXIT_RESET ? PROTO_SIM_EXIT_RESET
                                           : 0; /* 0: the host closed the link */
}
