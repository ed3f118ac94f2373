/* Hostile first flights over a raw socket: the server answers a clean fatal
 * alert or closes, within its timeouts, and then still serves a real client. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "server_test_util.h"

/* A minimal, well-formed TLS 1.2 ClientHello with the given extensions. */
static size_t build_hello(uint8_t *out, size_t cap, uint16_t n_suites_bytes, const uint8_t *exts,
                          size_t exts_len)
{
    size_t body = 2 + 32 + 1 + 2 + n_suites_bytes + 2 + 2 + exts_len;
    cr_assert_lt(body + 9, cap);
    uint8_t *p = out;
    size_t hs_len = body;
    size_t rec_len = hs_len + 4;
    *p++ = 22;
    *p++ = 3;
    *p++ = 1;
    *p++ = (uint8_t)(rec_len >> 8);
    *p++ = (uint8_t)rec_len;
    *p++ = 1;
    *p++ = (uint8_t)(hs_len >> 16);
    *p++ = (uint8_t)(hs_len >> 8);
    *p++ = (uint8_t)hs_len;
    *p++ = 3;
    *p++ = 3;
    memset(p, 0x5a, 32);
    p += 32;
    *p++ = 0; /* session id */
    *p++ = (uint8_t)(n_suites_bytes >> 8);
    *p++ = (uint8_t)n_suites_bytes;
    for (uint16_t i = 0; i < n_suites_bytes / 2; i++) {
        *p++ = 0xc0;
        *p++ = 0x2f;
    }
    *p++ = 1; /* compression */
    *p++ = 0;
    *p++ = (uint8_t)(exts_len >> 8);
    *p++ = (uint8_t)exts_len;
    if (exts_len)
        memcpy(p, exts, exts_len);
    p += exts_len;
    return (size_t)(p - out);
}

/* Sends `data`, half-closes, and checks the answer is empty or one fatal alert. */
static void expect_clean_refusal(tls_server_t *s, const uint8_t *data, size_t len)
{
    int fd = stu_connect(tls_server_port(s));
    cr_assert_geq(fd, 0);
    size_t off = 0;
    while (off < len) {
        ssize_t n = send(fd, data + off, len - off, MSG_NOSIGNAL);
        if (n <= 0)
            break;
        off += (size_t)n;
    }
    shutdown(fd, SHUT_WR);
    uint8_t answer[64];
    size_t got = stu_read_all(fd, answer, sizeof answer);
    close(fd);
    cr_expect(got == 0 || (got == 7 && answer[0] == 21 && answer[5] == 2),
              "answer of %zu bytes is neither a close nor one fatal alert", got);
    json_t *v = stu_view(s);
    /* Refused by the inspector (with a reason) or failed in mbedTLS. */
    json_t *d = json_object_get(v, "decision");
    bool refused = strcmp(json_string_value(json_object_get(d, "reaction")), "continue") != 0;
    json_int_t ret = json_integer_value(json_object_get(json_object_get(v, "handshake"), "ret"));
    cr_expect(refused || ret != 0, "hostile hello was accepted");
    if (refused)
        cr_expect_neq(strlen(json_string_value(json_object_get(d, "reason"))), 0);
    json_decref(v);
}

static void expect_still_serving(tls_server_t *s)
{
    char *out = stu_run("openssl s_client -connect 127.0.0.1:%u </dev/null", tls_server_port(s));
    cr_expect(strstr(out, "Cipher is") != NULL, "openssl after hostile input: %s", out);
    free(out);
    json_t *v = stu_view(s);
    cr_expect_eq(json_integer_value(json_object_get(json_object_get(v, "handshake"), "ret")), 0);
    json_decref(v);
}

static tls_server_t *start(void)
{
    server_profile_t p;
    stu_default_profile(&p);
    return stu_start(&p, NULL);
}

Test(server_hostile, lengths_past_the_end)
{
    tls_server_t *s = start();
    uint8_t buf[512];
    size_t len = build_hello(buf, sizeof buf, 4, NULL, 0);
    buf[6] = 0x00; /* handshake length far beyond the record */
    buf[7] = 0xff;
    expect_clean_refusal(s, buf, len);
    len = build_hello(buf, sizeof buf, 4, NULL, 0);
    buf[5 + 4 + 2 + 32 + 1] = 0x7f; /* suites length past the end */
    expect_clean_refusal(s, buf, len);
    expect_still_serving(s);
    tls_server_stop(s);
}

Test(server_hostile, duplicated_extensions)
{
    tls_server_t *s = start();
    const uint8_t exts[] = {0x00, 0x17, 0x00, 0x00, 0x00, 0x17, 0x00, 0x00};
    uint8_t buf[512];
    size_t len = build_hello(buf, sizeof buf, 4, exts, sizeof exts);
    int fd = stu_connect(tls_server_port(s));
    cr_assert_geq(fd, 0);
    cr_assert_eq(send(fd, buf, len, MSG_NOSIGNAL), (ssize_t)len);
    shutdown(fd, SHUT_WR);
    uint8_t answer[64];
    size_t got = stu_read_all(fd, answer, sizeof answer);
    close(fd);
    /* mbedTLS or the policy refuses it; either way a fatal alert. */
    cr_expect(got >= 7 && answer[0] == 21 && answer[5] == 2, "got %zu bytes", got);
    json_t *v = stu_view(s);
    cr_expect_not_null(json_object_get(v, "alert_sent"));
    json_decref(v);
    expect_still_serving(s);
    tls_server_stop(s);
}

Test(server_hostile, sixty_four_kb_of_extensions)
{
    tls_server_t *s = start();
    /* One unknown extension filling the 16-bit extensions length. */
    size_t exts_len = 65535;
    uint8_t *exts = calloc(1, exts_len);
    exts[0] = 0xfe;
    exts[1] = 0xfe;
    exts[2] = (uint8_t)((exts_len - 4) >> 8);
    exts[3] = (uint8_t)(exts_len - 4);
    size_t cap = exts_len + 1024;
    uint8_t *buf = malloc(cap);
    size_t len = build_hello(buf, cap, 4, exts, exts_len);
    /* A record cannot hold it: the declared record length wraps, so the
     * server must not trust it. */
    expect_clean_refusal(s, buf, len);
    free(exts);
    free(buf);
    expect_still_serving(s);
    tls_server_stop(s);
}

Test(server_hostile, zero_suites)
{
    tls_server_t *s = start();
    uint8_t buf[512];
    size_t len = build_hello(buf, sizeof buf, 0, NULL, 0);
    expect_clean_refusal(s, buf, len);
    expect_still_serving(s);
    tls_server_stop(s);
}

Test(server_hostile, truncated_record_and_garbage)
{
    tls_server_t *s = start();
    const uint8_t truncated[] = {22, 3, 1, 0};
    expect_clean_refusal(s, truncated, sizeof truncated);
    const uint8_t http[] = "GET / HTTP/1.0\r\n\r\n";
    expect_clean_refusal(s, http, sizeof http - 1);
    const uint8_t sslv2[] = {0x80, 0x2e, 0x01, 0x03, 0x01, 0x00, 0x15, 0x00, 0x00, 0x00, 0x10};
    expect_clean_refusal(s, sslv2, sizeof sslv2);
    expect_still_serving(s);
    tls_server_stop(s);
}
