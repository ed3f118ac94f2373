/* Private keys parsed once per process: the rig starts a server per scenario,
 * and each parsed its chain's key afresh, so the first RSA signature of every
 * scenario set up its blinding values from scratch (a modular inverse: a
 * fifth of the server's CPU time per handshake). The cache keeps one parsed
 * key per file, with its blinding already set up, and hands each server a
 * copy of it: every seeded scenario starts from the same key state, whatever
 * ran before, so TEST ONLY seeded runs draw the same random values alone or
 * after any other scenario (test_seed.h). A key is parsed again when its
 * file (inode, size, time) changed. */
#ifndef TLSRIG_KEY_CACHE_H
#define TLSRIG_KEY_CACHE_H

#include <mbedtls/pk.h>
#include <stdbool.h>
#include <stddef.h>

/* Loads the private key of path into dst (initialised, empty).
 * deterministic (TEST ONLY seeded runs): the copy keeps the cached blinding
 * values, set up once from a fixed generator. Otherwise they are dropped and
 * the server's first signature draws its own from its DRBG, as before (the
 * parse and the Montgomery constants are still saved). 0, or an mbedTLS
 * error (< 0) with err naming the file. */
int key_cache_load(mbedtls_pk_context *dst, const char *path, bool deterministic, char *err,
                   size_t errlen);

/* How many times a key was parsed from its file (tests). */
unsigned long key_cache_parses(void);

/* Forgets every key (tests, leak checks). */
void key_cache_clear(void);

#endif
