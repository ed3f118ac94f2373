/* Writing a whole buffer to the sim's link socket: the bare link
 * (port_sim.c) and the paced link's TX thread (paced_link.c) share it. */
#ifndef TLSRIG_SIM_FD_IO_H
#define TLSRIG_SIM_FD_IO_H

#include <stddef.h>
#include <stdint.h>

/* Every byte of buf to fd, retried on EINTR. 0, or -1 when fd fails. */
int fd_write_all(int fd, const uint8_t *buf, size_t len);

#endif
