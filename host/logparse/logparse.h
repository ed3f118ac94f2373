/* TLS client debug log -> typed events: mbedTLS (2.28 and 3.x formats, forum-damaged logs too)
 * and wolfSSL (DEBUG_WOLFSSL output); which stack wrote the log is detected from line shapes. */
#ifndef TLSRIG_LOGPARSE_H
#define TLSRIG_LOGPARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

typedef enum {
    LP_EV_VERSION_BANNER, /* str: "2.28.10" */
    LP_EV_STATE,          /* num: state number (-1 if only named), str: state name if any */
    LP_EV_SUITE_OFFERED,  /* num: suite id, str: name (may be NULL) */
    LP_EV_SUITE_COUNT,    /* num: "got N ciphersuites" */
    LP_EV_EXT_OFFERED,    /* num: extension id (-1 unknown), str: name as logged */
    LP_EV_GROUP_OFFERED,  /* num: group id, str: name */
    LP_EV_SIGALG_OFFERED, /* num: signature scheme id, str: name */
    LP_EV_SNI,            /* str: host name sent */
    LP_EV_MAX_VERSION,    /* num: 0x0303 style */
    LP_EV_CLIENT_TIME,    /* num: unix time the client put in its hello ("current time") */
    LP_EV_SERVER_VERSION, /* num: 0x0303 style (server hello version field) */
    LP_EV_SERVER_SUITE,   /* num: suite id (-1 if only named), str: name */
    LP_EV_SERVER_GROUP,   /* str: "secp256r1", "x25519" */
    LP_EV_SERVER_SIGALG,  /* num: signature scheme / algorithm id as logged, str: what */
    LP_EV_PROTOCOL,       /* str: negotiated protocol, e.g. "TLSv1.2" */
    LP_EV_CERT_FIELD,     /* str: field name ("signed using"), str2: value */
    LP_EV_VERIFY_FLAGS,   /* num: X.509 verify flag bits (0 = clear), str: message */
    LP_EV_ALERT_RECEIVED, /* num: level, num2: description */
    LP_EV_ALERT_SENT,     /* num: level, num2: description */
    LP_EV_RETURN,         /* num: negative code, str: function that returned it */
    LP_EV_FINAL_ERROR,    /* num: the application's final error code */
    LP_EV_HANDSHAKE_DONE, /* the handshake completed */
    LP_EV_RECORD_IN,      /* num: content type, num2: length */
    LP_EV_RECORD_OUT,     /* num: content type, num2: length */
    LP_EV_HS_MESSAGE,     /* num: handshake type, num2: hslen */
    LP_EV_HEXDUMP,        /* str: label, data/data_len: bytes, num: declared length */
    LP_EV_NOTE,           /* str: note key (see logparse_notes.c), a known tell-tale message */
    LP_EV__COUNT
} logparse_event_type_t;

typedef struct {
    logparse_event_type_t type;
    size_t line;       /* 1-based line number in the input */
    int level;         /* debug level from |N|, -1 when absent */
    long long time_ms; /* leading timestamp if the line had one, else -1 */
    long long num;
    long long num2;
    char *str;
    char *str2;
    unsigned char *data;
    size_t data_len;
    char *text; /* the normalised line text the event came from */
} logparse_event_t;

#define LOGPARSE_CH_MAX 256

/* The few ClientHello fields diagnosis needs, decoded from a hex dump in the log. */
typedef struct {
    bool present;
    bool has_suites; /* false when only the extension block was dumped (3.x) */
    uint16_t version;
    uint16_t suites[LOGPARSE_CH_MAX];
    size_t n_suites;
    uint16_t extensions[LOGPARSE_CH_MAX];
    size_t n_extensions;
    uint16_t groups[LOGPARSE_CH_MAX];
    size_t n_groups;
    uint16_t sigalgs[LOGPARSE_CH_MAX];
    size_t n_sigalgs;
    char sni[256];
    bool has_sni;
    size_t source_line; /* line of the hex dump it came from */
    /* issue 17 tls13: supported_versions lists TLS 1.3; the key share groups. */
    bool offers_tls13;
    uint16_t key_shares[16];
    size_t n_key_shares;
} logparse_clienthello_t;

typedef struct logparse_result logparse_result_t;

/* issue 18 wolfdiag: the stack that wrote a log (docs/diagnosis.md, "Which stack wrote it"). */
typedef enum {
    LP_STACK_MBEDTLS,      /* mbedTLS, release not told by the log */
    LP_STACK_MBEDTLS_2_28, /* mbedTLS 2.x */
    LP_STACK_MBEDTLS_3_6,  /* mbedTLS 3.x */
    LP_STACK_WOLFSSL,
} logparse_stack_t;

/* Parse a whole log. Any bytes are accepted; returns NULL only when out of memory. */
logparse_result_t *logparse_text(const char *text, size_t len);
/* The same with the stack forced ("wolfssl", "mbedtls-2.28", "mbedtls-3.6", "mbedtls"); NULL
 * detects it. An unknown name is treated as NULL (check it with logparse_stack_from_name). */
logparse_result_t *logparse_text_as(const char *text, size_t len, const char *stack);
/* The stack that wrote the log (detected or forced), and its name: "wolfssl", "mbedtls-2.28",
 * "mbedtls-3.6" or "mbedtls" (release unknown). */
logparse_stack_t logparse_stack(const logparse_result_t *r);
const char *logparse_stack_name(logparse_stack_t s);
/* "wolfssl" -> LP_STACK_WOLFSSL ...; false for an unknown name. */
bool logparse_stack_from_name(const char *name, logparse_stack_t *out);
void logparse_free(logparse_result_t *r);

size_t logparse_event_count(const logparse_result_t *r);
const logparse_event_t *logparse_event_at(const logparse_result_t *r, size_t i);
/* Number of lines, and the debug level the log was captured at: the highest |N| seen on at
 * least 3 lines (else the highest seen; -1 if no |N| prefix at all). */
size_t logparse_line_count(const logparse_result_t *r);
int logparse_max_level(const logparse_result_t *r);
/* The ClientHello decoded from a hex dump; ->present is false when the log had none. */
const logparse_clienthello_t *logparse_clienthello(const logparse_result_t *r);
/* "2.28.10" or NULL when the log names no version. */
const char *logparse_version(const logparse_result_t *r);

const char *logparse_event_type_name(logparse_event_type_t t);

/* {"version", "max_level", "stack", "lines", "events":[{type,line,...}], "clienthello":{...}} */
json_t *logparse_to_json(const logparse_result_t *r);
json_t *logparse_clienthello_to_json(const logparse_clienthello_t *ch);

/* Minimal ClientHello decoder: accepts a TLS record, a handshake message, the hello body, or
 * (extensions_only) a bare extensions block with its 2-byte length. Returns 0 on success. */
int logparse_decode_clienthello(const unsigned char *buf, size_t len, bool extensions_only,
                                logparse_clienthello_t *out);

/* Names for the numbers in events ("handshake_failure", "server_name", "secp256r1"). */
const char *logparse_alert_name(int desc);
const char *logparse_extension_name(int id);
const char *logparse_group_name(int id);

#endif
