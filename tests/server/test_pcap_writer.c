/* issue 16: conn.pcap is written without libpcap's dumper (pcap_writer.c); libpcap itself
 * must read it back: the link type, every packet and its length, and the file header byte
 * for byte as libpcap's own dumper writes it. A write that fails must be reported. */
#define _DEFAULT_SOURCE /* libpcap's headers use the BSD u_char types */
#include <criterion/criterion.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pcap_writer.h"

static char g_path[256];

static void make_path(void)
{
    snprintf(g_path, sizeof g_path, "/tmp/tlsrig-pcapw-XXXXXX");
    int fd = mkstemp(g_path);
    cr_assert_geq(fd, 0);
    close(fd);
}

static void remove_path(void)
{
    (void)unlink(g_path);
}

TestSuite(pcap_writer, .init = make_path, .fini = remove_path);

Test(pcap_writer, libpcap_reads_every_packet_of_a_connection)
{
    char err[256];
    pcap_writer_t *w = pcapw_open(g_path, 0x7f000001, 50000, 0x7f000001, 443, err, sizeof err);
    cr_assert_not_null(w, "%s", err);
    uint8_t hello[100], flight[3000];
    memset(hello, 0x16, sizeof hello);
    memset(flight, 0x17, sizeof flight);
    pcapw_data(w, true, hello, sizeof hello);
    pcapw_data(w, false, flight, sizeof flight); /* 1460 + 1460 + 80 */
    pcapw_fin(w, true);
    cr_assert_eq(pcapw_close(w), 0);

    char perr[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline(g_path, perr);
    cr_assert_not_null(p, "%s", perr);
    cr_assert_eq(pcap_datalink(p), DLT_RAW);
    cr_assert_eq(pcap_snapshot(p), 65535);
    /* SYN, SYN-ACK, ACK, the hello, three segments, FIN: IPv4 + TCP headers are 40 bytes */
    const unsigned want[] = {40, 40, 40, 140, 1500, 1500, 120, 40};
    struct pcap_pkthdr *h;
    const u_char *data;
    size_t n = 0;
    while (pcap_next_ex(p, &h, &data) == 1) {
        cr_assert_lt(n, sizeof want / sizeof want[0], "more packets than written");
        cr_assert_eq(h->caplen, want[n], "packet %zu: %u bytes", n, h->caplen);
        cr_assert_eq(h->len, h->caplen);
        cr_assert_eq(data[0], 0x45, "packet %zu is not IPv4", n);
        n++;
    }
    cr_assert_eq(n, sizeof want / sizeof want[0]);
    pcap_close(p);
}

Test(pcap_writer, the_file_header_is_libpcaps_own)
{
    char err[256], theirs[300];
    pcap_writer_t *w = pcapw_open(g_path, 1, 2, 3, 4, err, sizeof err);
    cr_assert_not_null(w, "%s", err);
    cr_assert_eq(pcapw_close(w), 0);
    snprintf(theirs, sizeof theirs, "%s.libpcap", g_path);
    pcap_t *dead = pcap_open_dead(DLT_RAW, 65535);
    cr_assert_not_null(dead);
    pcap_dumper_t *d = pcap_dump_open(dead, theirs);
    cr_assert_not_null(d);
    pcap_dump_close(d);
    pcap_close(dead);
    uint8_t a[24], b[24];
    FILE *fa = fopen(g_path, "rb"), *fb = fopen(theirs, "rb");
    cr_assert(fa && fb);
    cr_assert_eq(fread(a, 1, sizeof a, fa), sizeof a);
    cr_assert_eq(fread(b, 1, sizeof b, fb), sizeof b);
    fclose(fa);
    fclose(fb);
    unlink(theirs);
    cr_assert_arr_eq(a, b, sizeof a);
}

Test(pcap_writer, a_failed_write_is_reported_at_close)
{
    char err[256];
    pcap_writer_t *w = pcapw_open("/dev/full", 1, 2, 3, 4, err, sizeof err);
    cr_assert_not_null(w, "%s", err);
    uint8_t data[1000] = {0};
    pcapw_data(w, true, data, sizeof data);
    cr_assert_eq(pcapw_close(w), -1);
}

Test(pcap_writer, an_unwritable_path_is_an_error_at_open)
{
    char err[256] = "";
    cr_assert_null(pcapw_open("/nonexistent-dir/conn.pcap", 1, 2, 3, 4, err, sizeof err));
    cr_assert_neq(strstr(err, "/nonexistent-dir/conn.pcap"), NULL, "%s", err);
}
