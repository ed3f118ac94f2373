/* The USB rungs of the recovery ladder (recovery.h) that need nothing of the
 * session: switch the hub port a board's probe hangs on off and on, and find
 * the probe again by serial with its (possibly renumbered) virtual COM port.
 * docs/boards.md, "When a board stops answering". */
#ifndef TLSRIG_USB_POWER_H
#define TLSRIG_USB_POWER_H

#include <stddef.h>
#include <stdint.h>

#include "board_config.h"

/* The kernel's switch for port N of hub H (Documentation/ABI/testing/
 * sysfs-bus-usb, ".../<hub interface>/<hub>-port<N>/disable", Linux 4.13+):
 * /sys/bus/usb/devices/H:1.0/H-portN/disable; for a root hub "usbB" the
 * interface is "B-0:1.0". 0 with the path when it exists, -1 with err. */
int usb_port_disable_path(const char *hub, uint32_t port, char *out, size_t cap, char *err,
                          size_t errlen);

/* Power-cycle the port of b's usb.hub and usb.port: off, wait (within
 * timeouts.reenumerate_ms) until the probe b->usb->serial is gone from USB,
 * on, wait until it is back with its VCP, whose path goes to port.
 * 0 back; -1 with why (no switch, permission, the probe stayed or did not
 * come back; the port is switched on again in every case); -2 when the board
 * file names no hub and port (why says so). */
int usb_power_cycle(const board_config_t *b, char *port, size_t portcap, char *why, size_t cap);

/* Find b's probe by usb.serial and its current VCP path (the ttyACM number
 * may have changed), waiting up to timeouts.reenumerate_ms for it to appear.
 * 0 with port; -1 with why; -2 when the board names no usb.serial. */
int usb_rediscover(const board_config_t *b, char *port, size_t portcap, char *why, size_t cap);

#endif
