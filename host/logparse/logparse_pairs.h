/* Which pairs of adjacent bytes a text holds, as a 512-bit set. A line lacking one of a
 * needle's pairs cannot contain the needle, so the matchers skip most strstr() calls on most
 * lines (they were most of a result's parse time); the matches are strstr()'s alone. */
#ifndef TLSRIG_LOGPARSE_PAIRS_H
#define TLSRIG_LOGPARSE_PAIRS_H

#include <stdbool.h>
#include <stdint.h>

typedef struct lp_pairs {
    uint64_t w[8];
} lp_pairs_t;

/* Adds the pairs of the NUL-terminated s to *set. */
void lp_pairs_add(lp_pairs_t *set, const char *s);

/* false when a text with the pairs `line` cannot contain one with the pairs `need`. */
static inline bool lp_pairs_may_hold(const lp_pairs_t *line, const lp_pairs_t *need)
{
    for (int k = 0; k < 8; k++)
        if ((line->w[k] & need->w[k]) != need->w[k])
            return false;
    return true;
}

#endif
