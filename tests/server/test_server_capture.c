/* Capture files per connection, label folders, and the pcap decoded by tshark. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "server_test_util.h"

static bool exists(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    struct stat st;
    return stat(path, &st) == 0 && st.st_size > 0;
}

Test(server_capture, files_labels_and_pcap)
{
    server_profile_t p;
    stu_default_profile(&p);
    tls_server_t *s = stu_start(&p, "capture");
    tls_server_set_label(s, "T01/happy path");
    char dirs[2][1024];
    for (int i = 0; i < 2; i++) {
        char *out = stu_run("openssl s_client -connect 127.0.0.1:%u -servername rig.test "
                            "</dev/null",
                            tls_server_port(s));
        free(out);
        json_t *v = stu_view(s);
        const char *dir = json_string_value(json_object_get(v, "capture_dir"));
        cr_assert_not_null(dir);
        snprintf(dirs[i], sizeof dirs[i], "%s", dir);
        cr_expect_str_eq(json_string_value(json_object_get(v, "label")), "T01/happy path");
        cr_expect_lt(json_integer_value(json_object_get(v, "started_us")),
                     json_integer_value(json_object_get(v, "ended_us")));
        json_decref(v);
    }
    /* The label is made safe, the second connection gets a -2 suffix. */
    char root[1024];
    stu_capture_root("capture", root, sizeof root);
    char want[2048];
    snprintf(want, sizeof want, "%s/T01_happy_path", root);
    cr_expect_str_eq(dirs[0], want);
    snprintf(want, sizeof want, "%s/T01_happy_path-2", root);
    cr_expect_str_eq(dirs[1], want);
    const char *files[] = {"clienthello.bin", "clienthello.json", "server.log", "view.json",
                           "conn.pcap"};
    for (size_t i = 0; i < 5; i++)
        cr_expect(exists(dirs[0], files[i]), "%s missing in %s", files[i], dirs[0]);

    char *hello = stu_run("tshark -r %s/conn.pcap -Y tls.handshake.type==1 -T fields "
                          "-e tls.handshake.extensions_server_name 2>/dev/null",
                          dirs[0]);
    cr_expect(strstr(hello, "rig.test") != NULL, "tshark: %s", hello);
    free(hello);
    char *all = stu_run("tshark -r %s/conn.pcap -Y tls -T fields -e tls.handshake.type 2>/dev/null",
                        dirs[0]);
    cr_expect(strstr(all, "2") != NULL && strstr(all, "11") != NULL, "tshark: %s", all);
    free(all);
    char *bad = stu_run("tshark -r %s/conn.pcap -Y \"tcp.analysis.flags || "
                        "tcp.checksum.status==0\" -o tcp.check_checksum:TRUE 2>/dev/null",
                        dirs[0]);
    cr_expect_eq(strlen(bad), 0, "tshark found TCP problems: %s", bad);
    free(bad);
    tls_server_stop(s);
}

Test(server_capture, refusal_is_captured_with_reason)
{
    server_profile_t p;
    stu_default_profile(&p);
    snprintf(p.sni_allow[0], sizeof p.sni_allow[0], "www.google.com");
    p.n_sni_allow = 1;
    p.on_sni_missing = (reaction_t){.kind = REACT_ALERT, .alert = 40};
    p.on_sni_unlisted = p.on_sni_missing;
    tls_server_t *s = stu_start(&p, "refusal");
    tls_server_set_label(s, "sni");
    char *out = stu_run("openssl s_client -connect 127.0.0.1:%u -noservername </dev/null",
                        tls_server_port(s));
    cr_expect(strstr(out, "alert handshake failure") != NULL, "openssl: %s", out);
    free(out);
    json_t *v = stu_view(s);
    cr_expect_eq(json_integer_value(json_object_get(v, "alert_sent")), 40);
    const char *dir = json_string_value(json_object_get(v, "capture_dir"));
    char *alert = stu_run("tshark -r %s/conn.pcap -Y tls.alert_message.desc==40 2>/dev/null", dir);
    cr_expect_neq(strlen(alert), 0, "alert not in the pcap");
    free(alert);
    char *log = stu_run("cat %s/server.log", dir);
    cr_expect(strstr(log, "reaction alert") != NULL, "server.log: %s", log);
    free(log);
    json_decref(v);
    tls_server_stop(s);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in dir, sorted, each followed by a space ("" when it does not exist). */
static void list_dir(const char *dir, char *out, size_t cap)
{
    char *names[64];
    size_t n = 0;
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d)) != NULL && n < 64;) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            names[n++] = strdup(e->d_name);
    }
    if (d)
        closedir(d);
    qsort(names, n, sizeof names[0], cmp_names);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(out);
        snprintf(out + len, cap - len, "%s ", names[i]);
        free(names[i]);
    }
}

Test(server_capture, streams_only_writes_pcap_and_log_and_the_view_keeps_the_hello)
{
    server_profile_t p;
    stu_default_profile(&p);
    tls_server_t *s = stu_start_labelled(&p, "streams", "S01", true);
    char *out = stu_run("openssl s_client -connect 127.0.0.1:%u -servername rig.test </dev/null",
                        tls_server_port(s));
    free(out);
    json_t *v = stu_view(s);
    const char *dir = json_string_value(json_object_get(v, "capture_dir"));
    cr_assert_not_null(dir);
    char root[1024], want[2048], names[4096];
    stu_capture_root("streams", root, sizeof root);
    snprintf(want, sizeof want, "%s/S01", root);
    cr_expect_str_eq(dir, want);
    /* What the files would have held is in the view, which the caller keeps. */
    const char *hex = json_string_value(json_object_get(v, "clienthello_hex"));
    cr_expect(hex && strncmp(hex, "16030", 5) == 0, "clienthello_hex: %s", hex ? hex : "null");
    cr_expect(json_is_object(json_object_get(v, "clienthello")));
    cr_expect_null(json_object_get(v, "capture_errors"));
    tls_server_stop(s);
    list_dir(want, names, sizeof names);
    cr_expect_str_eq(names, "conn.pcap server.log ");
    cr_expect(exists(want, "conn.pcap") && exists(want, "server.log"));
    char *hello = stu_run("tshark -r %s/conn.pcap -Y tls.handshake.type==1 -T fields "
                          "-e tls.handshake.extensions_server_name 2>/dev/null",
                          want);
    cr_expect(strstr(hello, "rig.test") != NULL, "tshark: %s", hello);
    free(hello);
    json_decref(v);
}

/* The capture folder is made when the connection ends (or has lasted 50 ms), named by the
 * label the connection had: none for a server no client reached, none for a label that no
 * connection had. */
Test(server_capture, folders_only_for_connections_under_their_label)
{
    server_profile_t p;
    stu_default_profile(&p);
    char root[1024], names[4096];
    stu_capture_root("ahead", root, sizeof root);
    tls_server_t *s = stu_start_labelled(&p, "ahead", "never", true);
    tls_server_stop(s);
    list_dir(root, names, sizeof names);
    cr_expect_str_eq(names, "");

    s = stu_start_labelled(&p, "ahead", "first", false);
    tls_server_set_label(s, "second");
    char *out = stu_run("openssl s_client -connect 127.0.0.1:%u -servername rig.test </dev/null",
                        tls_server_port(s));
    free(out);
    json_t *v = stu_view(s);
    char want[2048];
    snprintf(want, sizeof want, "%s/second", root);
    cr_expect_str_eq(json_string_value(json_object_get(v, "capture_dir")), want);
    json_decref(v);
    tls_server_stop(s);
    list_dir(root, names, sizeof names);
    cr_expect_str_eq(names, "second ");
    list_dir(want, names, sizeof names);
    cr_expect_str_eq(names, "clienthello.bin clienthello.json conn.pcap server.log view.json ");
}

/* A connection that lasts has its capture on disk while it lasts, with what it holds so
 * far (deferred_file.h: the files are made once it has lasted 50 ms). */
Test(server_capture, a_long_connection_is_on_disk_before_it_ends)
{
    server_profile_t p;
    stu_default_profile(&p);
    tls_server_t *s = stu_start_labelled(&p, "long", "L01", true);
    int fd = stu_connect(tls_server_port(s));
    cr_assert_geq(fd, 0);
    char root[1024], want[2048], log[4096];
    stu_capture_root("long", root, sizeof root);
    snprintf(want, sizeof want, "%s/L01", root);
    snprintf(log, sizeof log, "%s/server.log", want);
    /* The server waits up to 5 s for a ClientHello that never comes: the files appear
     * within that. inotify says when something in the folder changed; 4 s at most. */
    int in = inotify_init1(IN_CLOEXEC);
    cr_assert_geq(in, 0);
    char *mk = stu_run("mkdir -p %s", root);
    free(mk);
    cr_assert_geq(inotify_add_watch(in, root, IN_CREATE | IN_MODIFY), 0);
    bool there = false;
    for (int rounds = 0; rounds < 1000 && !there; rounds++) {
        struct stat st;
        if (stat(want, &st) == 0)
            (void)inotify_add_watch(in, want, IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE);
        there = stat(log, &st) == 0 && st.st_size > 0;
        struct pollfd pf = {.fd = in, .events = POLLIN};
        if (!there && poll(&pf, 1, 4000) != 1)
            break; /* nothing happened for 4 s */
        char ev[4096];
        if (!there)
            (void)read(in, ev, sizeof ev);
    }
    close(in);
    cr_expect(there, "%s not on disk while the connection lasts", log);
    char names[4096];
    list_dir(want, names, sizeof names);
    cr_expect_str_eq(names, "conn.pcap server.log ");
    close(fd);
    json_t *v = stu_view(s);
    cr_expect_str_eq(json_string_value(json_object_get(v, "capture_dir")), want);
    cr_expect_null(json_object_get(v, "capture_errors"));
    json_decref(v);
    tls_server_stop(s);
    char *text = stu_run("cat %s", log);
    cr_expect(strstr(text, "connection from") != NULL, "server.log: %s", text);
    free(text);
}

/* A capture that cannot be made (here its root is a file) is named in the view, not lost in
 * silence; the handshake itself is served. */
Test(server_capture, a_capture_that_cannot_be_made_is_named_in_the_view)
{
    server_profile_t p;
    stu_default_profile(&p);
    char root[1024];
    stu_capture_root("blocked", root, sizeof root);
    char *mk = stu_run("mkdir -p \"$(dirname %s)\" && : > %s", root, root);
    free(mk);
    struct stat st;
    cr_assert(stat(root, &st) == 0 && S_ISREG(st.st_mode), "%s is a file", root);
    tls_server_t *s = stu_start_labelled(&p, "blocked", "B01", true);
    char *out = stu_run("openssl s_client -connect 127.0.0.1:%u -servername rig.test </dev/null",
                        tls_server_port(s));
    free(out);
    json_t *v = stu_view(s);
    cr_expect(json_is_null(json_object_get(v, "capture_dir")));
    char *lost = json_dumps(json_object_get(v, "capture_errors"), JSON_COMPACT);
    cr_expect_str_eq(lost ? lost : "", "[\"conn.pcap\",\"server.log\"]");
    free(lost);
    /* the first one's reason: the folder's mkdir under a file */
    const char *why = json_string_value(json_object_get(v, "capture_error"));
    cr_expect(why && strstr(why, "conn.pcap: ") == why && strstr(why, "Not a directory"),
              "capture_error: %s", why ? why : "null");
    json_t *hs = json_object_get(v, "handshake");
    cr_expect(json_is_object(hs) && json_integer_value(json_object_get(hs, "ret")) == 0,
              "the handshake is served without its capture");
    json_decref(v);
    tls_server_stop(s);
    unlink(root);
}

/* The content types of the TLS records in the server's first data segment of conn.pcap
 * (one segment per send), for a handshake with openssl under profile p. */
static char *first_server_segment(const server_profile_t *p, const char *sub)
{
    tls_server_t *s = stu_start_labelled(p, sub, "F01", true);
    char *out = stu_run("openssl s_client -connect 127.0.0.1:%u </dev/null", tls_server_port(s));
    free(out);
    json_t *v = stu_view(s);
    tls_server_stop(s);
    char *seg = stu_run("tshark -r %s/conn.pcap -Y \"tcp.srcport==443 && tcp.len>0\" -T fields "
                        "-e tls.record.content_type 2>/dev/null | head -n 1",
                        json_string_value(json_object_get(v, "capture_dir")));
    json_decref(v);
    return seg;
}

/* Without impairments a flight leaves in one send (ServerHello, Certificate,
 * ServerKeyExchange, ServerHelloDone: four records, one segment), as most TLS servers send
 * it; with any impairment each record goes as mbedTLS wrote it, so an impairment acts on the
 * records and segments a client would otherwise have seen. */
Test(server_capture, a_flight_is_one_segment_unless_impaired)
{
    server_profile_t p;
    stu_default_profile(&p);
    char *seg = first_server_segment(&p, "flight-plain");
    cr_expect_str_eq(seg, "22,22,22,22\n", "first server segment: %s", seg);
    free(seg);
    /* an impairment that changes nothing of this handshake (there is no record 1000) */
    p.impairments[0] = (impairment_t){.kind = IMPAIR_CORRUPT_RECORD, .record = 1000, .bytes = 1};
    p.n_impairments = 1;
    seg = first_server_segment(&p, "flight-impaired");
    cr_expect_str_eq(seg, "22\n", "first server segment: %s", seg);
    free(seg);
}
