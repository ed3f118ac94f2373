/*
 * mbedTLS 3.6 configuration, profile "small-mpi": MBEDTLS_MPI_MAX_SIZE 256 (RSA up to 2048 bits).
 * The 3.6 "full" profile with the changes below (the 3.6 translation of target/config/small-mpi).
 */
#ifndef TLSRIG_MBEDTLS_CONFIG_SMALL_MPI_H
#define TLSRIG_MBEDTLS_CONFIG_SMALL_MPI_H

#define TLSRIG_CONFIG_DERIVED
#include "../full/tlsrig_mbedtls_config.h"

/* 256 bytes: enough for RSA-2048, too small for an RSA-4096 server key or CA. */
#undef MBEDTLS_MPI_MAX_SIZE
#define MBEDTLS_MPI_MAX_SIZE 256

#endif
