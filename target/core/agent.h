/* The agent: command loop over the link. One instance per image; all state
 * is static and bounded. */
#ifndef TLSRIG_AGENT_H
#define TLSRIG_AGENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "link.h"
#include "tunnel_rx.h"

/* Bounded sizes; a port may override them at build time. */
#ifndef AGENT_TUNNEL_RX_CAP
#define AGENT_TUNNEL_RX_CAP (40u * 1024u) /* server flight incl. a 16 KB+ chain */
#endif
#ifndef AGENT_CA_CAP
#define AGENT_CA_CAP (16u * 1024u)
#endif
#ifndef AGENT_CTRL_CAP
#define AGENT_CTRL_CAP LINK_MAX_PAYLOAD
#endif
/* TUNNEL frames in flight at most (each costs LINK_MAX_ENCODED bytes of RAM
 * beyond the first): 3 keeps a 115200 or 921600 baud UART busy with 1 KB
 * frames and a 1 ms turnaround (link_window_for). */
#ifndef AGENT_TUNNEL_WINDOW_MAX
#define AGENT_TUNNEL_WINDOW_MAX 3u
#endif
/* Turnaround per direction assumed when sizing the window (ms). */
#ifndef AGENT_LINK_TURNAROUND_MS
#define AGENT_LINK_TURNAROUND_MS LINK_TURNAROUND_MS
#endif

/* Why agent_run() returned. */
#define AGENT_EXIT_LINK_GONE (-1)
/* CTRL_RESET on a port whose port_reset() returned: the port's main may call
 * agent_run() again (a new session epoch). */
#define AGENT_EXIT_RESET (-2)

/* Runs until the link is gone or a reset is ordered. Returns AGENT_EXIT_*. */
int agent_run(void);

/* This boot's session epoch (port_session_epoch(), never 0) and the time
 * since agent_run() started. */
uint32_t agent_session_epoch(void);
uint32_t agent_uptime_ms(void);

/* Used by the pieces of the core (tunnel, handshake, log sink). */

/* Service the link for at most timeout_ms: read, deliver, retransmit.
 * Returns <0 when the link is gone. */
int agent_pump(uint32_t timeout_ms);

/* Send a reliable message, pumping until the link accepts it. <0 on failure. */
int agent_send_reliable(uint8_t channel, uint8_t type, const uint8_t *payload, size_t len);

/* Best-effort log text. */
void agent_log(const char *text, size_t len);
/* One best-effort LOG message; <0 when the link could not send it (lost). */
int agent_log_message(uint8_t type, const uint8_t *payload, size_t len);

/* Tunnel state, filled by the link's deliver callback (tunnel_rx.h: TUN_DATA
 * that does not fit the ring is refused, not acked, and comes again). */
typedef tunnel_rx_t agent_tunnel_t;

agent_tunnel_t *agent_tunnel(void);
link_stats_t agent_link_stats(void);

/* The trust list uploaded by the host. */
const uint8_t *agent_ca(size_t *len);

#endif
