/* `tlsrig certs` through cmd_certs(): options, output and exit codes. */
#include "certs_test_util.h"
#include "commands.h"

#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <stdio.h>
#include <string.h>

static int run(int argc, const char **argv)
{
    return cmd_certs(argc, (char **)argv);
}

static void slurp_stdout(char *buf, size_t len)
{
    fflush(stdout);
    FILE *f = cr_get_redirected_stdout();
    size_t n = fread(buf, 1, len - 1, f);
    buf[n] = '\0';
}

Test(certs_cli, list_prints_every_chain, .init = cr_redirect_stdout)
{
    const char *argv[] = {"certs", "--list", "--recipes", ct_recipes()};
    cr_assert_eq(run(4, argv), 0);
    char out[8192];
    slurp_stdout(out, sizeof(out));
    cr_assert_not_null(strstr(out, "big-chain-16k"), "%s", out);
    cr_assert_not_null(strstr(out, "other-ca"), "%s", out);
    cr_assert_eq(certs_generated_count(), 0, "--list generates nothing");
}

Test(certs_cli, name_prints_paths_and_size, .init = cr_redirect_stdout)
{
    const char *argv[] = {"certs",  "--recipes",  ct_recipes(), "--cache",   ct_cache(),
                          "--name", "ecdsa-p256", "--root",     "other-root"};
    cr_assert_eq(run(9, argv), 0);
    char out[8192];
    slurp_stdout(out, sizeof(out));
    cert_chain_files_t f;
    ct_ensure("ecdsa-p256", &f);
    cr_assert_not_null(strstr(out, f.chain_pem), "%s", out);
    cr_assert_not_null(strstr(out, f.key_pem), "%s", out);
    char size[64];
    snprintf(size, sizeof(size), "%zu bytes DER", f.chain_der_bytes);
    cr_assert_not_null(strstr(out, size), "%s", out);
    cr_assert_not_null(strstr(out, "other-root: root CA"), "%s", out);
}

Test(certs_cli, usage_errors_exit_2, .init = cr_redirect_stderr)
{
    const char *bad_opt[] = {"certs", "--frobnicate"};
    cr_assert_eq(run(2, bad_opt), 2);
    const char *no_value[] = {"certs", "--name"};
    cr_assert_eq(run(2, no_value), 2);
    const char *unknown[] = {"certs",    "--recipes", ct_recipes(),   "--cache",
                             ct_cache(), "--name",    "no-such-chain"};
    cr_assert_eq(run(7, unknown), 2);
    const char *bad_file[] = {"certs", "--recipes", "/nonexistent.yaml", "--list"};
    cr_assert_eq(run(4, bad_file), 2);
}
