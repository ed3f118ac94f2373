#ifndef TLSRIG_PORT_SIM_H
#define TLSRIG_PORT_SIM_H

#include <stdint.h>

void port_sim_set_link_fd(int fd);
void port_sim_set_uid(const char *text);
/* After port_sim_set_link_fd: the link at a UART's pace (paced_link.h).
 * 0, or -1 (message on stderr). */
int port_sim_pace_link(uint32_t baud, uint32_t turnaround_ms);

#endif
