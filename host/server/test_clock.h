/* TEST ONLY: a fixed wall clock for the server's connection threads when the
 * server runs with a test seed (emulated targets counting instructions).
 * mbedTLS 2.28's server puts time() into the first 4 bytes of its random,
 * which the client hashes and verifies in the signed key exchange: a clock
 * that ticks makes two runs differ by a few instructions. */
#ifndef TLSRIG_TEST_CLOCK_H
#define TLSRIG_TEST_CLOCK_H

#include <stdbool.h>

/* Per thread; false (the default) = the real clock. */
void test_clock_fix_for_this_thread(bool fixed);

#endif
