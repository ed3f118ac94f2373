/* HASH engine sharing between SHA contexts; see hash_hw.h. */
#include "hash_hw.h"
#include "hw_driver_fault.h"

#include <string.h>

static hw_hash_state_t *owner; /* context whose state is in the engine, or NULL */
static uint32_t owner_id;
static uint32_t last_id;

static uint32_t new_id(void)
{
    if (++last_id == 0)
        last_id = 1;
    return last_id;
}

static void release_if_owner(const hw_hash_state_t *st)
{
    if (owner == st) {
        owner = NULL;
        owner_id = 0;
    }
}

static int wait_sr(uint32_t mask)
{
    for (unsigned i = 0; i < PERIPH_WAIT_LIMIT; i++) {
        uint32_t sr = periph_read32(HASH_SR);
        if ((sr & mask) && !(sr & HASH_SR_BUSY))
            return 0;
    }
    return HW_HASH_ERR_HW;
}

static int save(hw_hash_state_t *st)
{
    if (wait_sr(HASH_SR_DINIS) != 0)
        return HW_HASH_ERR_HW;
    for (unsigned i = 0; i < HASH_CSR_COUNT_NO_HMAC; i++)
        st->csr[i] = periph_read32(HASH_CSR(i));
    st->saved = 1;
    return 0;
}

static uint32_t cr_for(const hw_hash_state_t *st)
{
    return st->algo_cr | (CRYP_DATATYPE_8 << HASH_CR_DATATYPE_SHIFT);
}

/* Make st the engine's owner: save the previous owner, restore or initialise st. */
static int acquire(hw_hash_state_t *st)
{
    if (owner_id != 0 && owner_id == st->id)
        return 0;
    if (owner != NULL && owner->id == owner_id) {
        int rc = save(owner);
        if (rc != 0)
            return rc;
    }
    periph_write32(HASH_IMR, 0);
    periph_write32(HASH_STR, 0);
    periph_write32(HASH_CR, cr_for(st) | HASH_CR_INIT);
    if (st->saved) {
        for (unsigned i = 0; i < HASH_CSR_COUNT_NO_HMAC; i++)
            periph_write32(HASH_CSR(i), st->csr[i]);
    }
    owner = st;
    owner_id = st->id;
    return 0;
}

void hw_hash_init(hw_hash_state_t *st)
{
    memset(st, 0, sizeof(*st));
}

void hw_hash_free(hw_hash_state_t *st)
{
    if (st == NULL)
        return;
    release_if_owner(st);
    volatile unsigned char *p = (volatile unsigned char *)st;
    for (size_t i = 0; i < sizeof(*st); i++)
        p[i] = 0;
}

int hw_hash_start(hw_hash_state_t *st, uint32_t algo_cr)
{
    release_if_owner(st);
    memset(st, 0, sizeof(*st));
    st->id = new_id();
    st->algo_cr = algo_cr & HASH_CR_ALGO_MASK;
    return 0;
}

static uint32_t le32(const unsigned char *b)
{
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static void write_block(const unsigned char block[64])
{
    for (unsigned i = 0; i < 16; i++)
        periph_write32(HASH_DIN, le32(block + 4 * i));
}

int hw_hash_update(hw_hash_state_t *st, const unsigned char *data, size_t len)
{
    if (st->id == 0 || (data == NULL && len > 0))
        return HW_HASH_ERR_BAD_INPUT;
    /* The engine is only touched when a whole block is ready. */
    if (st->buf_len + len < sizeof(st->buf)) {
        if (len > 0)
            memcpy(st->buf + st->buf_len, data, len);
        st->buf_len += len;
        return 0;
    }
    int rc = acquire(st);
    if (rc != 0)
        return rc;
    if (st->buf_len > 0) {
        size_t fill = sizeof(st->buf) - st->buf_len;
        memcpy(st->buf + st->buf_len, data, fill);
        write_block(st->buf);
        data += fill;
        len -= fill;
        st->buf_len = 0;
    }
    while (len >= 64) {
        write_block(data);
        data += 64;
        len -= 64;
    }
    memcpy(st->buf, data, len);
    st->buf_len = len;
    return 0;
}

int hw_hash_finish(hw_hash_state_t *st, unsigned char *digest, unsigned digest_words)
{
    if (st->id == 0 || digest_words > 8)
        return HW_HASH_ERR_BAD_INPUT;
    int rc = acquire(st);
    if (rc != 0)
        return rc;
    size_t words = st->buf_len / 4, tail = st->buf_len % 4;
    for (size_t i = 0; i < words; i++)
        periph_write32(HASH_DIN, le32(st->buf + 4 * i));
    if (tail > 0) {
        unsigned char last[4] = {0};
        memcpy(last, st->buf + 4 * words, tail);
        periph_write32(HASH_DIN, le32(last));
    }
    /* NBLW: valid bits of the last word (0 = all 32). */
    uint32_t nblw = (uint32_t)(8 * tail);
    periph_write32(HASH_STR, nblw);
    periph_write32(HASH_STR, nblw | HASH_STR_DCAL);
    rc = wait_sr(HASH_SR_DCIS);
    if (rc == 0) {
        for (unsigned i = 0; i < digest_words; i++) {
            uint32_t w = periph_read32(HASH_HR(i));
            digest[4 * i] = (unsigned char)(w >> 24);
            digest[4 * i + 1] = (unsigned char)(w >> 16);
            digest[4 * i + 2] = (unsigned char)(w >> 8);
            digest[4 * i + 3] = (unsigned char)w;
        }
    }
    release_if_owner(st);
    owner = NULL;
    owner_id = 0;
    st->id = 0;
    return rc;
}

void hw_hash_clone(hw_hash_state_t *dst, const hw_hash_state_t *src)
{
    if (dst == src)
        return;
    release_if_owner(dst);
    /* Field bug: a plain copy shares the id, so both contexts use the engine state. */
    if (hw_driver_fault_fires(HW_DRIVER_FAULT_SHA_CLONE)) {
        *dst = *src;
        return;
    }
    /* The engine holds src's newest state: snapshot it (src stays the owner). */
    if (src->id != 0 && owner_id == src->id && owner == src)
        (void)save(owner);
    *dst = *src;
    if (src->id != 0)
        dst->id = new_id();
}
