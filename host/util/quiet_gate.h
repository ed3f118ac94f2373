/* The quiet gate (issue 16). On the sim, a scenario's handshake is a ping-pong between the
 * agent, the host's relay and the server's connection thread; between two scenarios all
 * three are busy at once (the result comes in, the next request goes out, the next server
 * starts, the agent sets up), and work that finishes the previous scenario (its result, its
 * capture files) took CPU from them there. During a handshake one of the two sides computes
 * while the other waits, so a CPU is mostly free: background work waits for that.
 *
 * The relay closes the gate when the agent closes its connection (TUNNEL CLOSE: the scenario
 * is ending) and opens it when the next connection's server answers; the run opens it when it
 * waits for its worker, and before it finishes a result in its own loop. Background threads
 * (the result worker, a server connection past its handshake) call quiet_gate_wait before
 * their work: it returns when the gate is open, or after max_ms at most (CLOCK_MONOTONIC), so
 * nothing waits on it for long. Nothing closes it outside `tlsrig run` (`tlsrig serve`). */
#ifndef TLSRIG_QUIET_GATE_H
#define TLSRIG_QUIET_GATE_H

#include <stdbool.h>

/* Longest a background thread waits for the gate (ms). */
#define QUIET_GATE_MAX_MS 20u

void quiet_gate_close(void);
void quiet_gate_open(void);
void quiet_gate_wait(unsigned max_ms);
/* For tests: whether a wait would return at once. */
bool quiet_gate_is_open(void);

#endif
