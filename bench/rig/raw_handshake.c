#define _POSIX_C_SOURCE 200809L
#include "raw_handshake.h"

#include <arpa/inet.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef struct side {
    mbedtls_entropy_context entropy;
    mbedtls_ctr_drbg_context drbg;
    mbedtls_ssl_config conf;
    mbedtls_x509_crt crt;
    mbedtls_pk_context key;
    int suites[2];
    mbedtls_ecp_group_id groups[2];
} side_t;

typedef struct server_arg {
    side_t *side;
    int listen_fd;
    size_t n;
    int failed; /* mbedTLS error of the first failed connection, 0 if none */
} server_arg_t;

static const char k_request[] = "GET / tlsrig raw bench\n";
static const char k_answer[] = "tlsrig server, profile default\n";

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int side_init(side_t *s, int endpoint, const raw_setup_t *rs, char *err, size_t errlen)
{
    int rc;
    mbedtls_entropy_init(&s->entropy);
    mbedtls_ctr_drbg_init(&s->drbg);
    mbedtls_ssl_config_init(&s->conf);
    mbedtls_x509_crt_init(&s->crt);
    mbedtls_pk_init(&s->key);
    s->suites[0] = rs->suite;
    s->suites[1] = 0;
    s->groups[0] = (mbedtls_ecp_group_id)rs->group_id;
    s->groups[1] = MBEDTLS_ECP_DP_NONE;
    const char *what = "seed";
    rc = mbedtls_ctr_drbg_seed(&s->drbg, mbedtls_entropy_func, &s->entropy, NULL, 0);
    if (rc == 0) {
        what = "defaults";
        rc = mbedtls_ssl_config_defaults(&s->conf, endpoint, MBEDTLS_SSL_TRANSPORT_STREAM,
                                         MBEDTLS_SSL_PRESET_DEFAULT);
    }
    if (rc == 0 && endpoint == MBEDTLS_SSL_IS_SERVER) {
        what = rs->chain_pem;
        rc = mbedtls_x509_crt_parse_file(&s->crt, rs->chain_pem);
        if (rc == 0) {
            what = rs->key_pem;
            rc = mbedtls_pk_parse_keyfile(&s->key, rs->key_pem, NULL);
        }
        if (rc == 0) {
            what = "own cert";
            rc = mbedtls_ssl_conf_own_cert(&s->conf, &s->crt, &s->key);
        }
    } else if (rc == 0) {
        what = rs->ca_pem;
        rc = mbedtls_x509_crt_parse_file(&s->crt, rs->ca_pem);
        mbedtls_ssl_conf_ca_chain(&s->conf, &s->crt, NULL);
        mbedtls_ssl_conf_authmode(&s->conf, MBEDTLS_SSL_VERIFY_REQUIRED);
    }
    if (rc != 0) {
        char text[160];
        mbedtls_strerror(rc, text, sizeof text);
        snprintf(err, errlen, "%s: %s", what, text);
        return -1;
    }
    mbedtls_ssl_conf_rng(&s->conf, mbedtls_ctr_drbg_random, &s->drbg);
    mbedtls_ssl_conf_ciphersuites(&s->conf, s->suites);
    mbedtls_ssl_conf_curves(&s->conf, s->groups);
    return 0;
}

static void side_free(side_t *s)
{
    mbedtls_pk_free(&s->key);
    mbedtls_x509_crt_free(&s->crt);
    mbedtls_ssl_config_free(&s->conf);
    mbedtls_ctr_drbg_free(&s->drbg);
    mbedtls_entropy_free(&s->entropy);
}

static void nodelay(int fd)
{
    int one = 1;
    (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

/* One connection on the server side: handshake, request, answer, close. */
static int serve_one(side_t *side, int fd)
{
    mbedtls_net_context net = {.fd = fd};
    mbedtls_ssl_context ssl;
    mbedtls_ssl_init(&ssl);
    int rc = mbedtls_ssl_setup(&ssl, &side->conf);
    if (rc == 0) {
        mbedtls_ssl_set_bio(&ssl, &net, mbedtls_net_send, mbedtls_net_recv, NULL);
        rc = mbedtls_ssl_handshake(&ssl);
    }
    unsigned char buf[256];
    if (rc == 0) {
        rc = mbedtls_ssl_read(&ssl, buf, sizeof buf);
        rc = rc > 0 ? 0 : rc;
    }
    if (rc == 0) {
        rc = mbedtls_ssl_write(&ssl, (const unsigned char *)k_answer, sizeof k_answer - 1);
        rc = rc > 0 ? 0 : rc;
    }
    if (rc == 0) {
        (void)mbedtls_ssl_close_notify(&ssl);
    }
    mbedtls_ssl_free(&ssl);
    close(fd);
    return rc;
}

static void *server_main(void *p)
{
    server_arg_t *a = p;
    for (size_t i = 0; i < a->n; i++) {
        int fd = accept(a->listen_fd, NULL, NULL);
        if (fd < 0) {
            a->failed = -1;
            break;
        }
        nodelay(fd);
        int rc = serve_one(a->side, fd);
        if (rc != 0 && a->failed == 0) {
            a->failed = rc;
        }
    }
    return NULL;
}

/* One connection on the client side; 0 or an mbedTLS error. */
static int client_one(side_t *side, uint16_t port, const char *hostname)
{
    mbedtls_net_context net;
    mbedtls_net_init(&net);
    mbedtls_ssl_context ssl;
    mbedtls_ssl_init(&ssl);
    int rc = -1;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        goto done;
    }
    nodelay(fd);
    net.fd = fd;
    rc = mbedtls_ssl_setup(&ssl, &side->conf);
    if (rc == 0) {
        rc = mbedtls_ssl_set_hostname(&ssl, hostname);
    }
    if (rc == 0) {
        mbedtls_ssl_set_bio(&ssl, &net, mbedtls_net_send, mbedtls_net_recv, NULL);
        rc = mbedtls_ssl_handshake(&ssl);
    }
    if (rc == 0) {
        rc = mbedtls_ssl_write(&ssl, (const unsigned char *)k_request, sizeof k_request - 1);
        rc = rc > 0 ? 0 : rc;
    }
    if (rc == 0) {
        unsigned char buf[256];
        rc = mbedtls_ssl_read(&ssl, buf, sizeof buf);
        rc = rc > 0 ? 0 : rc;
    }
    if (rc == 0) {
        (void)mbedtls_ssl_close_notify(&ssl);
    }
done:
    mbedtls_ssl_free(&ssl);
    mbedtls_net_free(&net);
    return rc;
}

int raw_handshakes(const raw_setup_t *s, size_t n, double *ms_out, char *err, size_t errlen)
{
    side_t server, client;
    int rc = -1, lfd = -1;
    bool thread = false;
    server_arg_t arg = {.side = &server, .n = n};
    pthread_t th;
    memset(&server, 0, sizeof server); /* side_free() is safe on both from here */
    memset(&client, 0, sizeof client);
    if (side_init(&server, MBEDTLS_SSL_IS_SERVER, s, err, errlen) != 0 ||
        side_init(&client, MBEDTLS_SSL_IS_CLIENT, s, err, errlen) != 0) {
        goto done;
    }
    lfd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof sa;
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(lfd, 16) != 0 ||
        getsockname(lfd, (struct sockaddr *)&sa, &len) != 0) {
        snprintf(err, errlen, "loopback listen failed");
        goto done;
    }
    arg.listen_fd = lfd;
    if (pthread_create(&th, NULL, server_main, &arg) != 0) {
        snprintf(err, errlen, "pthread_create failed");
        goto done;
    }
    thread = true;
    for (size_t i = 0; i < n; i++) {
        double t0 = now_ms();
        int c = client_one(&client, ntohs(sa.sin_port), s->hostname);
        ms_out[i] = now_ms() - t0;
        if (c != 0) {
            char text[160];
            mbedtls_strerror(c, text, sizeof text);
            snprintf(err, errlen, "client handshake %zu: %s", i, text);
            /* The server thread waits for n connections: let it go. */
            shutdown(lfd, SHUT_RDWR);
            goto done;
        }
    }
    rc = 0;
done:
    if (thread) {
        pthread_join(th, NULL);
        if (rc == 0 && arg.failed != 0) {
            snprintf(err, errlen, "server side failed (%d)", arg.failed);
            rc = -1;
        }
    }
    if (lfd >= 0) {
        close(lfd);
    }
    side_free(&server);
    side_free(&client);
    return rc;
}
