/* Entropy from the RNG. hw images draw through the RNG driver under test
 * (rng_hw.c); sw images, which carry no driver, read the peripheral here
 * with the same checks: seed and clock errors fail, and so does a word equal
 * to the previous one (the continuous test RM0090 asks for). */
#include <string.h>

#include "nucleo_f439zi.h"
#include "port.h"

#if defined(TLSRIG_NUCLEO_HW)
#include "rng_hw.h"

int port_entropy(uint8_t *buf, size_t len)
{
    while (len > 0) {
        size_t olen = 0;
        if (hw_rng_entropy(NULL, buf, len, &olen) != 0 || olen == 0 || olen > len) {
            return -1;
        }
        buf += olen;
        len -= olen;
    }
    return 0;
}
#else
#include "stm32f4_regs.h"

#define RNG_CR REG32(0x50060800u)
#define RNG_SR REG32(0x50060804u)
#define RNG_DR REG32(0x50060808u)
#define RNG_CR_RNGEN (1u << 2)
#define RNG_SR_DRDY (1u << 0)
#define RNG_SR_ERRORS ((1u << 1) | (1u << 2)) /* CECS, SECS */
#define RNG_WAIT_LOOPS 100000u

static uint32_t g_previous;
static bool g_have_previous;

static int read_word(uint32_t *word)
{
    for (uint32_t i = 0; i < RNG_WAIT_LOOPS; i++) {
        uint32_t sr = RNG_SR;
        if (sr & RNG_SR_ERRORS) {
            return -1;
        }
        if (sr & RNG_SR_DRDY) {
            *word = RNG_DR;
            return 0;
        }
    }
    return -1;
}

int port_entropy(uint8_t *buf, size_t len)
{
    RNG_CR |= RNG_CR_RNGEN;
    while (len > 0) {
        uint32_t w;
        if (read_word(&w) != 0) {
            return -1;
        }
        if (!g_have_previous) {
            g_previous = w; /* the first word is only for comparison */
            g_have_previous = true;
            continue;
        }
        if (w == g_previous) {
            return -1;
        }
        g_previous = w;
        size_t n = len < sizeof w ? len : sizeof w;
        memcpy(buf, &w, n);
        buf += n;
        len -= n;
    }
    return 0;
}
#endif
