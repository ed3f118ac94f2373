/* mbedTLS platform glue for the agent: the static heap, the DRBG seeded from
 * the port's entropy, and the clock the host sets per handshake. */
#ifndef TLSRIG_TLS_PLATFORM_H
#define TLSRIG_TLS_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if !defined(TLSRIG_STACK_WOLFSSL)
#include "mbedtls/ctr_drbg.h"
#endif

#ifndef AGENT_HEAP_SIZE
#define AGENT_HEAP_SIZE (160u * 1024u)
#endif

/* 0 on success; otherwise the mbedTLS error of the DRBG seeding. */
int tls_platform_init(void);
/* Seed the entropy pool and DRBG again from scratch (after a host seed). */
int tls_platform_reseed(void);
#if !defined(TLSRIG_STACK_WOLFSSL)
mbedtls_ctr_drbg_context *tls_platform_drbg(void);
#endif
/* An f_rng for mbedTLS: the DRBG, or MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED
 * while its last seeding failed. ctx is unused. */
int tls_platform_random(void *ctx, unsigned char *out, size_t len);

/* Wall clock for X.509 checks: a unix time from the host, or none (a board
 * without RTC: seconds since boot, so the certificates look not yet valid). */
void tls_platform_set_time(bool has_time, uint64_t unix_seconds);

/* Start the heap afresh when nothing is allocated (before each handshake):
 * true when restarted, false when blocks are live or the build cannot tell
 * (no MBEDTLS_MEMORY_DEBUG). */
bool tls_platform_heap_restart(void);
void tls_platform_heap_reset_peak(void);
size_t tls_platform_heap_peak(void);
size_t tls_platform_heap_size(void);

#endif
