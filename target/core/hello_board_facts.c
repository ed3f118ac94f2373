/* HELLO's board facts (hello_board_facts.h), shared by the mbedTLS and wolfSSL HELLOs. */
#include "hello_board_facts.h"

#include <stdint.h>

#include "panic_record.h"
#include "port.h"
#include "proto.h"

void hello_put_board_facts(tlv_writer_t *w)
{
    const char *clock = port_clock_source();
    if (clock != NULL) {
        tlv_put_str(w, T_CLOCK_SOURCE, clock);
    }
    const char *cause = port_reset_cause();
    if (cause != NULL) {
        tlv_put_str(w, T_RESET_CAUSE, cause);
    }
    uint32_t baud = port_link_baud();
    if (baud != 0) {
        tlv_put_u32(w, T_LINK_BAUD, baud);
    }
    uint8_t panic[PANIC_RECORD_WIRE_LEN];
    size_t n = port_panic_take(panic, sizeof panic);
    if (n > 0) {
        tlv_put_bytes(w, T_PANIC, panic, n);
    }
}
