/* tlsrig serve: runs the controllable TLS server with one profile until
 * SIGINT/SIGTERM. First stdout line "listening 127.0.0.1:PORT", then one
 * summary line per finished connection. Exit 2 usage/profile, 3 cannot listen. */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "profile_load.h"
#include "tls_server.h"

static volatile sig_atomic_t serve_stop;

static void on_signal(int sig)
{
    (void)sig;
    serve_stop = 1;
}

static int usage(void)
{
    fprintf(stderr, "usage: tlsrig serve --profile NAME [--listen 127.0.0.1:0] [--capture DIR]\n"
                    "                    [--debug N] [--profiles-dir DIR]\n");
    return 2;
}

static const char *str_or(json_t *o, const char *key, const char *fallback)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s && *s ? s : fallback;
}

static void print_summary(json_t *v)
{
    json_t *d = json_object_get(v, "decision");
    json_t *h = json_object_get(v, "handshake");
    const char *reaction = str_or(d, "reaction", "?");
    char outcome[400];
    if (strcmp(reaction, "continue") != 0)
        snprintf(outcome, sizeof outcome, "%s (%s)", reaction, str_or(d, "reason", ""));
    else if (json_integer_value(json_object_get(h, "ret")) == 0)
        snprintf(outcome, sizeof outcome, "ok %s %s", str_or(h, "version", "?"),
                 str_or(h, "suite", "?"));
    else
        snprintf(outcome, sizeof outcome, "failed (%s)", str_or(h, "error", "?"));
    char as[16] = "-", ar[16] = "-";
    if (json_is_integer(json_object_get(v, "alert_sent")))
        snprintf(as, sizeof as, "%lld",
                 (long long)json_integer_value(json_object_get(v, "alert_sent")));
    if (json_is_integer(json_object_get(v, "alert_received")))
        snprintf(ar, sizeof ar, "%lld",
                 (long long)json_integer_value(json_object_get(v, "alert_received")));
    printf("conn %s: %s alert_sent=%s alert_received=%s in=%lld out=%lld end=%s\n",
           str_or(v, "label", "-"), outcome, as, ar,
           (long long)json_integer_value(json_object_get(v, "bytes_in")),
           (long long)json_integer_value(json_object_get(v, "bytes_out")),
           str_or(v, "tcp_end", "?"));
    fflush(stdout);
}

int cmd_serve(int argc, char **argv)
{
    const char *profile = NULL, *listen = "127.0.0.1:0", *capture = NULL, *profiles_dir = NULL;
    int debug = 0;
    /* Options come in pairs: --name value. */
    for (int i = 1; i < argc; i += 2) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage();
            return 0;
        }
        if (!val)
            return usage();
        if (strcmp(a, "--profile") == 0)
            profile = val;
        else if (strcmp(a, "--listen") == 0)
            listen = val;
        else if (strcmp(a, "--capture") == 0)
            capture = val;
        else if (strcmp(a, "--profiles-dir") == 0)
            profiles_dir = val;
        else if (strcmp(a, "--debug") == 0) {
            char *end;
            long n = strtol(val, &end, 10);
            if (*end || n < 0 || n > 4)
                return usage();
            debug = (int)n;
        } else
            return usage();
    }
    if (!profile)
        return usage();

    char dir[1024], err[512] = "";
    snprintf(dir, sizeof dir, "%s/fixtures/profiles", cli_source_dir());
    server_profile_t p;
    if (profile_load(profiles_dir ? profiles_dir : dir, profile, &p, err, sizeof err) != 0) {
        fprintf(stderr, "tlsrig serve: %s\n", err);
        return 2;
    }
    tls_server_opts_t o = {.profile = &p,
                           .listen = listen,
                           .capture_dir = capture,
                           .recipes_path = NULL, /* certs library defaults */
                           .certs_cache = NULL,
                           .debug_level = debug};
    tls_server_t *s = tls_server_start(&o, err, sizeof err);
    if (!s) {
        fprintf(stderr, "tlsrig serve: %s\n", err);
        return strncmp(err, "cannot listen", 13) == 0 ? 3 : 2;
    }

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal; /* no SA_RESTART: nothing here blocks for long */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    printf("listening 127.0.0.1:%u\n", tls_server_port(s));
    fflush(stdout);
    while (!serve_stop) {
        json_t *v = tls_server_wait_view(s, 200);
        if (v) {
            print_summary(v);
            json_decref(v);
        }
    }
    tls_server_stop(s);
    return 0;
}
