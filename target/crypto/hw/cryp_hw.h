/*
 * CRYP engine access shared by the AES and GCM drivers: key and IV loading, block streaming
 * through the FIFOs, and the GCM context-swap registers. Internal to target/crypto/hw.
 */
#ifndef TLSRIG_CRYP_HW_H
#define TLSRIG_CRYP_HW_H

#include <stddef.h>
#include <stdint.h>

#define CRYP_HW_ERR (-1)

/* CR value for an AES mode: algo = CRYP_ALGO_*, keybits 128/192/256, decrypt 0/1, 8-bit data. */
uint32_t cryp_hw_cr(unsigned algo, unsigned keybits, int decrypt);

/*
 * Load the key registers for the context `owner` (any stable address identifying it). The
 * driver reloads on every operation since contexts interleave; the aes-key-interleave driver
 * bug skips the reload when the owner changed.
 */
void cryp_hw_load_key(const void *owner, const unsigned char *key, unsigned keybits);
void cryp_hw_set_iv(const unsigned char iv[16]);
void cryp_hw_get_iv(unsigned char iv[16]);

/* Disable, flush FIFOs, write CR (CRYPEN clear). */
void cryp_hw_configure(uint32_t cr);
/* ECB/CBC decryption needs the key schedule prepared by the engine first. */
int cryp_hw_prepare_decrypt_key(unsigned keybits);

/*
 * Stream `blocks` 16-byte blocks (CRYPEN must be set by the caller through cryp_hw_enable).
 * out may be NULL for phases without output (GCM header). in and out may be unaligned and may
 * be the same buffer.
 */
int cryp_hw_stream(const unsigned char *in, unsigned char *out, size_t blocks);
void cryp_hw_enable(uint32_t cr);
/* Wait until CRYPEN clears by itself (GCM init phase) or the engine is idle. */
int cryp_hw_wait_enable_clear(void);
int cryp_hw_wait_idle(void);
void cryp_hw_disable(void);

/*
 * One AES ECB/CBC/CTR run for the context `owner`: key load, key preparation (ECB/CBC
 * decryption), mode, IV (NULL: none), `blocks` blocks through the FIFOs, engine disabled after.
 * Shared by aes_alt.c and the wolfSSL crypto callback device. CRYP_HW_ERR on a dead engine.
 */
int cryp_hw_aes_run(const void *owner, const unsigned char *key, unsigned keybits, unsigned algo,
                    int decrypt, const unsigned char *iv, const unsigned char *in,
                    unsigned char *out, size_t blocks);

/* GCM context swap: 8 CSGCMCCM + 8 CSGCM words. */
void cryp_hw_save_gcm_context(uint32_t cs[16]);
void cryp_hw_restore_gcm_context(const uint32_t cs[16]);

#endif
