/* Real clients this project did not write (openssl s_client, gnutls-cli)
 * against the live server: each outcome asserted on both sides. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "server_test_util.h"

static const char *hs_str(json_t *v, const char *key)
{
    return json_string_value(json_object_get(json_object_get(v, "handshake"), key));
}

static json_int_t hs_ret(json_t *v)
{
    return json_integer_value(json_object_get(json_object_get(v, "handshake"), "ret"));
}

Test(server_clients, openssl_with_and_without_sni)
{
    server_profile_t p;
    stu_default_profile(&p);
    tls_server_t *s = stu_start(&p, NULL);
    const char *sni[] = {"-servername device.example", "-noservername"};
    for (int i = 0; i < 2; i++) {
        char *out = stu_run("openssl s_client -connect 127.0.0.1:%u %s </dev/null",
                            tls_server_port(s), sni[i]);
        cr_expect(strstr(out, "Cipher is ECDHE-RSA") != NULL, "openssl said: %s", out);
        json_t *v = stu_view(s);
        cr_expect_eq(hs_ret(v), 0);
        cr_expect_str_eq(hs_str(v, "version"), "TLSv1.2");
        cr_expect_str_eq(
            json_string_value(json_object_get(json_object_get(v, "decision"), "reaction")),
            "continue");
        json_decref(v);
        free(out);
    }
    tls_server_stop(s);
}

Test(server_clients, gnutls_with_and_without_sni)
{
    server_profile_t p;
    stu_default_profile(&p);
    tls_server_t *s = stu_start(&p, NULL);
    const char *sni[] = {"--sni-hostname device.example", "--disable-sni"};
    for (int i = 0; i < 2; i++) {
        char *out = stu_run("gnutls-cli --insecure %s --port %u 127.0.0.1 </dev/null", sni[i],
                            tls_server_port(s));
        cr_expect(strstr(out, "Handshake was completed") != NULL, "gnutls-cli said: %s", out);
        json_t *v = stu_view(s);
        cr_expect_eq(hs_ret(v), 0);
        json_decref(v);
        free(out);
    }
    tls_server_stop(s);
}

Test(server_clients, overlapping_suites_pick_the_shared_one)
{
    server_profile_t p;
    stu_default_profile(&p);
    p.suites[0] = 0xC030; /* ECDHE-RSA-AES256-GCM-SHA384 */
    p.suites[1] = 0xC02F; /* ECDHE-RSA-AES128-GCM-SHA256 */
    p.n_suites = 2;
    tls_server_t *s = stu_start(&p, NULL);
    char *out = stu_run("openssl s_client -connect 127.0.0.1:%u -tls1_2 "
                        "-cipher AES256-SHA:ECDHE-RSA-AES128-GCM-SHA256 </dev/null",
                        tls_server_port(s));
    cr_expect(strstr(out, "ECDHE-RSA-AES128-GCM-SHA256") != NULL, "openssl said: %s", out);
    json_t *v = stu_view(s);
    cr_expect_eq(hs_ret(v), 0);
    cr_expect_str_eq(hs_str(v, "suite"), "TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256");
    json_decref(v);
    free(out);
    tls_server_stop(s);
}

Test(server_clients, disjoint_suites_fail_with_handshake_failure)
{
    server_profile_t p;
    stu_default_profile(&p);
    p.suites[0] = 0xC02F;
    p.n_suites = 1;
    tls_server_t *s = stu_start(&p, NULL);
    char *out = stu_run("openssl s_client -connect 127.0.0.1:%u -tls1_2 -cipher AES256-SHA "
                        "</dev/null",
                        tls_server_port(s));
    cr_expect(strstr(out, "handshake failure") != NULL, "openssl said: %s", out);
    json_t *v = stu_view(s);
    /* Refused by the policy before mbedTLS, or by mbedTLS itself. */
    json_t *h = json_object_get(v, "handshake");
    cr_expect(json_is_null(h) || hs_ret(v) != 0, "handshake should not succeed");
    cr_expect_eq(json_integer_value(json_object_get(v, "alert_sent")), 40);
    json_decref(v);
    free(out);

    out = stu_run("gnutls-cli --insecure --priority NORMAL:-CIPHER-ALL:+AES-256-CBC:-KX-ALL:+RSA "
                  "--port %u 127.0.0.1 </dev/null",
                  tls_server_port(s));
    cr_expect(strstr(out, "Handshake failed") != NULL, "gnutls-cli said: %s", out);
    v = stu_view(s);
    cr_expect_eq(json_integer_value(json_object_get(v, "alert_sent")), 40);
    json_decref(v);
    free(out);
    tls_server_stop(s);
}

Test(server_clients, overlapping_connections_all_complete)
{
    server_profile_t p;
    stu_default_profile(&p);
    tls_server_t *s = stu_start(&p, NULL);
    /* Four clients at once, in the background of one shell. */
    char *out = stu_run("for i in 1 2 3 4; do openssl s_client -connect 127.0.0.1:%u "
                        "</dev/null >/dev/null 2>&1 & done; wait",
                        tls_server_port(s));
    for (int i = 0; i < 4; i++) {
        json_t *v = stu_view(s);
        cr_expect_eq(hs_ret(v), 0);
        json_decref(v);
    }
    free(out);
    tls_server_stop(s);
}
