/* mbedTLS 2.28's handshake states (enum mbedtls_ssl_states in ssl.h) by number, as the
 * agent's RESULT (each state's entry time) and the server's log name them. */
#ifndef TLSRIG_MBEDTLS_STATES_H
#define TLSRIG_MBEDTLS_STATES_H

/* "server_key_exchange" for 4; "unknown" past the enum. */
const char *mbedtls_state_name(unsigned state);

#endif
