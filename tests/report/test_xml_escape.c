/* xml_escape(): markup characters escaped, control characters XML forbids
 * dropped, every other byte kept, whatever the mix (checked against a
 * byte-by-byte reference on seeded random text: the escaper writes runs of
 * plain bytes at once, and a run boundary is where it could go wrong). */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xml_escape.h"

static char *escaped(const char *text)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_not_null(f);
    xml_escape(f, text);
    cr_assert_eq(fclose(f), 0);
    return buf;
}

/* The reference: one byte at a time. */
static char *reference(const unsigned char *p)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_not_null(f);
    for (; *p; p++) {
        const char *e = *p == '<'    ? "&lt;"
                        : *p == '>'  ? "&gt;"
                        : *p == '&'  ? "&amp;"
                        : *p == '"'  ? "&quot;"
                        : *p == '\'' ? "&#39;"
                                     : NULL;
        if (e)
            fputs(e, f);
        else if (*p >= 0x20 || *p == '\n' || *p == '\t' || *p == '\r')
            fputc(*p, f);
    }
    cr_assert_eq(fclose(f), 0);
    return buf;
}

Test(xml_escape, markup_and_control_characters)
{
    char *out = escaped("a<b>&\"c'\x01\x1f\td\r\n\x7f\xc3\xa9");
    cr_expect_str_eq(out, "a&lt;b&gt;&amp;&quot;c&#39;\td\r\n\x7f\xc3\xa9");
    free(out);
    out = escaped("");
    cr_expect_str_eq(out, "");
    free(out);
    out = escaped("<<>>");
    cr_expect_str_eq(out, "&lt;&lt;&gt;&gt;");
    free(out);
}

Test(xml_escape, same_as_byte_by_byte_on_random_text)
{
    static const unsigned char alphabet[] = "ab <>&\"'\x01\x02\t\n\r\x1f\x7f\x80\xff";
    srand(16);
    for (int round = 0; round < 500; round++) {
        unsigned char text[300];
        size_t n = (size_t)(rand() % (int)(sizeof text - 1));
        for (size_t i = 0; i < n; i++)
            text[i] = alphabet[rand() % (int)(sizeof alphabet - 1)];
        text[n] = '\0';
        char *got = escaped((const char *)text), *want = reference(text);
        cr_assert_str_eq(got, want, "round %d", round);
        free(got);
        free(want);
    }
}
