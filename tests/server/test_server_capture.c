/* Capture files per connection, label folders, and the pcap decoded by tshark. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "server_test_util.h"

static bool exists(const char *dir, const char *name)
{
    char path[2048];
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
