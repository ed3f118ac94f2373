/* The strategy for a real board (kind board): bring it to "the agent of the
 * expected build runs, fresh, and answers HELLO" — program it only when it
 * runs another build — and restart it through its reset. The serial port is
 * found by the probe's serial and opened exclusively; the caller holds the
 * board lock. */
#ifndef TLSRIG_BOARD_SESSION_H
#define TLSRIG_BOARD_SESSION_H

#include <stddef.h>

#include "target_session.h"

/* Skip or program, then reopen the port and leave ts->link open with
 * ts->info from a HELLO. 0, or -1 with err and ts->cause. */
int board_session_bring_up(target_session_t *ts, char *err, size_t errlen);
/* Reset (reset_command, else the flasher's reset), wait for the port, HELLO. */
int board_session_restart(target_session_t *ts, char *err, size_t errlen);
/* Close the link and the port (the board keeps running). */
void board_session_close(target_session_t *ts);

/* The flasher_t the rest of the runner sees for a board: alive() while the
 * serial port has not hung up (the board's own process cannot be watched);
 * stop() leaves the port to board_session_close. */
extern const flasher_t flasher_board_link;

#endif
