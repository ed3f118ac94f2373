/* One self-test result as a T_PRIMITIVE TLV of SELFTEST's answer, the same on every stack. */
#ifndef TLSRIG_SELFTEST_WIRE_H
#define TLSRIG_SELFTEST_WIRE_H

#include "crypto_selftest.h"
#include "tlv.h"

void selftest_put_result(tlv_writer_t *w, const crypto_selftest_result_t *r);

#endif
