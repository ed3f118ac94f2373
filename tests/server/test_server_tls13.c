/* TLS 1.3 on the live server through the mbedTLS 3.6 worker (issue 17):
 * HelloRetryRequest for a group the client did not key-share, resumption with
 * a ticket from an earlier connection's worker, an alert after
 * EncryptedExtensions, hostile bytes after the hello, a client that goes
 * silent, and the server without a worker. Registered only when the worker is
 * built (the mbedtls-3.6 stack). */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "client_outcome.h"
#include "clienthello.h"
#include "profile_load.h"
#include "server_test_util.h"

static server_profile_t tls13_profile(void)
{
    server_profile_t p;
    char err[512];
    cr_assert_eq(profile_load(profile_default_dir(), "tls13-only", &p, err, sizeof err), 0, "%s",
                 err);
    return p;
}

static json_t *hs_of(json_t *view)
{
    return json_object_get(view, "handshake");
}

static bool hs_true(json_t *view, const char *key)
{
    return json_is_true(json_object_get(hs_of(view), key));
}

Test(server_tls13, hello_retry_for_a_group_without_key_share)
{
    server_profile_t p = tls13_profile();
    p.groups[0] = 0x0018; /* secp384r1 only: OpenSSL key-shares x25519 first */
    p.n_groups = 1;
    tls_server_t *s = stu_start(&p, NULL);
    cr_assert(tls_server_speaks_tls13(s));
    client_outcome_t o =
        client_run(TOOL_OPENSSL, tls_server_port(s), "-tls1_3 -groups X25519:P-384 -noservername");
    json_t *v = stu_view(s);
    cr_expect_eq(o.kind, OUT_OK, "%s", o.output);
    cr_expect(json_is_true(json_object_get(json_object_get(v, "decision"), "hello_retry")));
    cr_expect(hs_true(v, "hello_retry_sent"));
    cr_expect_eq(json_integer_value(json_object_get(hs_of(v), "group_id")), 0x0018);
    cr_expect_str_eq(json_string_value(json_object_get(hs_of(v), "version")), "TLSv1.3");
    cr_expect_str_eq(json_string_value(json_object_get(hs_of(v), "worker")), "exit 0");
    json_decref(v);
    /* The same client with a P-384 share: no round trip. */
    o = client_run(TOOL_OPENSSL, tls_server_port(s), "-tls1_3 -groups P-384:X25519 -noservername");
    v = stu_view(s);
    cr_expect_eq(o.kind, OUT_OK, "%s", o.output);
    cr_expect_not(hs_true(v, "hello_retry_sent"));
    json_decref(v);
    tls_server_stop(s);
}

Test(server_tls13, ticket_from_one_worker_resumes_in_the_next)
{
    server_profile_t p = tls13_profile();
    tls_server_t *s = stu_start(&p, NULL);
    char sess[1100];
    snprintf(sess, sizeof sess, "%s/tls13-sess-%ld.pem",
             getenv("TLSRIG_BUILD_DIR") ? getenv("TLSRIG_BUILD_DIR") : "/tmp", (long)getpid());
    /* Data, then wait for the server's close: the ticket arrives before it. */
    char *out = stu_run("echo hi | openssl s_client -connect 127.0.0.1:%u -tls1_3 -noservername "
                        "-ign_eof -sess_out %s 2>&1",
                        tls_server_port(s), sess);
    json_t *v = stu_view(s);
    cr_expect(strstr(out, "New, TLSv1.3"), "%s", out);
    free(out);
    cr_expect_geq(json_integer_value(json_object_get(hs_of(v), "tickets_sent")), 1);
    cr_expect_not(hs_true(v, "resumed"));
    json_decref(v);
    out = stu_run("echo hi | openssl s_client -connect 127.0.0.1:%u -tls1_3 -noservername "
                  "-ign_eof -sess_in %s 2>&1",
                  tls_server_port(s), sess);
    v = stu_view(s);
    cr_expect(strstr(out, "Reused, TLSv1.3"), "%s", out);
    free(out);
    cr_expect(hs_true(v, "resumed"));
    cr_expect(json_is_object(json_object_get(
        json_object_get(json_object_get(v, "clienthello"), "tls13"), "pre_shared_key")));
    json_decref(v);
    unlink(sess);
    tls_server_stop(s);
}

Test(server_tls13, alert_after_encrypted_extensions)
{
    server_profile_t p = tls13_profile();
    p.tls13_after_encrypted_extensions = (reaction_t){REACT_ALERT, 112};
    tls_server_t *s = stu_start(&p, NULL);
    client_outcome_t o = client_run(TOOL_OPENSSL, tls_server_port(s), "-tls1_3 -noservername");
    json_t *v = stu_view(s);
    cr_expect_eq(o.kind, OUT_ALERT, "%s", o.output);
    cr_expect_eq(o.alert, 112, "%s", o.output);
    cr_expect_eq(json_integer_value(json_object_get(v, "alert_sent")), 112);
    cr_expect_neq(json_integer_value(json_object_get(hs_of(v), "ret")), 0);
    json_decref(v);
    tls_server_stop(s);
}

static size_t fixture(const char *name, uint8_t **data)
{
    char path[1024], err[256];
    size_t len = 0;
    snprintf(path, sizeof path, "%s/fixtures/clienthellos/%s", getenv("TLSRIG_SOURCE_DIR"), name);
    cr_assert_eq(clienthello_read_file(path, data, &len, err, sizeof err), 0, "%s", err);
    return len;
}

/* Garbage after a valid TLS 1.3 hello, and a client that stops talking: the
 * worker ends with an error of its own, the view says so, and the next
 * client is served. */
Test(server_tls13, worker_survives_hostile_and_silent_clients)
{
    server_profile_t p = tls13_profile();
    tls_server_t *s = stu_start(&p, NULL);
    uint8_t *hello;
    size_t n = fixture("mbedtls36-tls13.hex", &hello);
    uint8_t junk[512];
    memset(junk, 0xff, sizeof junk);
    for (int round = 0; round < 2; round++) {
        int fd = stu_connect(tls_server_port(s));
        cr_assert_geq(fd, 0);
        cr_assert_eq(send(fd, hello, n, MSG_NOSIGNAL), (ssize_t)n);
        if (round == 0)
            cr_assert_eq(send(fd, junk, sizeof junk, MSG_NOSIGNAL), (ssize_t)sizeof junk);
        else
            shutdown(fd, SHUT_WR); /* silent: no Finished, then FIN */
        uint8_t buf[8192];
        stu_read_all(fd, buf, sizeof buf);
        close(fd);
        json_t *v = stu_view(s);
        cr_expect_neq(json_integer_value(json_object_get(hs_of(v), "ret")), 0, "round %d", round);
        cr_expect_str_eq(json_string_value(json_object_get(hs_of(v), "worker")), "exit 0",
                         "round %d", round);
        json_decref(v);
    }
    free(hello);
    client_outcome_t o = client_run(TOOL_OPENSSL, tls_server_port(s), "-tls1_3 -noservername");
    json_t *v = stu_view(s);
    cr_expect_eq(o.kind, OUT_OK, "%s", o.output);
    json_decref(v);
    tls_server_stop(s);
}

/* Without a worker the server is the 2.28 one: a TLS 1.3-only profile
 * answers protocol_version (70), rule live_tls13. */
Test(server_tls13, without_worker_tls13_only_answers_protocol_version)
{
    setenv("TLSRIG_TLS13_WORKER", "", 1);
    server_profile_t p = tls13_profile();
    tls_server_t *s = stu_start(&p, NULL);
    cr_assert_not(tls_server_speaks_tls13(s));
    client_outcome_t o = client_run(TOOL_OPENSSL, tls_server_port(s), "-tls1_3 -noservername");
    json_t *v = stu_view(s);
    cr_expect_eq(o.kind, OUT_ALERT, "%s", o.output);
    cr_expect_eq(o.alert, 70);
    cr_expect_str_eq(json_string_value(json_object_get(json_object_get(v, "decision"), "rule")),
                     "live_tls13");
    json_decref(v);
    tls_server_stop(s);
    unsetenv("TLSRIG_TLS13_WORKER");
}
