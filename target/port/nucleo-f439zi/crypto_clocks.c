/* The crypto peripherals' clocks: the ALT drivers (target/crypto/hw) only
 * touch CRYP, HASH and RNG registers; enabling and resetting the blocks is
 * the board's job, as the sim's models start enabled. The RNG runs from the
 * PLL's 48 MHz Q output (clock.c). */
#include "nucleo_f439zi.h"
#include "stm32f4_regs.h"

#define AHB2_CRYPTO (RCC_AHB2_CRYP | RCC_AHB2_HASH | RCC_AHB2_RNG)

void crypto_clocks_init(void)
{
    RCC_AHB2ENR |= AHB2_CRYPTO;
    (void)RCC_AHB2ENR; /* the enable takes effect before the reset pulse */
    RCC_AHB2RSTR |= AHB2_CRYPTO;
    RCC_AHB2RSTR &= ~AHB2_CRYPTO;
}
