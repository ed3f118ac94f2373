/* The byte-pair prefilter (logparse_pairs.h): a text holding a needle anywhere (first and
 * last bytes included) always may hold it, so no match is ever lost; and it rules out most
 * needles a line lacks, which is its point. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "logparse_pairs.h"

static lp_pairs_t pairs_of(const char *s)
{
    lp_pairs_t p = {{0}};
    lp_pairs_add(&p, s);
    return p;
}

static const char *const needles[] = {"client state: ",
                                      " returned ",
                                      "send alert level=",
                                      "Certificate verification flags clear",
                                      "bed",
                                      "ab"};

Test(logparse_pairs, a_text_holding_a_needle_anywhere_may_hold_it)
{
    for (size_t i = 0; i < sizeof needles / sizeof needles[0]; i++) {
        lp_pairs_t need = pairs_of(needles[i]);
        char line[256];
        const char *frames[] = {"%s", "%s tail", "head %s", "ssl_cli.c:4272: |2| %s 0x1234"};
        for (size_t k = 0; k < sizeof frames / sizeof frames[0]; k++) {
            snprintf(line, sizeof line, frames[k], needles[i]);
            lp_pairs_t have = pairs_of(line);
            cr_expect(lp_pairs_may_hold(&have, &need), "'%s' in '%s'", needles[i], line);
        }
    }
}

Test(logparse_pairs, rules_out_needles_a_line_lacks)
{
    lp_pairs_t have = pairs_of("ssl_msg.c:2033: |2| => flush output");
    size_t ruled_out = 0;
    for (size_t i = 0; i < sizeof needles / sizeof needles[0]; i++) {
        lp_pairs_t need = pairs_of(needles[i]);
        ruled_out += !lp_pairs_may_hold(&have, &need);
    }
    /* None of them is in that line; the longer ones share none of its pairs' full set. */
    cr_expect_geq(ruled_out, 4);
}

Test(logparse_pairs, every_pair_counts_even_a_needles_only_one)
{
    /* A two-byte needle has one pair: were the last pair of a text left out, its set would be
     * empty and let every line through. */
    lp_pairs_t have = pairs_of("ab cd");
    lp_pairs_t need = pairs_of("yz");
    cr_expect_not(lp_pairs_may_hold(&have, &need));
    lp_pairs_t own = pairs_of("cd");
    cr_expect(lp_pairs_may_hold(&have, &own));
}
