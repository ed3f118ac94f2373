/* CRYP engine access for the AES and GCM drivers; see cryp_hw.h. */
#include "cryp_hw.h"
#include "hw_driver_fault.h"
#include "stm32_regs.h"

static const void *key_owner; /* context whose key was loaded last */

uint32_t cryp_hw_cr(unsigned algo, unsigned keybits, int decrypt)
{
    unsigned ks = keybits == 256   ? CRYP_KEYSIZE_256
                  : keybits == 192 ? CRYP_KEYSIZE_192
                                   : CRYP_KEYSIZE_128;
    uint32_t cr = ((algo & 7u) << CRYP_CR_ALGOMODE_LO_SHIFT) |
                  ((algo & 8u) ? CRYP_CR_ALGOMODE_HI : 0u) |
                  (CRYP_DATATYPE_8 << CRYP_CR_DATATYPE_SHIFT) | (ks << CRYP_CR_KEYSIZE_SHIFT);
    if (decrypt)
        cr |= CRYP_CR_ALGODIR;
    return cr;
}

static uint32_t be32(const unsigned char *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static void put_be32(unsigned char *b, uint32_t w)
{
    b[0] = (unsigned char)(w >> 24);
    b[1] = (unsigned char)(w >> 16);
    b[2] = (unsigned char)(w >> 8);
    b[3] = (unsigned char)w;
}

void cryp_hw_load_key(const void *owner, const unsigned char *key, unsigned keybits)
{
    /* Field bug: "the key is still loaded" assumed across a context switch. */
    if (owner != key_owner && key_owner != NULL &&
        hw_driver_fault_fires(HW_DRIVER_FAULT_AES_KEY_INTERLEAVE)) {
        key_owner = owner;
        return;
    }
    key_owner = owner;
    /* The key occupies the last keybits/32 of the eight key words (K3RR = key's last word). */
    unsigned words = keybits / 32;
    unsigned first = 8 - words;
    for (unsigned i = 0; i < words; i++) {
        unsigned reg = first + i;
        uint32_t addr = (reg % 2) ? CRYP_KRR(reg / 2) : CRYP_KLR(reg / 2);
        periph_write32(addr, be32(key + 4 * i));
    }
}

void cryp_hw_set_iv(const unsigned char iv[16])
{
    periph_write32(CRYP_IVLR(0), be32(iv));
    periph_write32(CRYP_IVRR(0), be32(iv + 4));
    periph_write32(CRYP_IVLR(1), be32(iv + 8));
    periph_write32(CRYP_IVRR(1), be32(iv + 12));
}

void cryp_hw_get_iv(unsigned char iv[16])
{
    put_be32(iv, periph_read32(CRYP_IVLR(0)));
    put_be32(iv + 4, periph_read32(CRYP_IVRR(0)));
    put_be32(iv + 8, periph_read32(CRYP_IVLR(1)));
    put_be32(iv + 12, periph_read32(CRYP_IVRR(1)));
}

void cryp_hw_configure(uint32_t cr)
{
    periph_write32(CRYP_CR, 0);
    periph_write32(CRYP_CR, cr | CRYP_CR_FFLUSH);
}

void cryp_hw_enable(uint32_t cr)
{
    periph_write32(CRYP_CR, cr | CRYP_CR_CRYPEN);
}

void cryp_hw_disable(void)
{
    periph_write32(CRYP_CR, periph_read32(CRYP_CR) & ~CRYP_CR_CRYPEN);
}

int cryp_hw_wait_enable_clear(void)
{
    for (unsigned i = 0; i < PERIPH_WAIT_LIMIT; i++) {
        if (!(periph_read32(CRYP_CR) & CRYP_CR_CRYPEN))
            return 0;
    }
    return CRYP_HW_ERR;
}

int cryp_hw_wait_idle(void)
{
    for (unsigned i = 0; i < PERIPH_WAIT_LIMIT; i++) {
        if (!(periph_read32(CRYP_SR) & CRYP_SR_BUSY))
            return 0;
    }
    return CRYP_HW_ERR;
}

int cryp_hw_prepare_decrypt_key(unsigned keybits)
{
    uint32_t cr = cryp_hw_cr(CRYP_ALGO_AES_KEYPREP, keybits, 1);
    cryp_hw_configure(cr);
    cryp_hw_enable(cr);
    return cryp_hw_wait_enable_clear();
}

static int wait_sr(uint32_t mask)
{
    for (unsigned i = 0; i < PERIPH_WAIT_LIMIT; i++) {
        if (periph_read32(CRYP_SR) & mask)
            return 0;
    }
    return CRYP_HW_ERR;
}

/* Little-endian word from bytes: what a 32-bit load of the buffer gives on the Cortex-M. */
static uint32_t le32(const unsigned char *b)
{
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

int cryp_hw_stream(const unsigned char *in, unsigned char *out, size_t blocks)
{
    for (size_t blk = 0; blk < blocks; blk++) {
        /* One block at a time: the output must be read before `in` may be overwritten. */
        for (unsigned i = 0; i < 4; i++) {
            if (wait_sr(CRYP_SR_IFNF) != 0)
                return CRYP_HW_ERR;
            periph_write32(CRYP_DIN, le32(in + 16 * blk + 4 * i));
        }
        if (out == NULL)
            continue;
        for (unsigned i = 0; i < 4; i++) {
            if (wait_sr(CRYP_SR_OFNE) != 0)
                return CRYP_HW_ERR;
            uint32_t w = periph_read32(CRYP_DOUT);
            unsigned char *o = out + 16 * blk + 4 * i;
            o[0] = (unsigned char)w;
            o[1] = (unsigned char)(w >> 8);
            o[2] = (unsigned char)(w >> 16);
            o[3] = (unsigned char)(w >> 24);
        }
    }
    return cryp_hw_wait_idle();
}

int cryp_hw_aes_run(const void *owner, const unsigned char *key, unsigned keybits, unsigned algo,
                    int decrypt, const unsigned char *iv, const unsigned char *in,
                    unsigned char *out, size_t blocks)
{
    cryp_hw_load_key(owner, key, keybits);
    if (decrypt && algo != CRYP_ALGO_AES_CTR && cryp_hw_prepare_decrypt_key(keybits) != 0)
        return CRYP_HW_ERR;
    uint32_t cr = cryp_hw_cr(algo, keybits, decrypt);
    cryp_hw_configure(cr);
    if (iv != NULL)
        cryp_hw_set_iv(iv);
    cryp_hw_enable(cr);
    int rc = cryp_hw_stream(in, out, blocks);
    cryp_hw_disable();
    return rc;
}

void cryp_hw_save_gcm_context(uint32_t cs[16])
{
    for (unsigned i = 0; i < CRYP_CS_WORDS; i++) {
        cs[i] = periph_read32(CRYP_CSGCMCCMR(i));
        cs[CRYP_CS_WORDS + i] = periph_read32(CRYP_CSGCMR(i));
    }
}

void cryp_hw_restore_gcm_context(const uint32_t cs[16])
{
    for (unsigned i = 0; i < CRYP_CS_WORDS; i++) {
        periph_write32(CRYP_CSGCMCCMR(i), cs[i]);
        periph_write32(CRYP_CSGCMR(i), cs[CRYP_CS_WORDS + i]);
    }
}
