/* issue 17 cfgfile: a user's mbedTLS configuration header seen through the compiler. The
 * headers are made from our own profiles (target/config) with one change each. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <mbedtls/sha256.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent_needs.h"
#include "config_header.h"
#include "config_macros.h"
#include "file_read.h"
#include "user_build.h"
#include "user_context.h"

static user_context_t g_ctx;
static config_toolchain_t g_tc;
static char g_dir[4096];

static void setup(void)
{
    char err[2048];
    const char *build = getenv("TLSRIG_BUILD_DIR");
    cr_assert_not_null(build);
    cr_assert_eq(user_context_load(build, &g_ctx, err, sizeof err), 0, "%s", err);
    user_context_toolchain(&g_ctx, &g_tc);
    snprintf(g_dir, sizeof g_dir, "%s/tests/userconfig/headers-%d", build, (int)getpid());
    mkdir(g_dir, 0755);
}

/* PATH of a header: `profile`'s text with every line equal to `drop` removed and `extra`
 * appended before the last #endif. */
static const char *make_header(const char *name, const char *profile, const char *drop,
                               const char *extra)
{
    static char path[4200];
    char src[4200];
    snprintf(src, sizeof src, "%s/target/config/%s/tlsrig_mbedtls_config.h",
             getenv("TLSRIG_SOURCE_DIR"), profile);
    snprintf(path, sizeof path, "%s/%s", g_dir, name);
    char *text = file_read_all(src, 1u << 20, NULL);
    cr_assert_not_null(text, "%s", src);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    char *end = strstr(text, "#endif /* TLSRIG_MBEDTLS_CONFIG");
    for (char *line = text; *line;) {
        char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        if (line == end && extra)
            fputs(extra, f);
        bool skip = false;
        for (const char *d = drop; d && *d;) {
            const char *bar = strchr(d, '|');
            size_t dl = bar ? (size_t)(bar - d) : strlen(d);
            skip |= len == dl && strncmp(line, d, dl) == 0;
            d = bar ? bar + 1 : d + dl;
        }
        if (!skip)
            fprintf(f, "%.*s\n", (int)len, line);
        line = nl ? nl + 1 : line + len;
    }
    fclose(f);
    free(text);
    return path;
}

static bool have_stack(int k)
{
    return g_ctx.include_dir[k][0] != '\0';
}

TestSuite(userconfig, .init = setup);

Test(userconfig, macro_table_from_dM_output)
{
    static const char dm[] =
        "#define B_SIZE (512u)\n#define A_ALIAS B_SIZE\n#define C_EXPR (1 << 9)\n"
        "#define D_EMPTY\n#define F(x) ((x) + 1)\nnot a define\n";
    config_macros_t m;
    cr_assert_eq(config_macros_parse(dm, sizeof dm - 1, &m), 0);
    cr_assert_eq(m.n, 5);
    long long v = 0;
    cr_assert_eq(config_macros_int(&m, "A_ALIAS", &v), 0);
    cr_assert_eq(v, 512);
    cr_assert_eq(config_macros_int(&m, "C_EXPR", &v), -2);
    cr_assert_eq(config_macros_int(&m, "NOPE", &v), -1);
    cr_assert(config_macros_defined(&m, "D_EMPTY"));
    cr_assert_str_eq(config_macros_find(&m, "D_EMPTY")->value, "");
    cr_assert(config_macros_defined(&m, "F"));
    config_macros_free(&m);
}

Test(userconfig, our_full_profile_loads_with_digest_and_effective_values)
{
    const char *path = make_header("full.h", "full", NULL, NULL);
    user_config_t c;
    char err[4096];
    cr_assert_eq(user_config_load(path, "mbedtls-2.28", &g_tc, &c, err, sizeof err), 0, "%s", err);
    size_t len = 0;
    char *bytes = file_read_all(path, 1u << 20, &len);
    unsigned char d[32];
    mbedtls_sha256_ret((const unsigned char *)bytes, len, d, 0);
    char hex[65];
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", d[i]);
    cr_assert_str_eq(c.sha256, hex);
    cr_assert(strncmp(c.name, "user-", 5) == 0 && strncmp(c.name + 5, hex, 16) == 0);
    cr_assert(config_macros_defined(&c.own, "MBEDTLS_SSL_SERVER_NAME_INDICATION"));
    long long v = 0;
    /* A default mbedTLS derives (ssl.h): IN_CONTENT_LEN from MAX_CONTENT_LEN. */
    cr_assert_eq(config_macros_int(&c.effective, "MBEDTLS_SSL_IN_CONTENT_LEN", &v), 0);
    cr_assert_eq(v, 16384);
    cr_assert(config_macros_defined(&c.effective, "MBEDTLS_KEY_EXCHANGE_WITH_CERT_ENABLED"));
    char msg[4096] = "";
    cr_assert_eq(agent_needs_check(&c, msg, sizeof msg), 0, "%s", msg);
    free(bytes);
    user_config_free(&c);
}

Test(userconfig, missing_agent_needs_are_each_named_with_why)
{
    const char *path =
        make_header("no-cli.h", "full", "#define MBEDTLS_SSL_CLI_C|#define MBEDTLS_DEBUG_C", NULL);
    user_config_t c;
    char err[4096];
    cr_assert_eq(user_config_load(path, "mbedtls-2.28", &g_tc, &c, err, sizeof err), 0, "%s", err);
    char msg[4096] = "";
    cr_assert_eq(agent_needs_check(&c, msg, sizeof msg), 2, "%s", msg);
    cr_assert(strstr(msg, "MBEDTLS_SSL_CLI_C is not defined: the agent is a TLS client"), "%s",
              msg);
    cr_assert(strstr(msg, "MBEDTLS_DEBUG_C is not defined: the rig reads the client's debug log"),
              "%s", msg);
    user_config_free(&c);
}

Test(userconfig, threading_is_refused_on_2_28)
{
    const char *path =
        make_header("threading.h", "full", NULL,
                    "#define MBEDTLS_THREADING_C\n#define MBEDTLS_THREADING_PTHREAD\n");
    user_config_t c;
    char err[4096];
    cr_assert_eq(user_config_load(path, "mbedtls-2.28", &g_tc, &c, err, sizeof err), 0, "%s", err);
    char msg[4096] = "";
    cr_assert_eq(agent_needs_check(&c, msg, sizeof msg), 1, "%s", msg);
    cr_assert(strstr(msg, "MBEDTLS_THREADING_C is defined: the compact debug log"), "%s", msg);
    user_config_free(&c);
}

Test(userconfig, bad_files_are_usage_errors)
{
    user_config_t c;
    char err[4096], path[4300];
    snprintf(path, sizeof path, "%s/does-not-exist.h", g_dir);
    cr_assert_eq(user_config_load(path, "mbedtls-2.28", &g_tc, &c, err, sizeof err), 2);
    cr_assert(strstr(err, path) && strstr(err, "No such file"), "%s", err);
    cr_assert_eq(user_config_load(g_dir, "mbedtls-2.28", &g_tc, &c, err, sizeof err), 2);
    cr_assert(strstr(err, "not a regular file"), "%s", err);
    snprintf(path, sizeof path, "%s/empty.h", g_dir);
    fclose(fopen(path, "w"));
    cr_assert_eq(user_config_load(path, "mbedtls-2.28", &g_tc, &c, err, sizeof err), 2);
    cr_assert(strstr(err, "empty"), "%s", err);
    snprintf(path, sizeof path, "%s/plain.h", g_dir);
    FILE *f = fopen(path, "w");
    fputs("#define NOT_MBEDTLS 1\n", f);
    fclose(f);
    cr_assert_eq(user_config_load(path, "mbedtls-2.28", &g_tc, &c, err, sizeof err), 2);
    cr_assert(strstr(err, "defines no MBEDTLS_ macro"), "%s", err);
}

Test(userconfig, a_header_that_does_not_preprocess_shows_the_compiler)
{
    const char *path = make_header("broken.h", "full", NULL, "#include \"my_board_extras.h\"\n");
    user_config_t c;
    char err[4096];
    cr_assert_eq(user_config_load(path, "mbedtls-2.28", &g_tc, &c, err, sizeof err), 2);
    cr_assert(strstr(err, "does not preprocess") && strstr(err, "my_board_extras.h"), "%s", err);
    /* The compiler's message names the user's file, not the checker's copy. */
    cr_assert(strstr(err, path) && !strstr(err, "tlsrig_user_config.h"), "%s", err);
}

Test(userconfig, check_config_rejections_are_reported)
{
    /* mbedTLS's own consistency check: SSL_CLI_C without SSL_TLS_C. */
    const char *path = make_header("inconsistent.h", "full", "#define MBEDTLS_SSL_TLS_C", NULL);
    user_config_t c;
    char err[4096];
    cr_assert_eq(user_config_load(path, "mbedtls-2.28", &g_tc, &c, err, sizeof err), 2);
    /* Our profile includes check_config.h itself, so the header alone already fails. */
    cr_assert(strstr(err, "does not preprocess with mbedtls-2.28's headers") &&
                  strstr(err, "MBEDTLS_SSL_CLI_C defined, but not all prerequisites") &&
                  !strstr(err, "written for"),
              "%s", err);
}

Test(userconfig, a_2_28_header_for_3_6_is_refused)
{
    if (!have_stack(1))
        cr_skip_test("this build has no mbedtls-3.6 source");
    const char *path = make_header("full-228.h", "full", NULL, NULL);
    user_config_t c;
    char err[4096];
    cr_assert_eq(user_config_load(path, "mbedtls-3.6", &g_tc, &c, err, sizeof err), 2);
    cr_assert(strstr(err, "written for mbedtls-2.28, not mbedtls-3.6"), "%s", err);
    cr_assert(strstr(err, "--stack mbedtls-2.28"), "%s", err);
}

Test(userconfig, a_3_6_header_for_2_28_is_refused_and_loads_for_3_6)
{
    const char *path = make_header("full-36.h", "mbedtls-3.6/full", NULL, NULL);
    user_config_t c;
    char err[4096];
    cr_assert_eq(user_config_load(path, "mbedtls-2.28", &g_tc, &c, err, sizeof err), 2);
    cr_assert(strstr(err, "written for mbedtls-3.6, not mbedtls-2.28"), "%s", err);
    cr_assert(strstr(err, "MBEDTLS_SSL_PROTO_TLS1_3"), "%s", err);
    if (!have_stack(1))
        cr_skip_test("this build has no mbedtls-3.6 source");
    cr_assert_eq(user_config_load(path, "mbedtls-3.6", &g_tc, &c, err, sizeof err), 0, "%s", err);
    char msg[4096] = "";
    cr_assert_eq(agent_needs_check(&c, msg, sizeof msg), 0, "%s", msg);
    user_config_free(&c);
}

Test(userconfig, an_unreadable_header_is_a_usage_error)
{
    if (geteuid() == 0)
        cr_skip_test("root reads any file: the permission check cannot be exercised");
    const char *path = make_header("unreadable.h", "full", NULL, NULL);
    cr_assert_eq(chmod(path, 0), 0);
    user_config_t c;
    char err[4096];
    cr_assert_eq(user_config_load(path, "mbedtls-2.28", &g_tc, &c, err, sizeof err), 2);
    cr_assert(strstr(err, "cannot read it: Permission denied"), "%s", err);
}

/* A tree named for one digest that holds other bytes is never reused or rebuilt over. */
Test(userconfig, a_build_tree_holding_another_header_is_refused)
{
    const char *path = make_header("tree.h", "full", NULL, NULL);
    user_config_t c;
    char err[4096];
    cr_assert_eq(user_config_load(path, "mbedtls-2.28", &g_tc, &c, err, sizeof err), 0, "%s", err);
    user_context_t ctx = g_ctx;
    int n = snprintf(ctx.build_dir, sizeof ctx.build_dir, "%s/fake-build", g_dir);
    cr_assert(n > 0 && (size_t)n < sizeof ctx.build_dir);
    char tree[4400], copy[4500];
    snprintf(tree, sizeof tree, "%s/userconfig", ctx.build_dir);
    mkdir(ctx.build_dir, 0755);
    mkdir(tree, 0755);
    snprintf(tree, sizeof tree, "%s/userconfig/%s-%s", ctx.build_dir, c.stack, c.name);
    cr_assert_eq(mkdir(tree, 0755), 0);
    snprintf(copy, sizeof copy, "%s/tlsrig_user_config.h", tree);
    FILE *f = fopen(copy, "w");
    fputs("#define MBEDTLS_SOMETHING_ELSE\n", f);
    fclose(f);
    user_build_t b;
    char log[4300];
    snprintf(log, sizeof log, "%s/build.log", g_dir);
    cr_assert_eq(user_build_prepare(&ctx, &c, USER_TREE_SIM, log, &b, err, sizeof err), 3);
    cr_assert(strstr(err, "holds another configuration"), "%s", err);
    cr_assert_eq(b.lock_fd, -1);
    char *kept = file_read_all(copy, 4096, NULL);
    cr_assert_str_eq(kept, "#define MBEDTLS_SOMETHING_ELSE\n");
    free(kept);
    user_config_free(&c);
}
