/* Impairments on the server's flights, seen by a real client (openssl) and
 * in the server view. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

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
