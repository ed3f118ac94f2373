/*
 * STM32F4 crypto peripherals (RM0090: CRYP, HASH, RNG): addresses, register offsets, bit names,
 * and the one access interface the drivers use.
 *
 * On hardware periph_read32()/periph_write32() are volatile accesses at the real addresses. With
 * TLSRIG_PERIPH_SIM defined they are functions of the sim port (target/port/sim/periph/) that route
 * every access to the register-level models, so the same driver code runs natively.
 */
#ifndef TLSRIG_STM32_REGS_H
#define TLSRIG_STM32_REGS_H

#include <stdint.h>

/* ---- Base addresses (AHB2) ------------------------------------------------------------- */
#define CRYP_BASE 0x50060000u
#define HASH_BASE 0x50060400u
#define RNG_BASE 0x50060800u

/* ---- CRYP ------------------------------------------------------------------------------ */
#define CRYP_CR (CRYP_BASE + 0x00u)
#define CRYP_SR (CRYP_BASE + 0x04u)
#define CRYP_DIN (CRYP_BASE + 0x08u)
#define CRYP_DOUT (CRYP_BASE + 0x0Cu)
#define CRYP_DMACR (CRYP_BASE + 0x10u)
#define CRYP_IMSCR (CRYP_BASE + 0x14u)
#define CRYP_RISR (CRYP_BASE + 0x18u)
#define CRYP_MISR (CRYP_BASE + 0x1Cu)
/* K0LR, K0RR, K1LR ... K3RR: key bits 255..0, big-endian words, 8 bytes apart per pair. */
#define CRYP_KLR(n) (CRYP_BASE + 0x20u + 8u * (uint32_t)(n))
#define CRYP_KRR(n) (CRYP_BASE + 0x24u + 8u * (uint32_t)(n))
#define CRYP_IVLR(n) (CRYP_BASE + 0x40u + 8u * (uint32_t)(n))
#define CRYP_IVRR(n) (CRYP_BASE + 0x44u + 8u * (uint32_t)(n))
/* Context swap registers for GCM/CCM (F42x/F43x). */
#define CRYP_CSGCMCCMR(n) (CRYP_BASE + 0x50u + 4u * (uint32_t)(n))
#define CRYP_CSGCMR(n) (CRYP_BASE + 0x70u + 4u * (uint32_t)(n))
#define CRYP_CS_WORDS 8u

#define CRYP_CR_ALGODIR (1u << 2) /* 1 = decrypt */
#define CRYP_CR_ALGOMODE_LO_SHIFT 3
#define CRYP_CR_ALGOMODE_LO_MASK (7u << 3)
#define CRYP_CR_ALGOMODE_HI (1u << 19)
#define CRYP_CR_DATATYPE_SHIFT 6
#define CRYP_CR_DATATYPE_MASK (3u << 6)
#define CRYP_CR_KEYSIZE_SHIFT 8
#define CRYP_CR_KEYSIZE_MASK (3u << 8)
#define CRYP_CR_FFLUSH (1u << 14)
#define CRYP_CR_CRYPEN (1u << 15)
#define CRYP_CR_GCM_CCMPH_SHIFT 16
#define CRYP_CR_GCM_CCMPH_MASK (3u << 16)

/* ALGOMODE[3:0]; bit 3 lives in CR bit 19. */
#define CRYP_ALGO_TDES_ECB 0x0u
#define CRYP_ALGO_TDES_CBC 0x1u
#define CRYP_ALGO_DES_ECB 0x2u
#define CRYP_ALGO_DES_CBC 0x3u
#define CRYP_ALGO_AES_ECB 0x4u
#define CRYP_ALGO_AES_CBC 0x5u
#define CRYP_ALGO_AES_CTR 0x6u
#define CRYP_ALGO_AES_KEYPREP 0x7u
#define CRYP_ALGO_AES_GCM 0x8u
#define CRYP_ALGO_AES_CCM 0x9u

#define CRYP_DATATYPE_32 0u
#define CRYP_DATATYPE_16 1u
#define CRYP_DATATYPE_8 2u
#define CRYP_DATATYPE_1 3u

#define CRYP_KEYSIZE_128 0u
#define CRYP_KEYSIZE_192 1u
#define CRYP_KEYSIZE_256 2u

#define CRYP_PHASE_INIT 0u
#define CRYP_PHASE_HEADER 1u
#define CRYP_PHASE_PAYLOAD 2u
#define CRYP_PHASE_FINAL 3u

#define CRYP_SR_IFEM (1u << 0)
#define CRYP_SR_IFNF (1u << 1)
#define CRYP_SR_OFNE (1u << 2)
#define CRYP_SR_OFFU (1u << 3)
#define CRYP_SR_BUSY (1u << 4)

#define CRYP_FIFO_WORDS 8u

/* ---- HASH ------------------------------------------------------------------------------ */
#define HASH_CR (HASH_BASE + 0x00u)
#define HASH_DIN (HASH_BASE + 0x04u)
#define HASH_STR (HASH_BASE + 0x08u)
#define HASH_HR_SHA1(n) (HASH_BASE + 0x0Cu + 4u * (uint32_t)(n)) /* HR0..HR4 */
#define HASH_IMR (HASH_BASE + 0x20u)
#define HASH_SR (HASH_BASE + 0x24u)
#define HASH_CSR(n) (HASH_BASE + 0xF8u + 4u * (uint32_t)(n)) /* CSR0..CSR53 */
#define HASH_HR(n) (HASH_BASE + 0x310u + 4u * (uint32_t)(n)) /* HR0..HR7 (F43x digest) */
#define HASH_CSR_COUNT 54u
/* Without HMAC, RM0090 needs CSR0..CSR37 saved for a context swap. */
#define HASH_CSR_COUNT_NO_HMAC 38u
#define HASH_FIFO_WORDS 16u

#define HASH_CR_INIT (1u << 2)
#define HASH_CR_DMAE (1u << 3)
#define HASH_CR_DATATYPE_SHIFT 4
#define HASH_CR_DATATYPE_MASK (3u << 4)
#define HASH_CR_MODE_HMAC (1u << 6)
#define HASH_CR_ALGO0 (1u << 7)
#define HASH_CR_NBW_SHIFT 8
#define HASH_CR_NBW_MASK (0xFu << 8)
#define HASH_CR_DINNE (1u << 12)
#define HASH_CR_MDMAT (1u << 13)
#define HASH_CR_LKEY (1u << 16)
#define HASH_CR_ALGO1 (1u << 18)
/* ALGO[1:0] = CR bits 18 and 7. */
#define HASH_CR_ALGO_SHA1 0u
#define HASH_CR_ALGO_MD5 HASH_CR_ALGO0
#define HASH_CR_ALGO_SHA224 HASH_CR_ALGO1
#define HASH_CR_ALGO_SHA256 (HASH_CR_ALGO1 | HASH_CR_ALGO0)
#define HASH_CR_ALGO_MASK (HASH_CR_ALGO1 | HASH_CR_ALGO0)

#define HASH_STR_NBLW_MASK 0x1Fu
#define HASH_STR_DCAL (1u << 8)

#define HASH_SR_DINIS (1u << 0)
#define HASH_SR_DCIS (1u << 1)
#define HASH_SR_DMAS (1u << 2)
#define HASH_SR_BUSY (1u << 3)

/* ---- RNG ------------------------------------------------------------------------------- */
#define RNG_CR (RNG_BASE + 0x00u)
#define RNG_SR (RNG_BASE + 0x04u)
#define RNG_DR (RNG_BASE + 0x08u)

#define RNG_CR_RNGEN (1u << 2)
#define RNG_CR_IE (1u << 3)
#define RNG_SR_DRDY (1u << 0)
#define RNG_SR_CECS (1u << 1)
#define RNG_SR_SECS (1u << 2)
#define RNG_SR_CEIS (1u << 5)
#define RNG_SR_SEIS (1u << 6)

/* ---- Access ---------------------------------------------------------------------------- */
#if defined(TLSRIG_PERIPH_SIM)
uint32_t periph_read32(uint32_t addr);
void periph_write32(uint32_t addr, uint32_t value);
#else
static inline uint32_t periph_read32(uint32_t addr)
{
    return *(volatile uint32_t *)(uintptr_t)addr;
}

static inline void periph_write32(uint32_t addr, uint32_t value)
{
    *(volatile uint32_t *)(uintptr_t)addr = value;
}
#endif

/* Bounded wait: a peripheral that never raises its flag is an error, not a hang. */
#define PERIPH_WAIT_LIMIT 100000u

#endif /* TLSRIG_STM32_REGS_H */
