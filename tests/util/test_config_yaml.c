/* The one reader for configuration YAML: refusals (empty, aliases, depth, a
 * second document, NUL bytes, size) with the line, positions as bytes even
 * after multi-byte UTF-8, and safe names. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config_yaml.h"
#include "file_read.h"
#include "safe_name.h"

static char err[1024];

static int check(const char *text, size_t len)
{
    config_yaml_t cy;
    err[0] = '\0';
    int rc = config_yaml_text(&cy, "t.yaml", 1, text, len, err, sizeof err);
    config_yaml_free(&cy);
    return rc;
}

#define CHECK(lit) check(lit, sizeof(lit) - 1)

Test(util_config_yaml, refusals_say_what_and_where)
{
    cr_expect_eq(CHECK(""), -1);
    cr_expect(strstr(err, "t.yaml: empty file") != NULL, "%s", err);
    cr_expect_eq(CHECK("# only\n# comments\n"), -1);
    cr_expect(strstr(err, "empty file") != NULL, "%s", err);
    cr_expect_eq(CHECK("~\n"), -1);
    cr_expect(strstr(err, "empty file") != NULL, "%s", err);
    cr_expect_eq(CHECK("- a\n- b\n"), -1);
    cr_expect(strstr(err, "t.yaml:1: the top level must be a mapping") != NULL, "%s", err);
    cr_expect_eq(CHECK("a: &x [1]\nb: *x\n"), -1);
    cr_expect(strstr(err, "t.yaml:2: YAML alias '*x' refused") != NULL, "%s", err);
    cr_expect_eq(CHECK("a: 1\n---\nb: 2\n"), -1);
    cr_expect(strstr(err, "t.yaml:2: a second YAML document") != NULL, "%s", err);
    cr_expect_eq(check("a: 1\0b: 2\n", 10), -1);
    cr_expect(strstr(err, "NUL byte") != NULL, "%s", err);
    cr_expect_eq(CHECK("a: 1\nkey: [x, y\nc: 2\n"), -1);
    cr_expect(strstr(err, "t.yaml:2: key 'key': YAML syntax error") != NULL, "%s", err);
}

Test(util_config_yaml, deep_nesting_is_refused_before_any_walk)
{
    char text[4096];
    size_t n = 0;
    n += (size_t)snprintf(text, sizeof text, "a: ");
    for (int i = 0; i < 1000; i++)
        text[n++] = '[';
    for (int i = 0; i < 1000; i++)
        text[n++] = ']';
    text[n++] = '\n';
    cr_expect_eq(check(text, n), -1);
    cr_expect(strstr(err, "nested deeper than") != NULL, "%s", err);
}

Test(util_config_yaml, lines_and_slices_are_right_after_multibyte_text)
{
    const char text[] = "name: x\n"
                        "description: \"Ünïcödé — ✓✓✓\"\n"
                        "server:\n"
                        "  profile: default\n"
                        "  overrides: {suites: [A, B], description: \"é\"}\n"
                        "list:\n"
                        "  - one\n"
                        "  - two\n";
    config_yaml_t cy;
    cr_assert_eq(config_yaml_text(&cy, "t.yaml", 1, text, sizeof text - 1, err, sizeof err), 0,
                 "%s", err);
    cr_expect_eq(config_yaml_line(&cy, "server.overrides"), 5u);
    cr_expect_eq(config_yaml_line(&cy, "list.1"), 8u);
    cr_expect_eq(config_yaml_line(&cy, "list.2"), 0u);
    cr_expect_eq(config_yaml_line(&cy, "nope"), 0u);
    cr_expect_eq(config_yaml_value_line(&cy, "list", "two"), 8u);
    cr_expect_eq(config_yaml_key_line(&cy, "profile"), 4u);
    char *slice = NULL;
    size_t len = 0;
    unsigned first = 0;
    cr_assert_eq(config_yaml_slice(&cy, "server.overrides", &slice, &len, &first, err, sizeof err),
                 0, "%s", err);
    cr_assert_not_null(slice);
    cr_expect_eq(first, 5u);
    /* The slice is exactly the flow mapping, indented as in the file. */
    cr_expect_str_eq(slice, "             {suites: [A, B], description: \"é\"}\n");
    free(slice);
    cr_expect_eq(config_yaml_slice(&cy, "name", &slice, &len, &first, err, sizeof err), -1);
    cr_expect(strstr(err, "t.yaml:1: key 'name': must be a mapping") != NULL, "%s", err);
    config_yaml_free(&cy);
}

Test(util_config_yaml, byte_offsets_count_characters_like_libyaml)
{
    const char s[] = "\xEF\xBB\xBF"
                     "aé✓b";
    cr_expect_eq(config_yaml_byte_offset(s, sizeof s - 1, 0), 3u, "the BOM is not counted");
    cr_expect_eq(config_yaml_byte_offset(s, sizeof s - 1, 2), 6u, "after a and é");
    cr_expect_eq(config_yaml_byte_offset(s, sizeof s - 1, 3), 9u, "after ✓");
    cr_expect_eq(config_yaml_byte_offset(s, sizeof s - 1, 99), sizeof s - 1, "clamped");
}

Test(util_config_yaml, the_file_reader_refuses_more_than_max)
{
    char path[] = "/tmp/tlsrig-file-read-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *f = fdopen(fd, "wb");
    cr_assert_not_null(f);
    for (int i = 0; i < 10000; i++)
        fputc('a', f);
    cr_assert_eq(fclose(f), 0);
    size_t len = 0;
    char *all = file_read_all(path, 10000, &len);
    cr_expect_not_null(all);
    cr_expect_eq(len, 10000u);
    free(all);
    errno = 0;
    cr_expect_null(file_read_all(path, 9999, &len), "a truncated file was returned");
    cr_expect_eq(errno, EFBIG);
    unlink(path);
    errno = 0;
    cr_expect_null(file_read_all(path, 100, &len));
    cr_expect_eq(errno, ENOENT);
}

Test(util_config_yaml, safe_names)
{
    cr_expect(safe_name_valid("happy-ecdhe-rsa_1.2"));
    const char *bad[] = {"", "../../x", "a/b", ".hidden", "sp ace", "tab\t", "ü"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_expect(!safe_name_valid(bad[i]), "'%s' accepted", bad[i]);
    char long_name[80];
    memset(long_name, 'a', 65);
    long_name[65] = '\0';
    cr_expect(!safe_name_valid(long_name));
    const char *names[] = {"a", "b/c"};
    const char *which = NULL;
    cr_expect(!names_valid(names, 2, &which));
    cr_expect_str_eq(which, "b/c");
}
