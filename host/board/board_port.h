/* The serial port of a real board: the board file's link.address, or for
 * "auto" the virtual COM port of the probe whose serial is usb.serial, looked
 * up through probe_list (its ttyACM number may change across a reset). */
#ifndef TLSRIG_BOARD_PORT_H
#define TLSRIG_BOARD_PORT_H

#include <stddef.h>

#include "board_config.h"

/* The device path into path; waits up to deadline_ms for the probe and its
 * VCP to appear (0: look once). 0, or -1 with err naming the serial looked
 * for and the probes that are attached. */
int board_port_find(const board_config_t *b, unsigned deadline_ms, char *path, size_t cap,
                    char *err, size_t errlen);

#endif
