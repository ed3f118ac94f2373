/* Many connections at once: more clients than the server has connection
 * slots (SERVER_MAX_CONNS) connect and send their ClientHello before any is
 * answered; every one gets its ServerHello and every view is published. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clienthello.h"
#include "server_test_util.h"
#include "wire_answer.h"

#define CLIENTS 48 /* > SERVER_MAX_CONNS (32): the rest wait for a handshake slot */

Test(server_many, more_clients_than_slots_all_answered)
{
    char path[1024], err[256];
    snprintf(path, sizeof path, "%s/fixtures/clienthellos/openssl-tls12.hex",
             getenv("TLSRIG_SOURCE_DIR"));
    uint8_t *hello;
    size_t len;
    cr_assert_eq(clienthello_read_file(path, &hello, &len, err, sizeof err), 0, "%s", err);
    server_profile_t p;
    stu_default_profile(&p);
    tls_server_t *s = stu_start(&p, NULL);

    int fds[CLIENTS];
    for (int i = 0; i < CLIENTS; i++) {
        fds[i] = stu_connect(tls_server_port(s));
        cr_assert_geq(fds[i], 0, "connect %d", i);
        cr_assert_eq(send(fds[i], hello, len, MSG_NOSIGNAL), (ssize_t)len);
    }
    /* In connection order: closing one frees the slot the next one waits for. */
    uint16_t first_suite = 0;
    for (int i = 0; i < CLIENTS; i++) {
        wire_answer_t a = wire_read_answer(fds[i]);
        close(fds[i]);
        cr_expect_eq(a.kind, WIRE_SERVER_HELLO, "client %d: %s", i, wire_kind_name(a.kind));
        if (i == 0)
            first_suite = a.suite;
        cr_expect_eq(a.suite, first_suite, "client %d: suite 0x%04x", i, a.suite);
    }
    cr_expect_neq(first_suite, 0);
    for (int i = 0; i < CLIENTS; i++) {
        json_t *v = stu_view(s);
        cr_expect_str_eq(
            json_string_value(json_object_get(json_object_get(v, "decision"), "reaction")),
            "continue");
        json_decref(v);
    }
    cr_expect_null(tls_server_wait_view(s, 0), "more views than connections");
    tls_server_stop(s);
    free(hello);
}
