#include "logparse_pairs.h"

static unsigned pair_bit(unsigned char a, unsigned char b)
{
    return (((unsigned)a << 8 | b) * 2654435761u) >> 23; /* 9 bits of a multiplicative hash */
}

void lp_pairs_add(lp_pairs_t *set, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    for (; p[0] && p[1]; p++) {
        unsigned bit = pair_bit(p[0], p[1]);
        set->w[bit >> 6] |= (uint64_t)1 << (bit & 63);
    }
}
