/* tlsrig-agent-sim: the target agent as a native process.
 *   tlsrig-agent-sim --link-fd N        (spawned by the host's sim flasher)
 *   tlsrig-agent-sim --connect HOST:PORT */
#define _POSIX_C_SOURCE 200809L
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "agent.h"
#include "port_sim.h"
#include "proto.h"

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
        } else {
            fprintf(stderr,
                    "usage: tlsrig-agent-sim --link-fd N | --connect HOST:PORT [--uid TEXT]\n");
            return 2;
        }
    }
    if (fd < 0) {
        fprintf(stderr, "tlsrig-agent-sim: no link (use --link-fd or --connect)\n");
        return 2;
    }
    port_sim_set_link_fd(fd);
    /* port_reset() exits; a soft reset (AGENT_EXIT_RESET) cannot happen here. */
    return agent_run() == AGENT_EXIT_RESET ? PROTO_SIM_EXIT_RESET
                                           : 0; /* 0: the host closed the link */
}
