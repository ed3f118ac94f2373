/* ClientHello inspector: reads the client's first flight before mbedTLS does.
 * Input is TLS records (a ClientHello split over several records or coalesced
 * with more data) or a bare handshake message (type 1, for replay files).
 * Every length is checked; hostile input gives a negative CH_ERR_* code, a
 * reason and the alert a server should send. Bounds below are documented in
 * docs/profiles.md; a hello beyond them is refused with CH_ERR_LIMIT. */
#ifndef TLSRIG_CLIENTHELLO_H
#define TLSRIG_CLIENTHELLO_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CH_MAX_HELLO_LEN 32768 /* handshake message body */
#define CH_MAX_RECORDS 64      /* records carrying one ClientHello */
#define CH_MAX_RECORD_LEN 16384
/* Most bytes clienthello_need() may ask for before it answers. */
#define CH_MAX_FLIGHT (CH_MAX_HELLO_LEN + 4 + CH_MAX_RECORDS * 5 + CH_MAX_RECORD_LEN)
#define CH_MAX_SUITES 512
#define CH_MAX_EXTS 64
#define CH_MAX_LIST 64 /* groups, signature algorithms, versions, point formats */
#define CH_MAX_ALPN 16
#define CH_MAX_KEY_SHARES 16
#define CH_MAX_COMPRESSIONS 32
#define CH_SNI_LEN 256

enum clienthello_err {
    CH_ERR_ARG = -1,             /* NULL arguments */
    CH_ERR_TRUNCATED = -2,       /* input ends inside the ClientHello */
    CH_ERR_NOT_TLS = -3,         /* not a TLS handshake record (HTTP, garbage) */
    CH_ERR_SSLV2 = -4,           /* SSLv2-compatible ClientHello: refused */
    CH_ERR_DECODE = -5,          /* a length or value does not fit */
    CH_ERR_ILLEGAL = -6,         /* well-formed but forbidden (duplicate extension) */
    CH_ERR_LIMIT = -7,           /* beyond this inspector's bounds */
    CH_ERR_RECORD_OVERFLOW = -8, /* record longer than 2^14 */
    CH_ERR_UNEXPECTED = -9,      /* another message or record type first */
};

typedef struct ch_extension {
    uint16_t type;
    uint16_t len;
    uint32_t offset; /* of the extension data in clienthello_t.raw */
} ch_extension_t;

typedef struct ch_key_share {
    uint16_t group;
    uint16_t len;
} ch_key_share_t;

typedef struct clienthello {
    uint8_t *raw; /* the handshake message, 4-byte header included */
    size_t raw_len;
    bool in_records;  /* false: input was a bare handshake message */
    size_t n_records; /* records the message spanned */
    uint16_t record_version;
    size_t consumed; /* input bytes up to the end of the last record used */

    uint16_t legacy_version;
    uint8_t random[32];
    uint8_t session_id[32];
    size_t session_id_len;
    uint16_t suites[CH_MAX_SUITES];
    size_t n_suites;
    uint8_t compressions[CH_MAX_COMPRESSIONS];
    size_t n_compressions;

    bool has_ext_block;
    ch_extension_t exts[CH_MAX_EXTS];
    size_t n_exts;

    /* Decoded extensions; has_* says the extension was present. */
    bool has_sni;
    char sni[CH_SNI_LEN]; /* host_name, printable ASCII */
    bool has_groups;
    uint16_t groups[CH_MAX_LIST];
    size_t n_groups;
    bool has_point_formats;
    uint8_t point_formats[CH_MAX_LIST];
    size_t n_point_formats;
    bool has_sigalgs;
    uint16_t sigalgs[CH_MAX_LIST];
    size_t n_sigalgs;
    bool has_alpn;
    char alpn[CH_MAX_ALPN][256];
    size_t n_alpn;
    bool has_ems, has_etm;
    bool has_reneg_info;
    uint8_t reneg_info_len;
    bool has_mfl;
    uint8_t mfl; /* 1..4 */
    bool has_session_ticket;
    uint16_t session_ticket_len;
    bool has_versions;
    uint16_t versions[CH_MAX_LIST];
    size_t n_versions;
    bool has_key_share;
    ch_key_share_t key_shares[CH_MAX_KEY_SHARES];
    size_t n_key_shares;
    /* TLS 1.3 resumption and 0-RTT (RFC 8446 4.2.9-4.2.11). */
    bool has_psk_modes;
    uint8_t psk_modes[CH_MAX_LIST]; /* 0 psk_ke, 1 psk_dhe_ke, others kept as sent */
    size_t n_psk_modes;
    bool has_pre_shared_key; /* must be the last extension */
    size_t n_psk_identities;
    uint32_t psk_identity_len0; /* length of the first identity (a ticket) */
    bool has_early_data;
    bool has_cookie; /* a second ClientHello after HelloRetryRequest */
    /* Signalling suites. */
    bool scsv_reneg, scsv_fallback;
} clienthello_t;

/* 0: buf holds a complete ClientHello in records; >0: at least this many more
 * bytes are needed; <0: CH_ERR_* (never asks for more than CH_MAX_FLIGHT). */
int clienthello_need(const uint8_t *buf, size_t len);

/* Parses records or a bare handshake message into *out (zeroed first). 0 or
 * CH_ERR_*, with the reason in err. Call clienthello_free() in both cases. */
int clienthello_parse(const uint8_t *buf, size_t len, clienthello_t *out, char *err, size_t errlen);
void clienthello_free(clienthello_t *ch);

/* The first flight framed as mbedTLS 2.28 accepts it (it takes a ClientHello
 * only alone in exactly one record): the hello in one record (version of the
 * client's first record), then any handshake bytes that followed it in its
 * last record as a second record, then the rest of buf unchanged. ch is
 * clienthello_parse() of the same buf, from records. Returns the length
 * written (at most len + 5), 0 when it cannot (hello over 2^14 bytes, no
 * room). */
size_t clienthello_reframe(const uint8_t *buf, size_t len, const clienthello_t *ch, uint8_t *out,
                           size_t out_cap);

/* The alert a server should send for a CH_ERR_* code (decode_error 50,
 * illegal_parameter 47, handshake_failure 40, ...). */
uint8_t clienthello_alert_for(int err);
const char *clienthello_strerror(int err);

bool clienthello_has_ext(const clienthello_t *ch, uint16_t type);
bool clienthello_offers_suite(const clienthello_t *ch, uint16_t suite);
bool clienthello_offers_group(const clienthello_t *ch, uint16_t group);
bool clienthello_shares_key(const clienthello_t *ch, uint16_t group);
/* psk_key_exchange_modes lists mode (0 psk_ke, 1 psk_dhe_ke). */
bool clienthello_offers_psk_mode(const clienthello_t *ch, uint8_t mode);
/* Versions the client offers (supported_versions, else legacy_version and
 * below down to TLS 1.0), GREASE removed; returns the count. */
size_t clienthello_versions(const clienthello_t *ch, uint16_t *out, size_t max);

/* Reads a stored ClientHello, hex (any spacing, '#' comments) or binary, from
 * path or "-" (stdin). 0 with a malloc'd *data, or -1 with err. */
int clienthello_read_file(const char *path, uint8_t **data, size_t *len, char *err, size_t errlen);

/* Names and ids, decoded extensions, raw bytes as hex. New reference. */
json_t *clienthello_to_json(const clienthello_t *ch);

#endif
