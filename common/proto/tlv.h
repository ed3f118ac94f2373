/* Tag-length-value encoding for CTRL and RESULT payloads: tag (1 byte),
 * length (2 bytes, little endian), value. Freestanding: writes into a
 * caller-owned buffer, reads in place, every length checked. Unknown tags are
 * skipped by readers, so either side can add fields without breaking the other. */
#ifndef TLSRIG_TLV_H
#define TLSRIG_TLV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct tlv_writer {
    uint8_t *buf;
    size_t cap;
    size_t len;
    bool overflow; /* set once a put did not fit; later puts are ignored */
} tlv_writer_t;

void tlv_writer_init(tlv_writer_t *w, uint8_t *buf, size_t cap);
void tlv_put_bytes(tlv_writer_t *w, uint8_t tag, const void *data, size_t len);
void tlv_put_u8(tlv_writer_t *w, uint8_t tag, uint8_t v);
void tlv_put_u16(tlv_writer_t *w, uint8_t tag, uint16_t v);
void tlv_put_u32(tlv_writer_t *w, uint8_t tag, uint32_t v);
void tlv_put_i32(tlv_writer_t *w, uint8_t tag, int32_t v);
void tlv_put_u64(tlv_writer_t *w, uint8_t tag, uint64_t v);
void tlv_put_str(tlv_writer_t *w, uint8_t tag, const char *s);
/* An array of u16 values (cipher suites, groups), little endian. */
void tlv_put_u16_array(tlv_writer_t *w, uint8_t tag, const uint16_t *v, size_t n);

typedef struct tlv_item {
    uint8_t tag;
    uint16_t len;
    const uint8_t *value;
} tlv_item_t;

typedef struct tlv_reader {
    const uint8_t *buf;
    size_t len;
    size_t pos;
    bool malformed; /* a length ran past the end */
} tlv_reader_t;

void tlv_reader_init(tlv_reader_t *r, const uint8_t *buf, size_t len);
/* Next item; false at the end or on malformed input (then r->malformed). */
bool tlv_next(tlv_reader_t *r, tlv_item_t *it);
/* Find the first item with this tag in a whole buffer. */
bool tlv_find(const uint8_t *buf, size_t len, uint8_t tag, tlv_item_t *it);

/* Typed reads: false when the item has the wrong length. */
bool tlv_get_u8(const tlv_item_t *it, uint8_t *v);
bool tlv_get_u16(const tlv_item_t *it, uint16_t *v);
bool tlv_get_u32(const tlv_item_t *it, uint32_t *v);
bool tlv_get_i32(const tlv_item_t *it, int32_t *v);
bool tlv_get_u64(const tlv_item_t *it, uint64_t *v);
/* Copy a string value into out (NUL-terminated, truncated to cap-1). */
bool tlv_get_str(const tlv_item_t *it, char *out, size_t cap);
/* Number of u16 values copied into out (at most max); false on odd length. */
bool tlv_get_u16_array(const tlv_item_t *it, uint16_t *out, size_t max, size_t *n);

#endif
