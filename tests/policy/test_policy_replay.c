/* `tlsrig replay` and `tlsrig profiles` through their command functions,
 * output captured in temporary files. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_replay_to(FILE *out, FILE *errout, int argc, char **argv);
int cmd_profiles_to(FILE *out, FILE *errout, int argc, char **argv);

static char out_text[1 << 20], err_text[4096];

static int run(int (*cmd)(FILE *, FILE *, int, char **), int argc, char **argv)
{
    FILE *out = tmpfile(), *errf = tmpfile();
    cr_assert(out && errf);
    int rc = cmd(out, errf, argc, argv);
    rewind(out);
    rewind(errf);
    size_t n = fread(out_text, 1, sizeof out_text - 1, out);
    out_text[n] = 0;
    n = fread(err_text, 1, sizeof err_text - 1, errf);
    err_text[n] = 0;
    fclose(out);
    fclose(errf);
    return rc;
}

static const char *fixture(const char *name)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/fixtures/clienthellos/%s", getenv("TLSRIG_SOURCE_DIR"), name);
    return path;
}

static json_t *replay(const char *profile, const char *file, int expect_rc)
{
    char *argv[] = {"replay", "--profile", (char *)profile, "--clienthello", (char *)file};
    int rc = run(cmd_replay_to, 5, argv);
    cr_assert_eq(rc, expect_rc, "rc %d, stderr: %s", rc, err_text);
    json_error_t je;
    json_t *j = json_loads(out_text, 0, &je);
    cr_assert_not_null(j, "not JSON: %s", je.text);
    cr_assert_str_eq(json_string_value(json_object_get(j, "profile")), profile);
    return j;
}

Test(replay, gmail_answers_alert_40)
{
    json_t *j = replay("gmail-smtp-2016", fixture("mbedtls-ecdhe-no-groups.hex"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(j, "answer")), "alert");
    json_t *a = json_object_get(j, "alert");
    cr_assert_str_eq(json_string_value(json_object_get(a, "level")), "fatal");
    cr_assert_str_eq(json_string_value(json_object_get(a, "description")), "handshake_failure");
    cr_assert_eq(json_integer_value(json_object_get(a, "code")), 40);
    cr_assert(json_is_object(json_object_get(j, "clienthello")));
    cr_assert(json_string_length(json_object_get(j, "reason")) > 0);
    json_decref(j);
}

Test(replay, default_answers_server_hello)
{
    json_t *j = replay("default", fixture("openssl-tls12.hex"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(j, "answer")), "server_hello");
    json_t *sh = json_object_get(j, "server_hello");
    cr_assert_not_null(json_string_value(json_object_get(sh, "suite")));
    cr_assert_str_eq(json_string_value(json_object_get(sh, "version")), "TLS1.2");
    cr_assert_null(json_object_get(j, "alert"));
    json_decref(j);
}

Test(replay, azure_answers_reset)
{
    /* An ECDHE-ECDSA-only hello (the server's certificate is RSA), as bare
     * handshake hex with spaces. */
    char path[] = "/tmp/replay-rsaXXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    fprintf(f, "01 00 00 2b 03 03\n");
    for (int i = 0; i < 32; i++)
        fprintf(f, "%02x ", i);
    fprintf(f, "\n00 00 04 c0 2b c0 2c 01 00\n");
    fclose(f);
    json_t *j = replay("azure-appservice-2017", path, 0);
    remove(path);
    cr_assert_str_eq(json_string_value(json_object_get(j, "answer")), "reset");
    json_decref(j);
}

Test(replay, malformed_hello_gives_the_alert_and_exit_2)
{
    char path[] = "/tmp/replay-badXXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    fprintf(f, "16 03 01 00 05 01 00 00 01 03\n"); /* body cut after one byte */
    fclose(f);
    json_t *j = replay("default", path, 2);
    remove(path);
    cr_assert_str_eq(json_string_value(json_object_get(j, "answer")), "alert");
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(j, "alert"), "code")), 50);
    cr_assert(strstr(err_text, "tlsrig replay"), "%s", err_text);
    json_decref(j);
}

Test(replay, usage_and_unreadable_input_exit_2)
{
    char *no_file[] = {"replay", "--profile", "default"};
    cr_assert_eq(run(cmd_replay_to, 3, no_file), 2);
    cr_assert(strstr(err_text, "usage"), "%s", err_text);
    char *missing[] = {"replay", "--profile", "default", "--clienthello", "/nonexistent/x.hex"};
    cr_assert_eq(run(cmd_replay_to, 5, missing), 2);
    cr_assert(strstr(err_text, "/nonexistent/x.hex"), "%s", err_text);
    char *bad_profile[] = {"replay", "--profile", "nope", "--clienthello", "-"};
    cr_assert_eq(run(cmd_replay_to, 5, bad_profile), 2);
    cr_assert(strstr(err_text, "nope"), "%s", err_text);
}

Test(profiles_cmd, lists_one_line_per_profile)
{
    char *argv[] = {"profiles"};
    cr_assert_eq(run(cmd_profiles_to, 1, argv), 0, "%s", err_text);
    int lines = 0;
    for (const char *p = out_text; *p; p++)
        lines += *p == '\n';
    cr_assert_geq(lines, 13);
    cr_assert(strstr(out_text, "gmail-smtp-2016 "), "%s", out_text);
    char *json_argv[] = {"profiles", "--json"};
    cr_assert_eq(run(cmd_profiles_to, 2, json_argv), 0);
    json_t *j = json_loads(out_text, 0, NULL);
    cr_assert(json_is_array(j));
    cr_assert_eq((int)json_array_size(j), lines);
    cr_assert_not_null(json_string_value(json_object_get(json_array_get(j, 0), "reference")));
    json_decref(j);
}
