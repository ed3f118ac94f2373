/* The tlsrig server <-> TLS 1.3 worker messages (issue 17 tls13). The worker
 * (tlsrig-tls13-worker, mbedTLS 3.6) is a separate process because two
 * mbedTLS versions cannot be linked into one (same symbol names). The server
 * reads the first flight, inspects it and applies the policy as for TLS 1.2;
 * when the decision is TLS 1.3 it spawns the worker with fd 3 (control: one
 * request in, one result out, fixed-size structs) and fd 4 (the TLS bytes,
 * relayed by the server to and from the client socket, so capture, pcap,
 * byte counts, impairments and slot eviction stay the server's one code
 * path). No mbedTLS types here: both sides include it. */
#ifndef TLSRIG_TLS13_PROTO_H
#define TLSRIG_TLS13_PROTO_H

#include <stdint.h>

#define TLS13_MAGIC_REQUEST 0x544c3133u /* "TL13" */
#define TLS13_MAGIC_RESULT 0x544c3152u  /* "TL1R" */
#define TLS13_FD_CONTROL 3
#define TLS13_FD_DATA 4
#define TLS13_MAX_CHAINS 4
#define TLS13_PATH_LEN 1024

/* Key exchange modes the server accepts (RFC 8446 4.2.9), mbedTLS's bits. */
#define TLS13_KEX_PSK 1u
#define TLS13_KEX_EPHEMERAL 2u
#define TLS13_KEX_PSK_EPHEMERAL 4u

typedef struct tls13_request {
    uint32_t magic, size; /* TLS13_MAGIC_REQUEST, sizeof(tls13_request_t) */
    uint16_t suite;       /* IANA id the policy chose; the worker offers only it */
    uint16_t group;       /* the policy's group: the worker offers only it, so a client
                             without a key share for it gets a HelloRetryRequest */
    uint32_t n_chains;
    char chain_pem[TLS13_MAX_CHAINS][TLS13_PATH_LEN];
    char key_pem[TLS13_MAX_CHAINS][TLS13_PATH_LEN];
    uint8_t tickets;        /* send a NewSessionTicket, accept tickets (resumption) */
    uint8_t ticket_key[32]; /* one per server: tickets from one worker open in the next */
    uint8_t kex_modes;      /* TLS13_KEX_* */
    uint8_t alert_after_ee; /* fatal alert right after EncryptedExtensions, 0 = none */
    uint32_t io_timeout_ms; /* each read from the client */
    uint32_t deadline_ms;   /* the whole handshake and answer */
    int32_t debug_level;
    char log_path[TLS13_PATH_LEN]; /* server.log, appended to; "" = no log */
    char profile[64];
} tls13_request_t;

typedef struct tls13_result {
    uint32_t magic, size; /* TLS13_MAGIC_RESULT, sizeof(tls13_result_t) */
    int32_t ret;          /* mbedTLS 3.6 code of the handshake, 0 = completed */
    char error[160];      /* mbedtls_strerror() of ret */
    char version[16];     /* "TLSv1.3" when completed */
    char suite[64];
    uint16_t group;           /* key exchange group (IANA), 0 when none */
    uint8_t hello_retry_sent; /* a HelloRetryRequest went out */
    uint8_t resumed;          /* a PSK (ticket) was accepted */
    uint8_t ccs_sent;         /* middlebox compatibility: ChangeCipherSpec after ServerHello */
    uint8_t tickets_sent;
    uint8_t kex_mode;       /* issue 17 psk13: TLS13_KEX_* the handshake used, 0 = none */
    int16_t alert_sent;     /* alert the worker sent (encrypted ones included), -1 none */
    int16_t alert_received; /* fatal alert from the client, 0 close_notify, -1 none */
    char library[32];       /* "mbedTLS 3.6.6" */
} tls13_result_t;

#endif
