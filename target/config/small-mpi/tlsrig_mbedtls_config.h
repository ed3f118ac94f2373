/*
 * mbedTLS 2.28 configuration, profile "small-mpi": MBEDTLS_MPI_MAX_SIZE 256 (RSA up to 2048 bits).
 * The "full" profile with the changes below; reproduces a configuration seen in the field.
 */
#ifndef TLSRIG_MBEDTLS_CONFIG_SMALL_MPI_H
#define TLSRIG_MBEDTLS_CONFIG_SMALL_MPI_H

#define TLSRIG_CONFIG_DERIVED
#include "../full/tlsrig_mbedtls_config.h"

/* 256 bytes: enough for RSA-2048, too small for an RSA-4096 server key or CA. */
#undef MBEDTLS_MPI_MAX_SIZE
#define MBEDTLS_MPI_MAX_SIZE 256

#ifndef TLSRIG_CONFIG_NO_CHECK /* set by the hw-backend wrapper, which checks later */
#include "mbedtls/check_config.h"
#endif

#endif
