/* End-to-end tests of `--config-file`: a user's header made from one of our profiles. */
#ifndef TLSRIG_TEST_E2E_HEADER_H
#define TLSRIG_TEST_E2E_HEADER_H

#include <stddef.h>

/* DIR/NAME: the 2.28 (or, with a "mbedtls-3.6/" prefix, 3.6) header of target/config/PROFILE
 * without the lines listed in drop ('|'-separated); its path and SHA-256 (hex). */
void e2e_make_header(const char *dir, const char *name, const char *profile, const char *drop,
                     char *path, size_t cap, char digest[65]);

#endif
