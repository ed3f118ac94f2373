/* The cache: reuse, regeneration after a recipe edit, two processes at once,
 * and recipe files that are wrong in a way the error message must name. */
#define _DEFAULT_SOURCE
#include "certs_test_util.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static struct timespec mtime_of(const char *path)
{
    struct stat st;
    cr_assert_eq(stat(path, &st), 0, "stat %s", path);
    return st.st_mtim;
}

static bool same_time(struct timespec a, struct timespec b)
{
    return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec;
}

Test(certs_cache, second_call_reuses_every_file)
{
    cert_chain_files_t first, second;
    ct_ensure("big-chain-4k", &first); /* may generate (first run) */
    struct timespec chain_t = mtime_of(first.chain_pem), key_t = mtime_of(first.key_pem),
                    ca_t = mtime_of(first.ca_pem);
    unsigned long before = certs_generated_count();
    ct_ensure("big-chain-4k", &second);
    cr_assert_eq(certs_generated_count(), before, "nothing may be generated the second time");
    cr_assert_str_eq(first.chain_pem, second.chain_pem);
    cr_assert_str_eq(first.key_pem, second.key_pem);
    cr_assert_str_eq(first.ca_pem, second.ca_pem);
    cr_assert(same_time(chain_t, mtime_of(second.chain_pem)));
    cr_assert(same_time(key_t, mtime_of(second.key_pem)));
    cr_assert(same_time(ca_t, mtime_of(second.ca_pem)));
}

Test(certs_cache, generates_only_what_the_chain_needs)
{
    const char *dir = ct_fresh_dir("only-needed");
    cert_chain_files_t f;
    char err[1024];
    cr_assert_eq(certs_ensure(ct_recipes(), dir, "ecdsa-p256", &f, err, sizeof(err)), 0, "%s", err);
    /* root key + root cert + leaf key + leaf cert + chain file */
    cr_assert_eq(certs_generated_count(), 5);
    char keys[4200];
    snprintf(keys, sizeof(keys), "%s/keys", dir);
    DIR *d = opendir(keys);
    cr_assert_not_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        if (e->d_name[0] != '.') {
            n++;
            cr_assert(strncmp(e->d_name, "leaf-ecdsa-p256-", 16) == 0 ||
                          strncmp(e->d_name, "test-root-ecdsa-", 16) == 0,
                      "unexpected key %s", e->d_name);
        }
    closedir(d);
    cr_assert_eq(n, 2);
}

Test(certs_cache, edited_recipe_regenerates_the_certificate_but_reuses_keys)
{
    cert_chain_files_t orig, edited;
    ct_ensure("rsa2048", &orig);
    const char *dir = ct_fresh_dir("edited");
    /* Only leaf-rsa2048's description line names "RSA-2048 leaf": edit its CN. */
    const char *recipes = ct_edited_recipes(dir,
                                            "    cn: localhost\n    dns: [localhost]\n    ip: "
                                            "[127.0.0.1]\n    key_usage: [digital_signature, "
                                            "key_encipherment]\n    ext_key_usage: "
                                            "[server_auth]\n  - name: leaf-rsa4096",
                                            "    cn: edited.localhost\n    dns: [localhost]\n    "
                                            "ip: [127.0.0.1]\n    key_usage: "
                                            "[digital_signature, key_encipherment]\n    "
                                            "ext_key_usage: [server_auth]\n  - name: leaf-rsa4096");
    unsigned long before = certs_generated_count();
    char err[1024];
    cr_assert_eq(certs_ensure(recipes, ct_cache(), "rsa2048", &edited, err, sizeof(err)), 0, "%s",
                 err);
    cr_assert_str_neq(orig.chain_pem, edited.chain_pem, "an edited recipe gives a new file");
    cr_assert_str_eq(orig.key_pem, edited.key_pem, "the key is reused");
    cr_assert_str_eq(orig.ca_pem, edited.ca_pem, "the unchanged root is reused");
    /* Exactly the leaf certificate and the chain file, unless another test
     * process made them first. */
    cr_assert_leq(certs_generated_count() - before, 2);
    mbedtls_x509_crt crt;
    ct_parse(edited.chain_pem, &crt);
    char dn[256];
    mbedtls_x509_dn_gets(dn, sizeof(dn), &crt.subject);
    cr_assert_not_null(strstr(dn, "CN=edited.localhost"), "%s", dn);
    mbedtls_x509_crt_free(&crt);
    /* The original is still there for the original recipe. */
    cert_chain_files_t again;
    ct_ensure("rsa2048", &again);
    cr_assert_str_eq(again.chain_pem, orig.chain_pem);
}

Test(certs_cache, two_processes_at_once_share_one_result)
{
    const char *dir = ct_fresh_dir("two-procs");
    pid_t pids[2];
    for (int i = 0; i < 2; i++) {
        pids[i] = fork();
        cr_assert_geq(pids[i], 0);
        if (pids[i] == 0) {
            cert_chain_files_t f;
            char err[1024];
            _exit(certs_ensure(ct_recipes(), dir, "ecdsa-p384", &f, err, sizeof(err)) == 0 ? 0 : 1);
        }
    }
    for (int i = 0; i < 2; i++) {
        int status = 0;
        cr_assert_eq(waitpid(pids[i], &status, 0), pids[i]);
        cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child %d failed", i);
    }
    /* One of them generated; the parent now finds everything made. */
    cert_chain_files_t f;
    char err[1024];
    cr_assert_eq(certs_ensure(ct_recipes(), dir, "ecdsa-p384", &f, err, sizeof(err)), 0, "%s", err);
    cr_assert_eq(certs_generated_count(), 0);
    /* No temp files left, one file per certificate. */
    static const char *const subs[] = {"keys", "certs", "chains"};
    static const int expect[] = {2, 2, 1};
    for (int s = 0; s < 3; s++) {
        char path[4200];
        snprintf(path, sizeof(path), "%s/%s", dir, subs[s]);
        DIR *d = opendir(path);
        cr_assert_not_null(d);
        int n = 0;
        for (struct dirent *e; (e = readdir(d));) {
            if (e->d_name[0] == '.')
                continue;
            cr_assert_null(strstr(e->d_name, ".tmp."), "left over: %s", e->d_name);
            n++;
        }
        closedir(d);
        cr_assert_eq(n, expect[s], "%s holds %d files", subs[s], n);
    }
}

Test(certs_cache, root_pem_for_roots_only)
{
    char path[4096], err[512];
    cr_assert_eq(certs_root_pem(ct_recipes(), ct_cache(), "other-root", path, sizeof(path), err,
                                sizeof(err)),
                 0, "%s", err);
    mbedtls_x509_crt crt;
    ct_parse(path, &crt);
    cr_assert_eq(crt.ca_istrue, 1);
    char dn[256];
    mbedtls_x509_dn_gets(dn, sizeof(dn), &crt.subject);
    cr_assert_not_null(strstr(dn, "CN=tlsrig Other Root"), "%s", dn);
    mbedtls_x509_crt_free(&crt);
    cr_assert_neq(certs_root_pem(ct_recipes(), ct_cache(), "leaf-rsa2048", path, sizeof(path), err,
                                 sizeof(err)),
                  0);
    cr_assert_not_null(strstr(err, "leaf-rsa2048"), "%s", err);
    cr_assert_neq(certs_root_pem(ct_recipes(), ct_cache(), "no-such-root", path, sizeof(path), err,
                                 sizeof(err)),
                  0);
}

Test(certs_cache, list_names_every_chain_without_generating)
{
    cert_chain_info_t infos[32];
    size_t count = 0;
    char err[512];
    cr_assert_eq(certs_list(ct_recipes(), infos, 32, &count, err, sizeof(err)), 0, "%s", err);
    cr_assert_eq(certs_generated_count(), 0);
    static const char *const want[] = {
        "rsa2048",       "rsa4096", "ecdsa-p256",    "ecdsa-p384", "sha1-ca",  "big-chain-4k",
        "big-chain-16k", "expired", "not-yet-valid", "wrong-host", "other-ca", "client"};
    for (size_t w = 0; w < sizeof(want) / sizeof(want[0]); w++) {
        bool found = false;
        for (size_t i = 0; i < count && i < 32; i++)
            found = found || strcmp(infos[i].name, want[w]) == 0;
        cr_assert(found, "chain %s missing", want[w]);
    }
    for (size_t i = 0; i < count && i < 32; i++)
        if (strcmp(infos[i].name, "other-ca") == 0)
            cr_assert_str_eq(infos[i].root, "other-root");
    /* A short output array still reports the total. */
    size_t total = 0;
    cr_assert_eq(certs_list(ct_recipes(), infos, 2, &total, err, sizeof(err)), 0);
    cr_assert_eq(total, count);
}

/* ---- broken recipe files ---- */

static const char minimal_head[] = "organization: \"tlsrig TEST ONLY - not for production\"\n"
                                   "not_before: \"2024-01-01\"\n"
                                   "not_after: \"2034-01-01\"\n"
                                   "certificates:\n"
                                   "  - name: r\n"
                                   "    key: ec-p256\n"
                                   "    issuer: self\n"
                                   "    hash: sha256\n"
                                   "    cn: r\n"
                                   "    ca: true\n";

/* Load `body` appended to the minimal root, expect failure mentioning each
 * of the `needles`. */
static void expect_error(const char *tag, const char *body, const char *needle1,
                         const char *needle2)
{
    const char *dir = ct_fresh_dir(tag);
    char text[4096];
    snprintf(text, sizeof(text), "%s%s", minimal_head, body);
    const char *path = ct_write_file(dir, "recipes.yaml", text);
    cert_chain_files_t f;
    char err[1024] = "";
    cr_assert_neq(certs_ensure(path, dir, "c", &f, err, sizeof(err)), 0, "%s should fail", tag);
    cr_assert_not_null(strstr(err, needle1), "%s: '%s' not in: %s", tag, needle1, err);
    if (needle2)
        cr_assert_not_null(strstr(err, needle2), "%s: '%s' not in: %s", tag, needle2, err);
    cr_assert_eq(certs_generated_count(), 0);
}

static const char leaf_fmt_ok[] = "  - name: leaf\n    key: ec-p256\n    issuer: r\n"
                                  "    hash: sha256\n    cn: localhost\n"
                                  "chains:\n  - name: c\n    leaf: leaf\n";

Test(certs_recipes, a_valid_minimal_file_works)
{
    const char *dir = ct_fresh_dir("minimal");
    char text[4096];
    snprintf(text, sizeof(text), "%s%s", minimal_head, leaf_fmt_ok);
    const char *path = ct_write_file(dir, "recipes.yaml", text);
    cert_chain_files_t f;
    char err[1024] = "";
    cr_assert_eq(certs_ensure(path, dir, "c", &f, err, sizeof(err)), 0, "%s", err);
}

Test(certs_recipes, unknown_hash_names_recipe_and_key)
{
    expect_error("hash",
                 "  - name: leaf\n    key: ec-p256\n    issuer: r\n    hash: md5\n"
                 "    cn: localhost\nchains:\n  - name: c\n    leaf: leaf\n",
                 "'leaf'", "'hash'");
}

Test(certs_recipes, unknown_key_type_names_recipe_and_key)
{
    expect_error("keytype",
                 "  - name: leaf\n    key: dsa-1024\n    issuer: r\n    hash: sha256\n"
                 "    cn: localhost\nchains:\n  - name: c\n    leaf: leaf\n",
                 "'leaf'", "'key'");
}

Test(certs_recipes, unknown_issuer_names_recipe_and_key)
{
    expect_error("issuer",
                 "  - name: leaf\n    key: ec-p256\n    issuer: nobody\n    hash: sha256\n"
                 "    cn: localhost\nchains:\n  - name: c\n    leaf: leaf\n",
                 "'issuer'", "nobody");
}

Test(certs_recipes, issuer_loop_is_refused)
{
    expect_error("loop",
                 "  - name: a\n    key: ec-p256\n    issuer: b\n    hash: sha256\n"
                 "    cn: a\n    ca: true\n"
                 "  - name: b\n    key: ec-p256\n    issuer: a\n    hash: sha256\n"
                 "    cn: b\n    ca: true\n"
                 "chains:\n  - name: c\n    leaf: a\n",
                 "'issuer'", "loop");
}

Test(certs_recipes, bad_date_names_the_key)
{
    expect_error("date",
                 "  - name: leaf\n    key: ec-p256\n    issuer: r\n    hash: sha256\n"
                 "    cn: localhost\n    not_after: \"2034-13-01\"\n"
                 "chains:\n  - name: c\n    leaf: leaf\n",
                 "'leaf'", "'not_after'");
}

Test(certs_recipes, bad_ip_and_usage_name_the_key)
{
    expect_error("ip",
                 "  - name: leaf\n    key: ec-p256\n    issuer: r\n    hash: sha256\n"
                 "    cn: localhost\n    ip: [300.1.1.1]\n"
                 "chains:\n  - name: c\n    leaf: leaf\n",
                 "'ip'", NULL);
    expect_error("ku",
                 "  - name: leaf\n    key: ec-p256\n    issuer: r\n    hash: sha256\n"
                 "    cn: localhost\n    key_usage: [sign_everything]\n"
                 "chains:\n  - name: c\n    leaf: leaf\n",
                 "'key_usage'", "sign_everything");
}

Test(certs_recipes, unknown_yaml_key_is_named)
{
    expect_error("yamlkey",
                 "  - name: leaf\n    key: ec-p256\n    issuer: r\n    hash: sha256\n"
                 "    colour: blue\n    cn: localhost\n"
                 "chains:\n  - name: c\n    leaf: leaf\n",
                 "colour", NULL);
}

Test(certs_recipes, missing_required_key_is_named)
{
    expect_error("nocn",
                 "  - name: leaf\n    key: ec-p256\n    issuer: r\n    hash: sha256\n"
                 "chains:\n  - name: c\n    leaf: leaf\n",
                 "cn", NULL);
}

Test(certs_recipes, leaf_signed_by_a_non_ca_is_refused)
{
    expect_error("nonca",
                 "  - name: mid\n    key: ec-p256\n    issuer: r\n    hash: sha256\n"
                 "    cn: mid\n"
                 "  - name: leaf\n    key: ec-p256\n    issuer: mid\n    hash: sha256\n"
                 "    cn: localhost\nchains:\n  - name: c\n    leaf: leaf\n",
                 "'leaf'", "not a CA");
}

Test(certs_recipes, organization_must_say_test_only)
{
    const char *dir = ct_fresh_dir("org");
    char text[4096];
    snprintf(text, sizeof(text), "%s%s", minimal_head, leaf_fmt_ok);
    char *org = strstr(text, "tlsrig TEST ONLY");
    cr_assert_not_null(org);
    memcpy(org, "tlsrig Real Corp", 16);
    const char *path = ct_write_file(dir, "recipes.yaml", text);
    cert_chain_files_t f;
    char err[1024] = "";
    cr_assert_neq(certs_ensure(path, dir, "c", &f, err, sizeof(err)), 0);
    cr_assert_not_null(strstr(err, "'organization'"), "%s", err);
}

Test(certs_recipes, missing_file_and_unknown_chain)
{
    cert_chain_files_t f;
    char err[1024] = "";
    cr_assert_neq(
        certs_ensure("/nonexistent/recipes.yaml", ct_cache(), "rsa2048", &f, err, sizeof(err)), 0);
    cr_assert_not_null(strstr(err, "/nonexistent/recipes.yaml"), "%s", err);
    cr_assert_neq(certs_ensure(ct_recipes(), ct_cache(), "no-such-chain", &f, err, sizeof(err)), 0);
    cr_assert_not_null(strstr(err, "no-such-chain"), "%s", err);
}

Test(certs_recipes, garbage_file_fails_cleanly)
{
    const char *dir = ct_fresh_dir("garbage");
    const char *path = ct_write_file(dir, "recipes.yaml", "\x01\x02: [unclosed\n\t- {{{\n");
    cert_chain_files_t f;
    char err[1024] = "";
    cr_assert_neq(certs_ensure(path, dir, "c", &f, err, sizeof(err)), 0);
    cr_assert_gt(strlen(err), 0);
}
