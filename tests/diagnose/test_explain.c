/* `tlsrig explain`: file and stdin input, human and JSON output, exit codes. */
#define _POSIX_C_SOURCE 200809L /* open_memstream, fmemopen */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_explain.h"
#include <jansson.h>

static char path_buf[1024];

static const char *fixture(const char *rel)
{
    snprintf(path_buf, sizeof path_buf, "%s/fixtures/logs/%s", getenv("TLSRIG_SOURCE_DIR"), rel);
    return path_buf;
}

/* Run explain with captured stdout/stderr; returns the exit code, *out malloc'd. */
static int run(int argc, char **argv, FILE *in, char **out)
{
    char *obuf = NULL, *ebuf = NULL;
    size_t olen = 0, elen = 0;
    FILE *o = open_memstream(&obuf, &olen);
    FILE *e = open_memstream(&ebuf, &elen);
    int rc = explain_run(argc, argv, in, o, e);
    fclose(o);
    fclose(e);
    free(ebuf);
    *out = obuf;
    return rc;
}

Test(explain_cli, json_for_a_file)
{
    char *argv[] = {"explain", (char *)fixture("U02_sni_unknown.cli.log"), "--json"};
    char *out;
    cr_assert_eq(run(3, argv, stdin, &out), 0);
    json_error_t err;
    json_t *j = json_loads(out, 0, &err);
    cr_assert_not_null(j, "not JSON: %s", out);
    cr_assert_str_eq(json_string_value(json_object_get(j, "verdict")), "sni-rejected");
    cr_assert(json_is_array(json_object_get(j, "candidates")));
    cr_assert(json_is_array(json_object_get(j, "evidence")));
    json_t *ch = json_object_get(j, "clienthello");
    cr_assert_str_eq(json_string_value(json_object_get(ch, "sni")), "nonesuch.example");
    json_decref(j);
    free(out);
}

Test(explain_cli, human_output_from_stdin)
{
    char *text = NULL;
    size_t len = 0;
    FILE *src = fopen(fixture("T03_no_shared_suite_alert.cli.log"), "rb");
    cr_assert_not_null(src);
    FILE *mem = open_memstream(&text, &len);
    int ch;
    while ((ch = fgetc(src)) != EOF)
        fputc(ch, mem);
    fclose(src);
    fclose(mem);
    FILE *in = fmemopen(text, len, "rb");
    char *argv[] = {"explain", "-"};
    char *out;
    cr_assert_eq(run(2, argv, in, &out), 0);
    fclose(in);
    cr_assert(strstr(out, "verdict: no-shared-ciphersuite") != NULL, "%s", out);
    cr_assert(strstr(out, "fix: ") != NULL);
    cr_assert(strstr(out, "line 64") != NULL);
    free(out);
    free(text);
}

Test(explain_cli, undetermined_lists_candidates)
{
    char *argv[] = {"explain", (char *)fixture("degraded/T03_level1.log")};
    char *out;
    cr_assert_eq(run(2, argv, stdin, &out), 0);
    cr_assert(strstr(out, "verdict: undetermined") != NULL);
    cr_assert(strstr(out, "candidates:") != NULL);
    cr_assert(strstr(out, "no-shared-ciphersuite") != NULL);
    free(out);
}

Test(explain_cli, usage_errors_exit_2)
{
    char *out;
    char *none[] = {"explain"};
    cr_assert_eq(run(1, none, stdin, &out), 2);
    free(out);
    char *bad[] = {"explain", "--bogus", "x.log"};
    cr_assert_eq(run(3, bad, stdin, &out), 2);
    free(out);
    char *missing[] = {"explain", "/nonexistent/dir/x.log"};
    cr_assert_eq(run(2, missing, stdin, &out), 2);
    free(out);
    char *two[] = {"explain", "a.log", "b.log"};
    cr_assert_eq(run(3, two, stdin, &out), 2);
    free(out);
}

/* A file without mbedTLS debug lines is not diagnosed: exit 2, nothing on
 * stdout (before: exit 0 and a fix pointing at candidates that did not exist). */
Test(explain_cli, a_file_that_is_not_a_log_exits_2)
{
    static char text[] = "hello world\nthis connection timed out, said the README\n";
    FILE *in = fmemopen(text, sizeof text - 1, "rb");
    char *argv[] = {"explain", "-"};
    char *out;
    cr_assert_eq(run(2, argv, in, &out), 2);
    fclose(in);
    cr_assert(out == NULL || out[0] == '\0', "%s", out);
    free(out);
    char self_path[1200];
    snprintf(self_path, sizeof self_path, "%s/CMakeLists.txt", getenv("TLSRIG_SOURCE_DIR"));
    char *self[] = {"explain", self_path};
    cr_assert_eq(run(2, self, stdin, &out), 2);
    free(out);
}

/* Confidences as people read them: 0.95, not 0.94999999999999996. */
Test(explain_cli, json_confidences_have_two_decimals)
{
    char *argv[] = {"explain", (char *)fixture("degraded/T03_level1.log"), "--json"};
    char *out;
    cr_assert_eq(run(3, argv, stdin, &out), 0);
    cr_assert(strstr(out, "9999") == NULL && strstr(out, "0000") == NULL, "%s", out);
    const char *p = out;
    size_t seen = 0;
    while ((p = strstr(p, "\"confidence\": ")) != NULL) {
        p += strlen("\"confidence\": ");
        const char *dot = strchr(p, '.');
        size_t digits = strspn(dot ? dot + 1 : "", "0123456789");
        cr_assert(dot && digits >= 1 && digits <= 2, "confidence %.8s", p);
        seen++;
    }
    cr_assert_geq(seen, 2);
    free(out);
}
