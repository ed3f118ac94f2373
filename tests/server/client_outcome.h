/* Runs openssl s_client or gnutls-cli against a port (bounded by `timeout`)
 * and reads how the handshake ended from its output. */
#ifndef TLSRIG_CLIENT_OUTCOME_H
#define TLSRIG_CLIENT_OUTCOME_H

#include <stdint.h>

typedef enum outcome_kind { OUT_OK, OUT_ALERT, OUT_RESET, OUT_CLOSE, OUT_OTHER } outcome_kind_t;

typedef struct client_outcome {
    outcome_kind_t kind;
    int alert;         /* OUT_ALERT: the alert number the client received */
    char cipher[128];  /* OUT_OK: the suite as the client names it */
    char output[4096]; /* the client's output, cut, for failure messages */
} client_outcome_t;

typedef enum client_tool { TOOL_OPENSSL, TOOL_GNUTLS } client_tool_t;

/* args: extra options (SNI, suites, priority string, ...). */
client_outcome_t client_run(client_tool_t tool, uint16_t port, const char *args);
const char *outcome_name(outcome_kind_t k);

#endif
