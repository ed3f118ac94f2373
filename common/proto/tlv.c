#include "tlv.h"

#include <string.h>

void tlv_writer_init(tlv_writer_t *w, uint8_t *buf, size_t cap)
{
    w->buf = buf;
    w->cap = cap;
    w->len = 0;
    w->overflow = false;
}

void tlv_put_bytes(tlv_writer_t *w, uint8_t tag, const void *data, size_t len)
{
    if (w->overflow || len > 0xFFFFu || w->cap - w->len < 3u + len) {
        w->overflow = true;
        return;
    }
    w->buf[w->len++] = tag;
    w->buf[w->len++] = (uint8_t)(len & 0xFFu);
    w->buf[w->len++] = (uint8_t)(len >> 8);
    if (len > 0) {
        memcpy(w->buf + w->len, data, len);
    }
    w->len += len;
}

static void put_le(tlv_writer_t *w, uint8_t tag, uint64_t v, size_t n)
{
    uint8_t b[8];
    for (size_t i = 0; i < n; i++) {
        b[i] = (uint8_t)(v >> (8u * i));
    }
    tlv_put_bytes(w, tag, b, n);
}

void tlv_put_u8(tlv_writer_t *w, uint8_t tag, uint8_t v)
{
    put_le(w, tag, v, 1);
}
void tlv_put_u16(tlv_writer_t *w, uint8_t tag, uint16_t v)
{
    put_le(w, tag, v, 2);
}
void tlv_put_u32(tlv_writer_t *w, uint8_t tag, uint32_t v)
{
    put_le(w, tag, v, 4);
}
void tlv_put_i32(tlv_writer_t *w, uint8_t tag, int32_t v)
{
    put_le(w, tag, (uint32_t)v, 4);
}
void tlv_put_u64(tlv_writer_t *w, uint8_t tag, uint64_t v)
{
    put_le(w, tag, v, 8);
}

void tlv_put_str(tlv_writer_t *w, uint8_t tag, const char *s)
{
    tlv_put_bytes(w, tag, s, s ? strlen(s) : 0);
}

void tlv_put_u16_array(tlv_writer_t *w, uint8_t tag, const uint16_t *v, size_t n)
{
    if (w->overflow || n > 0x7FFFu || w->cap - w->len < 3u + 2u * n) {
        w->overflow = true;
        return;
    }
    w->buf[w->len++] = tag;
    w->buf[w->len++] = (uint8_t)((2u * n) & 0xFFu);
    w->buf[w->len++] = (uint8_t)((2u * n) >> 8);
    for (size_t i = 0; i < n; i++) {
        w->buf[w->len++] = (uint8_t)(v[i] & 0xFFu);
        w->buf[w->len++] = (uint8_t)(v[i] >> 8);
    }
}

void tlv_reader_init(tlv_reader_t *r, const uint8_t *buf, size_t len)
{
    r->buf = buf;
    r->len = len;
    r->pos = 0;
    r->malformed = false;
}

bool tlv_next(tlv_reader_t *r, tlv_item_t *it)
{
    if (r->malformed || r->pos >= r->len) {
        return false;
    }
    if (r->len - r->pos < 3u) {
        r->malformed = true;
        return false;
    }
    uint16_t l = (uint16_t)(r->buf[r->pos + 1] | (r->buf[r->pos + 2] << 8));
    if (r->len - r->pos - 3u < l) {
        r->malformed = true;
        return false;
    }
    it->tag = r->buf[r->pos];
    it->len = l;
    it->value = r->buf + r->pos + 3u;
    r->pos += 3u + l;
    return true;
}

bool tlv_find(const uint8_t *buf, size_t len, uint8_t tag, tlv_item_t *it)
{
    tlv_reader_t r;
    tlv_reader_init(&r, buf, len);
    while (tlv_next(&r, it)) {
        if (it->tag == tag) {
            return true;
        }
    }
    return false;
}

static bool get_le(const tlv_item_t *it, size_t n, uint64_t *v)
{
    if (it->len != n) {
        return false;
    }
    uint64_t x = 0;
    for (size_t i = 0; i < n; i++) {
        x |= (uint64_t)it->value[i] << (8u * i);
    }
    *v = x;
    return true;
}

bool tlv_get_u8(const tlv_item_t *it, uint8_t *v)
{
    uint64_t x;
    if (!get_le(it, 1, &x)) {
        return false;
    }
    *v = (uint8_t)x;
    return true;
}
bool tlv_get_u16(const tlv_item_t *it, uint16_t *v)
{
    uint64_t x;
    if (!get_le(it, 2, &x)) {
        return false;
    }
    *v = (uint16_t)x;
    return true;
}
bool tlv_get_u32(const tlv_item_t *it, uint32_t *v)
{
    uint64_t x;
    if (!get_le(it, 4, &x)) {
        return false;
    }
    *v = (uint32_t)x;
    return true;
}
bool tlv_get_i32(const tlv_item_t *it, int32_t *v)
{
    uint32_t x;
    if (!tlv_get_u32(it, &x)) {
        return false;
    }
    *v = (int32_t)x;
    return true;
}
bool tlv_get_u64(const tlv_item_t *it, uint64_t *v)
{
    return get_le(it, 8, v);
}

bool tlv_get_str(const tlv_item_t *it, char *out, size_t cap)
{
    if (cap == 0) {
        return false;
    }
    size_t n = it->len < cap - 1u ? it->len : cap - 1u;
    memcpy(out, it->value, n);
    out[n] = '\0';
    return true;
}

bool tlv_get_u16_array(const tlv_item_t *it, uint16_t *out, size_t max, size_t *n)
{
    if (it->len % 2u != 0) {
        return false;
    }
    size_t count = it->len / 2u;
    if (count > max) {
        count = max;
    }
    for (size_t i = 0; i < count; i++) {
        out[i] = (uint16_t)(it->value[2 * i] | (it->value[2 * i + 1] << 8));
    }
    *n = count;
    return true;
}
