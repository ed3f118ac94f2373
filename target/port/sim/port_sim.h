#ifndef TLSRIG_PORT_SIM_H
#define TLSRIG_PORT_SIM_H

void port_sim_set_link_fd(int fd);
void port_sim_set_uid(const char *text);

#endif
