/* What the servers of a run will load, loaded ahead (issue 16). The first scenario's server
 * parsed its profile's chains and keys: an RSA private operation that sets up the blinding,
 * the public point of each EC key, 4-5.6 ms of every run's first handshake on the sim. A
 * thread loads them into the process's caches (chain_cache.h, key_cache.h) while the run
 * starts its target and self-tests it; a server that needs one still being loaded waits for
 * it in the cache instead of parsing it again. Failures are left to the servers to report. */
#ifndef TLSRIG_SERVER_WARM_H
#define TLSRIG_SERVER_WARM_H

#include <stddef.h>

#include "profile.h"

typedef struct server_warm server_warm_t;

/* Starts loading the chains of `profiles` (in that order: the first scenario's first; the
 * same chain once). NULL when there is nothing to load or no thread could start. */
server_warm_t *server_warm_start(const server_profile_t *const *profiles, size_t n,
                                 const char *recipes_path, const char *certs_cache);
/* Waits for the loading to end and frees; NULL is accepted. */
void server_warm_finish(server_warm_t *w);

#endif
