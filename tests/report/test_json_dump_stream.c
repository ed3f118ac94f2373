/* json_dump_stream (json_dump_stream.h): the bytes json_dumps gives, whatever the size of
 * the document and of its tokens against the 64 KB pieces; a failed write is an error. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_dump_stream.h"

#define FLAGS (JSON_INDENT(1) | JSON_SORT_KEYS | JSON_REAL_PRECISION(15))

static char *dumped(const json_t *doc, size_t *len)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, len);
    cr_assert_not_null(f);
    cr_assert_eq(json_dump_stream(doc, f, FLAGS), 0);
    cr_assert_eq(fclose(f), 0);
    return text;
}

static void expect_as_json_dumps(const json_t *doc)
{
    size_t len = 0;
    char *got = dumped(doc, &len);
    char *want = json_dumps(doc, FLAGS);
    cr_assert_not_null(want);
    cr_expect_eq(len, strlen(want));
    cr_expect(memcmp(got, want, len) == 0, "the streamed bytes differ from json_dumps");
    free(got);
    free(want);
}

Test(json_dump_stream, a_small_document_as_json_dumps)
{
    json_t *doc =
        json_pack("{s:s, s:f, s:[i, b, n]}", "name", "x\"y", "ms", 0.1 + 0.2, "list", 1, 1);
    expect_as_json_dumps(doc);
    json_decref(doc);
}

Test(json_dump_stream, many_pieces_and_one_token_longer_than_a_piece)
{
    json_t *doc = json_object();
    json_t *arr = json_array();
    for (int i = 0; i < 20000; i++) { /* ~200 KB of small tokens: several pieces */
        json_array_append_new(arr, json_real(i / 7.0));
    }
    json_object_set_new(doc, "values", arr);
    char *big = malloc(200 * 1024 + 1); /* one string token over the 64 KB piece */
    cr_assert_not_null(big);
    memset(big, 'a', 200 * 1024);
    big[200 * 1024] = '\0';
    json_object_set_new(doc, "big", json_string(big));
    free(big);
    expect_as_json_dumps(doc);
    json_decref(doc);
}

Test(json_dump_stream, a_full_disk_is_an_error)
{
    FILE *f = fopen("/dev/full", "w");
    cr_assert_not_null(f);
    setvbuf(f, NULL, _IONBF, 0); /* every write reaches the device */
    json_t *doc = json_pack("{s:s}", "k", "v");
    cr_expect_eq(json_dump_stream(doc, f, FLAGS), -1);
    json_decref(doc);
    fclose(f);
}
