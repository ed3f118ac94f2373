/* A wolfSSL 5.7.2 TLS client that records wolfSSL's debug log: every line wolfSSL passes to
 * its logging callback (wolfSSL_SetLoggingCb) is written to --log as is, one line per call, the
 * way the wolfSSL agent sends them on the LOG channel. Used to record the golden logs of
 * fixtures/wolfssl-logs against the rig's own server (record.sh).
 *
 *   record_client --port N --ca ROOT.pem --log FILE [--sni NAME] [--ciphers LIST] [--tls12]
 *
 * Exit 0: handshake completed; 1: handshake failed (the log says why); 2: usage; 3: the
 * client itself failed (CA file, socket, log file). */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <wolfssl/wolfcrypt/settings.h>
#include <wolfssl/ssl.h>
#include <wolfssl/wolfcrypt/logging.h>

static FILE *log_file;
static int log_failed;

static void log_line(const int level, const char *const msg)
{
    (void)level;
    if (!log_file || fputs(msg, log_file) == EOF || fputc('\n', log_file) == EOF)
        log_failed = 1;
}

static unsigned char *read_file(const char *path, long *len)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) != 0 || (*len = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET) != 0)
        goto exit;
    buf = malloc((size_t)*len);
    if (buf && fread(buf, 1, (size_t)*len, f) != (size_t)*len) {
        free(buf);
        buf = NULL;
    }
exit:
    fclose(f);
    return buf;
}

static int connect_loopback(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    struct timeval tv = {.tv_sec = 10};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

int main(int argc, char **argv)
{
    const char *ca = NULL, *log_path = NULL, *sni = NULL, *ciphers = NULL;
    int port = 0, tls12 = 0;
    for (int i = 1; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(argv[i], "--tls12") == 0)
            tls12 = 1;
        else if (strcmp(argv[i], "--port") == 0 && v && (port = atoi(v)) > 0 && port < 65536)
            i++;
        else if (strcmp(argv[i], "--ca") == 0 && v)
            ca = argv[++i];
        else if (strcmp(argv[i], "--log") == 0 && v)
            log_path = argv[++i];
        else if (strcmp(argv[i], "--sni") == 0 && v)
            sni = argv[++i];
        else if (strcmp(argv[i], "--ciphers") == 0 && v)
            ciphers = argv[++i];
        else {
            fprintf(stderr, "usage: record_client --port N --ca ROOT.pem --log FILE [--sni NAME] "
                            "[--ciphers LIST] [--tls12]\n");
            return 2;
        }
    }
    if (!port || !ca || !log_path) {
        fprintf(stderr, "record_client: --port, --ca and --log are required\n");
        return 2;
    }
    int rc = 3, fd = -1;
    long ca_len = 0;
    unsigned char *ca_pem = read_file(ca, &ca_len);
    WOLFSSL_CTX *ctx = NULL;
    WOLFSSL *ssl = NULL;
    log_file = fopen(log_path, "w");
    if (!ca_pem || !log_file) {
        fprintf(stderr, "record_client: cannot read %s or write %s\n", ca, log_path);
        goto exit;
    }
    wolfSSL_SetLoggingCb(log_line);
    wolfSSL_Debugging_ON();
    wolfSSL_Init();
    ctx = wolfSSL_CTX_new(tls12 ? wolfTLSv1_2_client_method() : wolfSSLv23_client_method());
    if (!ctx ||
        wolfSSL_CTX_load_verify_buffer(ctx, ca_pem, ca_len, WOLFSSL_FILETYPE_PEM) !=
            WOLFSSL_SUCCESS ||
        (ciphers && wolfSSL_CTX_set_cipher_list(ctx, ciphers) != WOLFSSL_SUCCESS)) {
        fprintf(stderr, "record_client: context setup failed (CA %s, ciphers %s)\n", ca,
                ciphers ? ciphers : "default");
        goto exit;
    }
    if ((fd = connect_loopback(port)) < 0 || !(ssl = wolfSSL_new(ctx)) ||
        wolfSSL_set_fd(ssl, fd) != WOLFSSL_SUCCESS) {
        fprintf(stderr, "record_client: cannot connect to 127.0.0.1:%d\n", port);
        goto exit;
    }
#ifdef HAVE_SNI
    if (sni && wolfSSL_UseSNI(ssl, WOLFSSL_SNI_HOST_NAME, sni, (unsigned short)strlen(sni)) !=
                   WOLFSSL_SUCCESS) {
        fprintf(stderr, "record_client: wolfSSL_UseSNI failed\n");
        goto exit;
    }
#else
    (void)sni;
#endif
    int ret = wolfSSL_connect(ssl);
    if (ret == WOLFSSL_SUCCESS) {
        printf("handshake ok: %s %s\n", wolfSSL_get_version(ssl), wolfSSL_get_cipher(ssl));
        wolfSSL_shutdown(ssl);
        rc = 0;
    } else {
        printf("handshake failed: wolfSSL_get_error %d\n", wolfSSL_get_error(ssl, ret));
        rc = 1;
    }
exit:
    wolfSSL_free(ssl);
    wolfSSL_CTX_free(ctx);
    wolfSSL_Cleanup();
    if (fd >= 0)
        close(fd);
    free(ca_pem);
    if (log_file && fclose(log_file) != 0)
        log_failed = 1;
    if (log_failed) {
        fprintf(stderr, "record_client: writing %s failed\n", log_path);
        rc = 3;
    }
    return rc;
}
