/* HELLO's board facts, the same on every TLS stack: clock source, reset cause, link baud and
 * the last panic record, each absent where the port has none. */
#ifndef TLSRIG_HELLO_BOARD_FACTS_H
#define TLSRIG_HELLO_BOARD_FACTS_H

#include "tlv.h"

void hello_put_board_facts(tlv_writer_t *w);

#endif
