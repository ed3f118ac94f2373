/* Messages carried by the link: message types per channel and the TLV tags of
 * their payloads. docs/protocol.md ("Commands") is the normative description;
 * the numbers below are the wire values and never change meaning. */
#ifndef TLSRIG_PROTO_H
#define TLSRIG_PROTO_H

/* issue 16 window: version 2 is the link with a sliding window (cumulative
 * acks, go-back-N, the SYNC frame: docs/protocol.md 1.5); version 1 was
 * stop-and-wait. Both ends must speak the same version: the host refuses
 * another one at HELLO (rebuild the image). */
#define PROTO_VERSION 2u

/* The sim agent (a process) resets by exiting with this status after it
 * answered CTRL_RESET (EX_TEMPFAIL: "start me again"); the host restarts it. */
#define PROTO_SIM_EXIT_RESET 75

/* CTRL channel: host requests; the agent answers with the same type | 0x20. */
enum proto_ctrl_type {
    CTRL_HELLO = 1,     /* -> identity and capabilities */
    CTRL_CA_CLEAR = 2,  /* forget the uploaded trust list */
    CTRL_CA_DATA = 3,   /* append a chunk of PEM/DER CA data (T_DATA) */
    CTRL_HANDSHAKE = 4, /* run one handshake with the settings in the payload */
    CTRL_SELFTEST = 5,  /* known-answer tests of the crypto primitives */
    CTRL_BENCH = 6,     /* micro-benchmarks of the crypto primitives */
    CTRL_ENTROPY = 7,   /* host-provided seed (emulation only, refused on boards) */
    CTRL_FAULT = 8,     /* inject a crypto fault (sim models only, refused elsewhere) */
    CTRL_PING = 9,      /* heartbeat: -> T_SESSION_EPOCH, T_UPTIME_MS */
    CTRL_RESET = 10,    /* answer, then reset the target (boards: NVIC_SystemReset) */
    CTRL_RESPONSE = 0x20,
};

/* Status in every CTRL response (T_STATUS). */
enum proto_status {
    ST_OK = 0,
    ST_ERR_MALFORMED = 1,   /* payload could not be decoded */
    ST_ERR_TOO_LARGE = 2,   /* a bounded buffer would overflow */
    ST_ERR_UNSUPPORTED = 3, /* command or setting not built into this image */
    ST_ERR_BUSY = 4,        /* a handshake is running */
    ST_ERR_REFUSED = 5,     /* not allowed on this board (e.g. host entropy) */
};

/* TUNNEL channel: TLS bytes and connection events. */
enum proto_tunnel_type {
    TUN_DATA = 1,   /* both directions: TLS bytes */
    TUN_OPEN = 2,   /* agent -> host: connect to the server */
    TUN_OPENED = 3, /* host -> agent: connected */
    TUN_CLOSE = 4,  /* both directions: orderly close (EOF) */
    TUN_RESET = 5,  /* host -> agent: the server reset the connection */
};

enum proto_log_type {
    LOG_TEXT = 1, /* one or more debug lines, UTF-8, '\n' separated */
};

enum proto_result_type {
    RES_HANDSHAKE = 1, /* end of one handshake attempt */
};

/* TLV tags. Shared numbering across messages; each message uses a subset. */
enum proto_tag {
    T_STATUS = 1,
    T_DATA = 2,
    T_TEXT = 3, /* free text: error detail */

    /* HELLO response */
    T_AGENT_VERSION = 10,
    T_BOARD = 11,
    T_DEVICE_UID = 12,
    T_BACKEND = 13,
    T_MBEDTLS_VERSION = 14,
    T_CONFIG_PROFILE = 15,
    T_BUILD_ID = 16,
    T_CAP_SUITES = 17,   /* u16 array */
    T_CAP_GROUPS = 18,   /* u16 array, IANA named groups */
    T_CAP_FEATURES = 19, /* comma-separated feature names */
    T_PROTO_VERSION = 20,
    T_HEAP_SIZE = 21,
    T_SESSION_EPOCH = 22, /* u32, new at every boot: a changed epoch = the agent reset */
    T_UPTIME_MS = 23,     /* u32 */
    T_PANIC = 24,         /* boards: the panic record kept across the last reset (TLV) */
    T_CLOCK_SOURCE = 25,  /* string: "hse-bypass-168mhz", "hsi-fallback-...", "sim", "qemu" */
    T_RESET_CAUSE = 26,   /* string: "power-on", "pin", "software", "iwdg", "lockup", ... */
    T_LINK_BAUD = 27,     /* u32: the agent's UART baud rate; absent on socket links */

    /* HANDSHAKE request */
    T_SCENARIO = 30,     /* scenario id, for the log */
    T_SUITES = 31,       /* u16 array; absent = library default */
    T_GROUPS = 32,       /* u16 array; absent = default */
    T_SIG_HASHES = 33,   /* TLS HashAlgorithm ids, bytes; absent = default */
    T_SNI = 34,          /* host name for SNI and verification; absent = none */
    T_MIN_VERSION = 35,  /* u16, 0x0301..0x0303 */
    T_MAX_VERSION = 36,  /* u16 */
    T_TIME = 37,         /* u64 unix seconds; absent = no clock (uptime from 0) */
    T_MFL = 38,          /* u8 max_fragment_length code 1..4 */
    T_DEBUG_LEVEL = 39,  /* u8 0..4 */
    T_READ_TIMEOUT = 40, /* u32 ms */
    T_VERIFY = 41,       /* u8: 0 none, 1 optional, 2 required (default) */
    T_SIM_FAULT = 42,    /* sim only: "crash", "hang", "garbage" (robustness tests) */
    T_CERT_PROFILE = 43, /* u8 X.509 profile: 0 default, 1 default + SHA-1, 2 next, 3 suiteb */

    /* RESULT */
    T_RET = 60,            /* i32 mbedTLS return code */
    T_ERR_NAME = 61,       /* mbedtls_strerror text */
    T_ALERT_RECEIVED = 62, /* u8 description; absent = none */
    T_ALERT_SENT = 63,     /* u8 description; absent = none */
    T_VERSION = 64,        /* negotiated version string */
    T_SUITE = 65,          /* negotiated suite name */
    T_PEER_CERT = 66,      /* peer certificate summary text */
    T_VERIFY_FLAGS = 67,   /* u32 */
    T_STATE_TIMES = 68,    /* repeated: u8 state, u32 microseconds */
    T_BYTES_IN = 69,
    T_BYTES_OUT = 70,
    T_HEAP_PEAK = 71,
    T_DURATION_US = 72,
    T_HS_STEPS = 73,
    T_INSTRUCTIONS = 74, /* u64 guest instructions (QEMU -icount); absent = not counted */
    T_STACK_PEAK = 75,   /* u32 bytes of stack used since boot; absent = not measured */
    T_PRIMITIVE = 76,    /* repeated; value is itself TLV: T_PRIM_* below */

    /* Inside T_PRIMITIVE (RESULT and SELFTEST answer) */
    T_PRIM_NAME = 90,   /* string: aes-gcm, aes-cbc, sha256, sha1, ecp-mul, ... */
    T_PRIM_OPS = 91,    /* u32 calls */
    T_PRIM_BYTES = 92,  /* u32 bytes processed */
    T_PRIM_NS = 93,     /* u64 time spent (ns on sim; cycles on boards) */
    T_PRIM_STATUS = 94, /* u8 selftest: 0 pass, 1 fail, 2 skipped */
    T_PRIM_FAILED = 95, /* string: first failed vector or check */

    /* CTRL_FAULT */
    T_FAULT_NAME = 100,  /* string */
    T_FAULT_EVERY = 101, /* u32: every Nth operation (0 = every) */
};

/* issue 16 dictlog: compact debug logs (docs/protocol.md, "Compact log
 * records"; record format in log_record.h). */
enum proto_log_compact {
    LOG_RECORDS = 2, /* agent -> host: binary debug records, rendered by the host */
    LOG_RESYNC = 3,  /* host -> agent (best effort): start a new record table */
};
#define LOG_FORMAT_FRESH 4u /* T_LOG_FORMAT: define every site again (exact instruction counts) */
enum proto_tag_log_compact {
    T_LOG_FORMAT = 110, /* HANDSHAKE request: u8, bits 0-1: 0 text (default), 1 compact
                           records, 2 both; bit 2 (LOG_FORMAT_FRESH): a new table, id 1 */
};

/* issue 17 psk13: session resumption (docs/protocol.md, "Resumption"). The
 * agent makes a full handshake, keeps the session (a TLS 1.3 ticket, a TLS 1.2
 * ticket or session id), connects again through the tunnel and resumes it. */
enum proto_tag_resume {
    T_RESUME = 120,        /* HANDSHAKE request: u8 1 = connect again and resume the session */
    T_RESUME_MODES = 121,  /* HANDSHAKE request: u8 TLS 1.3 key exchange modes of the resuming
                              connection (mbedTLS bits: 1 psk, 2 ephemeral, 4 psk_ephemeral);
                              absent = all the build has */
    T_RESUMED = 122,       /* RESULT: u8 the second handshake resumed (1) or was full (0);
                              absent = no second handshake */
    T_SESSION_SAVED = 123, /* RESULT: u8 1 = a session to resume was kept after the first */
    T_FIRST_RET = 124,     /* RESULT: i32 the first handshake's return code (resumption runs) */
};

/* issue 16: the TEST ONLY seed inside the HANDSHAKE request (HELLO feature "seed-in-request"),
 * instead of a CTRL_ENTROPY round trip before it. The agent takes it exactly as CTRL_ENTROPY
 * does, before it accepts the handshake; an agent that takes no host entropy (a board with an
 * RNG) refuses the request (ST_ERR_REFUSED) and runs no handshake. */
enum proto_tag_seed {
    T_SEED = 140, /* HANDSHAKE request: bytes, 1..HS_MAX_SEED */
};

/* issue 18 wolfagent: the TLS stack an image runs (docs/stacks.md, "wolfSSL"). HELLO of a
 * wolfSSL image has these instead of T_MBEDTLS_VERSION; mbedTLS images may send them too
 * (the host reads a HELLO without T_TLS_STACK as an mbedTLS image). */
enum proto_tag_tls_stack {
    T_TLS_STACK = 130,       /* string: "wolfssl" */
    T_TLS_LIB_VERSION = 131, /* string: the library's own version (LIBWOLFSSL_VERSION_STRING) */
    T_TLS_OPTIONS = 132,     /* string: the build options compiled in, comma-separated
                                ("HAVE_SNI,HAVE_SUPPORTED_CURVES,WOLFSSL_TLS13,...") */
};

#endif
