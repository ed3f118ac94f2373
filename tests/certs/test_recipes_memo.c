/* recipes_memo_get(): the recipe file parsed once per process while it is
 * unchanged; an edit is seen at once; a broken file is an error every time,
 * never a remembered answer; certs_ensure() no longer parses per call. */
#define _DEFAULT_SOURCE
#include "certs_test_util.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "recipes_memo.h"

static char err[512];

Test(recipes_memo, unchanged_file_is_parsed_once)
{
    const char *dir = ct_fresh_dir("memo-once");
    const char *path = ct_edited_recipes(dir, "TEST ONLY", "TEST ONLY");
    unsigned long before = recipes_memo_parses();
    recipe_file_t *a = recipes_memo_get(path, err, sizeof err);
    recipe_file_t *b = recipes_memo_get(path, err, sizeof err);
    cr_assert_not_null(a, "%s", err);
    cr_expect_eq(a, b);
    cr_expect_eq(recipes_memo_parses() - before, 1);
    recipes_memo_put(a);
    recipes_memo_put(b);
}

Test(recipes_memo, certs_ensure_twice_parses_the_recipes_once)
{
    cert_chain_files_t f;
    ct_ensure("rsa2048", &f);
    unsigned long before = recipes_memo_parses();
    ct_ensure("rsa2048", &f);
    ct_ensure("ecdsa-p256", &f);
    cr_expect_eq(recipes_memo_parses(), before, "the warm path parses nothing");
}

Test(recipes_memo, an_edit_is_seen_and_the_held_parse_survives)
{
    const char *dir = ct_fresh_dir("memo-edit");
    const char *path = ct_edited_recipes(dir, "TEST ONLY", "TEST ONLY");
    recipe_file_t *old = recipes_memo_get(path, err, sizeof err);
    cr_assert_not_null(old, "%s", err);
    unsigned old_chains = old->chains_count;
    /* Same file name, new contents (a new inode, as editors write). */
    const char *again = ct_edited_recipes(dir, "TEST ONLY", "TEST ONLY, EDITED");
    cr_assert_str_eq(again, path);
    unsigned long before = recipes_memo_parses();
    recipe_file_t *fresh = recipes_memo_get(path, err, sizeof err);
    cr_assert_not_null(fresh, "%s", err);
    cr_expect_neq(fresh, old);
    cr_expect_eq(recipes_memo_parses() - before, 1);
    cr_expect_not_null(strstr(fresh->organization, "EDITED"), "%s", fresh->organization);
    cr_expect_eq(old->chains_count, old_chains, "the old parse is intact until put");
    cr_expect_null(strstr(old->organization, "EDITED"));
    recipes_memo_put(old);
    recipes_memo_put(fresh);
}

Test(recipes_memo, broken_file_is_an_error_every_time)
{
    const char *dir = ct_fresh_dir("memo-broken");
    const char *path = ct_write_file(dir, "recipes.yaml", "organization: [unterminated\n");
    unsigned long before = recipes_memo_parses();
    cr_expect_null(recipes_memo_get(path, err, sizeof err));
    cr_expect_not_null(strstr(err, "recipes.yaml"), "%s", err);
    cr_expect_null(recipes_memo_get(path, err, sizeof err));
    cr_expect_eq(recipes_memo_parses() - before, 2, "a failure is never remembered");
    char missing[600];
    snprintf(missing, sizeof missing, "%s/none.yaml", dir);
    cr_expect_null(recipes_memo_get(missing, err, sizeof err));
    cr_expect_not_null(strstr(err, "none.yaml"), "%s", err);
}
