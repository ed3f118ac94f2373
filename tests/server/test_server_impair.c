/* Impairments on the server's flights, seen by a real client (openssl) and
 * in the server view. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clienthello.h"
#include "server_test_util.h"

static json_t *run_with(const impairment_t *im, char **client_out)
{
    server_profile_t p;
    stu_default_profile(&p);
    p.impairments[0] = *im;
    p.n_impairments = 1;
    tls_server_t *s = stu_start(&p, NULL);
    *client_out = stu_run("openssl s_client -connect 127.0.0.1:%u </dev/null", tls_server_port(s));
    json_t *v = stu_view(s);
    tls_server_stop(s);
    return v;
}

static json_int_t ret_of(json_t *v)
{
    return json_integer_value(json_object_get(json_object_get(v, "handshake"), "ret"));
}

static const char *applied(json_t *v)
{
    return json_string_value(json_object_get(v, "impairments"));
}

Test(server_impair, split_records_still_complete)
{
    char *out;
    json_t *v = run_with(&(impairment_t){.kind = IMPAIR_SPLIT_RECORDS, .bytes = 100}, &out);
    cr_expect(strstr(out, "Cipher is") != NULL, "openssl: %s", out);
    cr_expect_eq(ret_of(v), 0);
    cr_expect(strstr(applied(v), "split record") != NULL, "applied: %s", applied(v));
    json_decref(v);
    free(out);
}

Test(server_impair, small_tcp_writes_still_complete)
{
    char *out;
    json_t *v = run_with(&(impairment_t){.kind = IMPAIR_WRITE_CHUNK, .bytes = 7}, &out);
    cr_expect(strstr(out, "Cipher is") != NULL, "openssl: %s", out);
    cr_expect_eq(ret_of(v), 0);
    json_decref(v);
    free(out);
}

Test(server_impair, delay_before_first_flight)
{
    char *out;
    json_t *v = run_with(
        &(impairment_t){.kind = IMPAIR_DELAY_BEFORE_FLIGHT, .flight = 1, .delay_ms = 50}, &out);
    cr_expect_eq(ret_of(v), 0);
    cr_expect(strstr(applied(v), "before flight 1") != NULL, "applied: %s", applied(v));
    json_decref(v);
    free(out);
}

Test(server_impair, reset_after_server_hello)
{
    char *out;
    json_t *v = run_with(&(impairment_t){.kind = IMPAIR_RESET_AFTER, .hs_type = 2}, &out);
    cr_expect(strstr(out, "Cipher is (NONE)") != NULL || strstr(out, "errno") != NULL,
              "openssl: %s", out);
    cr_expect_neq(ret_of(v), 0);
    cr_expect_str_eq(json_string_value(json_object_get(v, "tcp_end")), "server-reset");
    json_decref(v);
    free(out);
}

Test(server_impair, close_after_certificate)
{
    char *out;
    json_t *v = run_with(&(impairment_t){.kind = IMPAIR_CLOSE_AFTER, .hs_type = 11}, &out);
    cr_expect_neq(ret_of(v), 0);
    cr_expect_str_eq(json_string_value(json_object_get(v, "tcp_end")), "server-fin");
    cr_expect(strstr(applied(v), "close after handshake message 11") != NULL, "applied: %s",
              applied(v));
    json_decref(v);
    free(out);
}

Test(server_impair, corrupted_finished_is_rejected)
{
    char *out;
    /* Records: ServerHello, Certificate, ServerKeyExchange, ServerHelloDone,
     * ChangeCipherSpec, Finished (6). */
    json_t *v =
        run_with(&(impairment_t){.kind = IMPAIR_CORRUPT_RECORD, .record = 6, .bytes = 20}, &out);
    cr_expect(strstr(out, "bad record mac") != NULL, "openssl: %s", out);
    /* The client tells the server with a bad_record_mac alert. */
    cr_expect_eq(json_integer_value(json_object_get(v, "alert_received")), 20);
    cr_expect(strstr(applied(v), "corrupted byte 20 of record 6") != NULL, "applied: %s",
              applied(v));
    json_decref(v);
    free(out);
}

/* A client that gives up while the server delays its flight (its read
 * timeout) ends the delay at once: the view is published without waiting
 * out the delay (10 min here, far beyond stu_view's 30 s deadline). */
static json_t *view_after_client_gives_up(bool reset)
{
    char path[1024], err[256];
    snprintf(path, sizeof path, "%s/fixtures/clienthellos/openssl-tls12.hex",
             getenv("TLSRIG_SOURCE_DIR"));
    uint8_t *hello;
    size_t len;
    cr_assert_eq(clienthello_read_file(path, &hello, &len, err, sizeof err), 0, "%s", err);
    server_profile_t p;
    stu_default_profile(&p);
    p.impairments[0] =
        (impairment_t){.kind = IMPAIR_DELAY_BEFORE_FLIGHT, .flight = 1, .delay_ms = 600000};
    p.n_impairments = 1;
    tls_server_t *s = stu_start(&p, NULL);
    int fd = stu_connect(tls_server_port(s));
    cr_assert_geq(fd, 0);
    cr_assert_eq(send(fd, hello, len, MSG_NOSIGNAL), (ssize_t)len);
    free(hello);
    if (reset) {
        struct linger lg = {.l_onoff = 1, .l_linger = 0};
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    }
    close(fd);
    json_t *v = stu_view(s);
    tls_server_stop(s);
    return v;
}

Test(server_impair, delay_ends_when_the_client_closes)
{
    json_t *v = view_after_client_gives_up(false);
    cr_expect(strstr(applied(v), "delay cut short") != NULL, "applied: %s", applied(v));
    cr_expect(strstr(applied(v), "the client closed the connection") != NULL, "applied: %s",
              applied(v));
    cr_expect_neq(ret_of(v), 0);
    json_decref(v);
}

Test(server_impair, delay_ends_when_the_client_resets)
{
    json_t *v = view_after_client_gives_up(true);
    cr_expect(strstr(applied(v), "delay cut short") != NULL, "applied: %s", applied(v));
    cr_expect_neq(ret_of(v), 0);
    json_decref(v);
}

/* Stopping the server ends a delay in progress: tls_server_stop() joins the
 * connection threads, so a delay waited out would hold it for 10 min (the
 * test's own timeout fails it first). The stop may also come before the
 * delay starts (then the stop pipe ends the read): either way the client
 * gets no flight and the stop returns. */
Test(server_impair, delay_ends_when_the_server_stops, .timeout = 60)
{
    char path[1024], err[256];
    snprintf(path, sizeof path, "%s/fixtures/clienthellos/openssl-tls12.hex",
             getenv("TLSRIG_SOURCE_DIR"));
    uint8_t *hello;
    size_t len;
    cr_assert_eq(clienthello_read_file(path, &hello, &len, err, sizeof err), 0, "%s", err);
    server_profile_t p;
    stu_default_profile(&p);
    p.impairments[0] =
        (impairment_t){.kind = IMPAIR_DELAY_BEFORE_FLIGHT, .flight = 1, .delay_ms = 600000};
    p.n_impairments = 1;
    tls_server_t *s = stu_start(&p, NULL);
    int fd = stu_connect(tls_server_port(s));
    cr_assert_geq(fd, 0);
    cr_assert_eq(send(fd, hello, len, MSG_NOSIGNAL), (ssize_t)len);
    free(hello);
    tls_server_stop(s);
    uint8_t buf[4096];
    size_t got = stu_read_all(fd, buf, sizeof buf);
    cr_expect_eq(got, 0, "no server flight after a stop");
    close(fd);
}
