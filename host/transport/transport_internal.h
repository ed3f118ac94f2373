/* The transport handle, shared by the socket and serial implementations. */
#ifndef TLSRIG_TRANSPORT_INTERNAL_H
#define TLSRIG_TRANSPORT_INTERNAL_H

#include "transport.h"

struct sp_port;

struct transport {
    int fd;               /* non-blocking; every read and write polls with a deadline */
    struct sp_port *port; /* serial only: libserialport's handle, owns fd */
    char name[256];
};

/* A zeroed handle with fd -1 and the name set, or NULL (out of memory). */
transport_t *transport_alloc(const char *name);
/* Read and drop whatever the fd holds now. 0, or -1 on a read error. */
int transport_drain_fd(transport_t *t);

#endif
