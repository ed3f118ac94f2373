/* Builds ClientHellos for tests: well-formed ones from a few parameters, and
 * raw pieces that hostile tests then break on purpose. */
#ifndef TLSRIG_TEST_HELLO_BUILDER_H
#define TLSRIG_TEST_HELLO_BUILDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct hello_spec {
    uint16_t legacy_version; /* 0 = TLS 1.2 */
    const uint16_t *suites;
    size_t n_suites;
    const char *sni;        /* NULL: no server_name */
    const uint16_t *groups; /* NULL: no supported_groups */
    size_t n_groups;
    bool ems;
    const uint16_t *versions; /* NULL: no supported_versions */
    size_t n_versions;
    const uint8_t *extra_exts; /* raw extension bytes appended as they are */
    size_t extra_len;
} hello_spec_t;

/* The handshake message (type 1, 4-byte header). Returns its length. */
size_t hb_message(const hello_spec_t *s, uint8_t *out, size_t cap);
/* Wraps a handshake payload into records of at most chunk bytes each. */
size_t hb_records(const uint8_t *msg, size_t len, size_t chunk, uint8_t *out, size_t cap);
/* hb_message then one record per 16384 bytes. */
size_t hb_hello(const hello_spec_t *s, uint8_t *out, size_t cap);
/* Reads a fixture from fixtures/clienthellos/ (hex) into out. */
size_t hb_fixture(const char *name, uint8_t *out, size_t cap);

#endif
