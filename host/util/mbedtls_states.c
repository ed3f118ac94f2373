#include "mbedtls_states.h"

const char *mbedtls_state_name(unsigned state)
{
    static const char *const names[] = {"hello_request",
                                        "client_hello",
                                        "server_hello",
                                        "server_certificate",
                                        "server_key_exchange",
                                        "certificate_request",
                                        "server_hello_done",
                                        "client_certificate",
                                        "client_key_exchange",
                                        "certificate_verify",
                                        "client_change_cipher_spec",
                                        "client_finished",
                                        "server_change_cipher_spec",
                                        "server_finished",
                                        "flush_buffers",
                                        "handshake_wrapup",
                                        "handshake_over",
                                        "server_new_session_ticket",
                                        "server_hello_verify_request_sent"};
    return state < sizeof names / sizeof names[0] ? names[state] : "unknown";
}
