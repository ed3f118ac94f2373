/* Compact debug log records (LOG message LOG_RECORDS): the agent sends
 * mbedTLS's debug output as binary records, the host turns them back into
 * exactly the text the text path (LOG_TEXT) would have carried.
 * docs/protocol.md ("Compact log records") is the normative description.
 *
 * A LOG_RECORDS payload: u32 little-endian table id, then whole records. A
 * record is a kind byte and its fields; numbers are LEB128 varints (signed
 * ones zigzag-coded), strings and byte runs a varint length then the bytes.
 * Sites (file, line, level, format or text) and file names are defined once
 * per table (DEF records) and then named by small ids. Freestanding. */
#ifndef TLSRIG_LOG_RECORD_H
#define TLSRIG_LOG_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LOG_REC_HEADER_LEN 4u
#define LOG_REC_MAX_SITES 256u    /* ids 0..255 per table */
#define LOG_REC_MAX_FILES 32u     /* file ids 0..31 per table */
#define LOG_REC_FILE_MAX 63u      /* bytes of a file's base name */
#define LOG_REC_LINE_MAX 512u     /* mbedTLS's DEBUG_BUF_SIZE and our callback's buffer */
#define LOG_REC_TEXT_MAX 511u     /* a site's format or text, an argument string */
#define LOG_REC_DUMP_MAX 4096u    /* mbedtls_debug_print_buf dumps at most this */
#define LOG_REC_MPI_MAX 1024u     /* bytes of one MPI in a record (MBEDTLS_MPI_MAX_SIZE) */
#define LOG_REC_ARGS_MAX 1016u    /* bytes of a MSG record's arguments */
#define LOG_REC_PK_PREFIX "crt->" /* mbedtls_debug_print_crt's key item names */

enum log_rec_kind {
    LOG_REC_DEF_FILE = 1,  /* file id, name */
    LOG_REC_DEF_SITE = 2,  /* site id, file id, line, level (zigzag), text */
    LOG_REC_TEXT = 3,      /* bytes: verbatim log text (the agent's own lines) */
    LOG_REC_LINE = 4,      /* site, bytes: one string handed to the debug callback */
    LOG_REC_MSG = 5,       /* site (text = printf format), bytes: its arguments */
    LOG_REC_RET = 6,       /* site (text = function name), ret (zigzag) */
    LOG_REC_BUF = 7,       /* site (text), total length, offset, bytes: a hex dump part */
    LOG_REC_MPI = 8,       /* site (text), MPI: bit length, big-endian magnitude */
    LOG_REC_ECP = 9,       /* site (text), MPI X, MPI Y */
    LOG_REC_CRT_HEAD = 10, /* site (text), certificate number (zigzag) */
    LOG_REC_PK_MPI = 11,   /* site (text = key item name), MPI */
    LOG_REC_PK_ECP = 12,   /* site (text = key item name), MPI X, MPI Y */
};

/* Argument encodings in a LOG_REC_MSG record, by conversion (log_fmt.h):
 * '*' width or precision and d i: zigzag varint of the value as read with
 * the length modifier's type; u x X o c: varint; s and p: string (for p the
 * agent's own rendering of "%p", since libcs differ). */

/* Varints: return bytes written (0 = no room) or read (0 = malformed). */
static inline size_t log_rec_put_varint(uint8_t *out, size_t cap, uint64_t v)
{
    size_t n = 0;
    do {
        if (n >= cap) {
            return 0;
        }
        uint8_t b = (uint8_t)(v & 0x7Fu);
        v >>= 7;
        out[n++] = (uint8_t)(b | (v ? 0x80u : 0u));
    } while (v);
    return n;
}

static inline size_t log_rec_get_varint(const uint8_t *in, size_t len, uint64_t *v)
{
    uint64_t r = 0;
    for (size_t i = 0; i < len && i < 10u; i++) {
        uint64_t b = in[i] & 0x7Fu;
        if (i == 9u && b > 1u) {
            return 0; /* more than 64 bits */
        }
        r |= b << (7u * i);
        if ((in[i] & 0x80u) == 0) {
            *v = r;
            return i + 1u;
        }
    }
    return 0;
}

static inline uint64_t log_rec_zigzag(int64_t v)
{
    return ((uint64_t)v << 1) ^ (uint64_t)(v < 0 ? -1 : 0);
}

static inline int64_t log_rec_unzigzag(uint64_t v)
{
    return (int64_t)(v >> 1) ^ -(int64_t)(v & 1u);
}

#endif
