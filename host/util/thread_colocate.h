/* The relay and the scenario's server on one CPU (issue 16). A handshake on the sim is a
 * ping-pong: agent -> relay -> server -> relay -> agent for every flight. Each hand-off to a
 * thread on another CPU waits for that CPU to wake (an inter-processor interrupt; on a virtual
 * machine a vCPU scheduled back in): 50-100 us per hop on this project's 2-core machines. The
 * relay and the server's threads never compute at the same time (the server answers what the
 * relay handed it), so on one CPU their hand-offs are local; the agent, another process, keeps
 * the other CPUs. For each scenario's bridge the relay's thread is pinned to one CPU, the
 * same for the whole process (the one it ran on when its first scenario began), and the
 * server's accept and connection threads, created by it in that window, inherit the pin
 * (threads and processes inherit their creator's CPU mask). The same CPU every time lets the
 * agent settle on another one; pinning to wherever the relay happened to run gained nothing,
 * as that was often the agent's last CPU. Measured in
 * docs/building.md ("Tenth session"). TLSRIG_NO_COLOCATE=1 leaves every thread where the
 * scheduler puts it (A/B timing). Best effort: an error changes nothing. Linux. */
#ifndef TLSRIG_THREAD_COLOCATE_H
#define TLSRIG_THREAD_COLOCATE_H

#include <stdbool.h>

typedef struct thread_colocation {
    bool pinned;              /* the calling thread's mask was changed and must be restored */
    int cpu;                  /* the CPU it was pinned to, -1 if none */
    unsigned char saved[128]; /* its mask before (a cpu_set_t: 1024 CPUs) */
} thread_colocation_t;

/* Pins the calling thread to the process's chosen CPU (chosen by the first call: the CPU the
 * caller runs on), when the thread may run on it and on at least one other, and
 * TLSRIG_NO_COLOCATE is unset or "0"; what it creates until thread_colocate_end inherits
 * the pin. */
void thread_colocate_begin(thread_colocation_t *c);

/* Gives the calling thread its mask from before thread_colocate_begin back (threads it
 * created meanwhile keep the pin). A no-op when begin pinned nothing. */
void thread_colocate_end(thread_colocation_t *c);

#endif
