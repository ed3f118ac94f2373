/* Idle and half-sent connections hold no slot a well-behaved client needs:
 * 200 of them are opened on loopback first, then openssl s_client must
 * complete its handshake well under the ClientHello timeout (the server's
 * default, 10 s). Each test prints the measured time; every connection still ends
 * with exactly one view, the evicted ones marked tcp_end "server-evicted". */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "clienthello.h"
#include "server_test_util.h"

#define HOSTILE 200
#define BOUND_S 5.0 /* generous: well under the 10 s ClientHello timeout */

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static uint8_t *stored_hello(size_t *len)
{
    char path[1024], err[256];
    snprintf(path, sizeof path, "%s/fixtures/clienthellos/openssl-tls12.hex",
             getenv("TLSRIG_SOURCE_DIR"));
    uint8_t *hello;
    cr_assert_eq(clienthello_read_file(path, &hello, len, err, sizeof err), 0, "%s", err);
    return hello;
}

/* Opens HOSTILE connections, each sending `prefix_len` bytes of a valid
 * ClientHello (0: nothing), and leaves them open. */
static void open_hostile(tls_server_t *s, int *fds, size_t prefix_len)
{
    size_t len;
    uint8_t *hello = stored_hello(&len);
    cr_assert_leq(prefix_len, len);
    for (int i = 0; i < HOSTILE; i++) {
        fds[i] = stu_connect(tls_server_port(s));
        cr_assert_geq(fds[i], 0, "connect %d", i);
        if (prefix_len)
            cr_assert_eq(send(fds[i], hello, prefix_len, MSG_NOSIGNAL), (ssize_t)prefix_len);
    }
    free(hello);
}

/* openssl s_client against the server; returns the seconds it took. */
static double well_behaved_client(tls_server_t *s)
{
    double t0 = now_s();
    char *out =
        stu_run("openssl s_client -connect 127.0.0.1:%u -tls1_2 </dev/null", tls_server_port(s));
    double took = now_s() - t0;
    cr_expect(strstr(out, "Cipher is") != NULL, "openssl did not complete: %s", out);
    free(out);
    return took;
}

/* Closes the hostile connections and checks that every connection (hostile
 * ones and the client) gave one view, that the client's handshake completed,
 * and returns how many were evicted. */
static unsigned account(tls_server_t *s, int *fds, unsigned expect_evicted_min)
{
    for (int i = 0; i < HOSTILE; i++)
        close(fds[i]);
    unsigned views = 0, evicted = 0, done = 0;
    for (json_t *v; views < HOSTILE + 1 && (v = tls_server_wait_view(s, 10000)); views++) {
        const char *end = json_string_value(json_object_get(v, "tcp_end"));
        evicted += end && strcmp(end, "server-evicted") == 0;
        json_t *h = json_object_get(v, "handshake");
        done += json_is_object(h) && json_integer_value(json_object_get(h, "ret")) == 0;
        json_decref(v);
    }
    cr_expect_eq(views, HOSTILE + 1, "views for %u of %d connections", views, HOSTILE + 1);
    cr_expect_eq(done, 1, "completed handshakes: %u", done);
    cr_expect_geq(evicted, expect_evicted_min);
    cr_expect_null(tls_server_wait_view(s, 0), "more views than connections");
    return evicted;
}

static tls_server_t *start(void)
{
    server_profile_t p;
    stu_default_profile(&p);
    return stu_start_default_timeouts(&p);
}

Test(server_slots, idle_connections_do_not_delay_a_client, .timeout = 120)
{
    tls_server_t *s = start();
    double alone = well_behaved_client(s);
    json_decref(stu_view(s));
    static int fds[HOSTILE];
    open_hostile(s, fds, 0);
    double took = well_behaved_client(s);
    fprintf(stderr,
            "server_slots: %d idle connections: the client completed in %.3f s (alone %.3f s)\n",
            HOSTILE, took, alone);
    cr_expect_lt(took, BOUND_S, "client waited %.3f s behind %d idle connections", took, HOSTILE);
    unsigned evicted = account(s, fds, 1);
    fprintf(stderr, "server_slots: %u idle connections evicted\n", evicted);
    tls_server_stop(s);
}

Test(server_slots, half_sent_hellos_do_not_delay_a_client, .timeout = 120)
{
    tls_server_t *s = start();
    static int fds[HOSTILE];
    /* A record header and the start of the hello, then nothing. */
    open_hostile(s, fds, 20);
    double took = well_behaved_client(s);
    fprintf(stderr, "server_slots: %d half-sent ClientHellos: the client completed in %.3f s\n",
            HOSTILE, took);
    cr_expect_lt(took, BOUND_S, "client waited %.3f s behind %d half-sent hellos", took, HOSTILE);
    account(s, fds, 1);
    tls_server_stop(s);
}

/* Complete hellos, then silence: these take handshake slots; when all are
 * taken, one idle for a second (SERVER_EVICT_IDLE_MS) gives its slot up. */
Test(server_slots, stalled_handshakes_do_not_delay_a_client, .timeout = 120)
{
    tls_server_t *s = start();
    static int fds[HOSTILE];
    size_t len;
    uint8_t *hello = stored_hello(&len);
    free(hello);
    open_hostile(s, fds, len);
    double took = well_behaved_client(s);
    fprintf(stderr, "server_slots: %d stalled handshakes: the client completed in %.3f s\n",
            HOSTILE, took);
    cr_expect_lt(took, BOUND_S + 1.0, "client waited %.3f s behind %d stalled handshakes", took,
                 HOSTILE);
    account(s, fds, 1);
    tls_server_stop(s);
}
