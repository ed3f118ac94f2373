/* Background threads of a run (issue 16). A handshake on the sim is a ping-pong between the
 * agent, the host's relay and the server's connection thread; the work that finishes the
 * previous scenario (its result, diagnosis and capture files) runs beside the next one on a
 * 2-core machine. Marked as background, it no longer preempts those three when they wake
 * (a busy hour: 5% less time per scenario on the sim; a quiet one: no change). */
#ifndef TLSRIG_THREAD_PRIORITY_H
#define TLSRIG_THREAD_PRIORITY_H

/* The calling thread becomes SCHED_BATCH (no preemption of others on its wake-ups) with
 * nice THREAD_BACKGROUND_NICE: milder than SCHED_IDLE, which starved it on a busy machine
 * while the run waited for it. Best effort: an error leaves the thread as it was. Linux. */
#define THREAD_BACKGROUND_NICE 5
void thread_priority_background(void);

#endif
