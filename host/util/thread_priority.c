/* thread_priority.h */
#define _GNU_SOURCE /* SCHED_BATCH, gettid */
#include "thread_priority.h"

#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

void thread_priority_background(void)
{
    struct sched_param sp = {.sched_priority = 0};
    (void)pthread_setschedparam(pthread_self(), SCHED_BATCH, &sp);
    /* Linux keeps a nice value per thread: PRIO_PROCESS with a thread id sets that one. */
    (void)setpriority(PRIO_PROCESS, (id_t)gettid(), THREAD_BACKGROUND_NICE);
}
