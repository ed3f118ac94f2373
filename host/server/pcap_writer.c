/* The pcap file format written directly (pcap-savefile(5): a 24-byte file header, then a
 * 16-byte header per packet, host byte order), not through libpcap's dumper (issue 16):
 * linking libpcap loaded D-Bus, systemd and libgcrypt into every tlsrig process, 2.9 ms of
 * each run's start on the CI machine, for four calls; and pcap_dump() reports no write error,
 * so a capture cut by a full disk went unnoticed. The tests read these files with libpcap
 * and tshark. */
#define _POSIX_C_SOURCE 200809L
#include "pcap_writer.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SEG_MAX 1460
#define IP_HDR 20
#define TCP_HDR 20

enum { TCP_FIN = 0x01, TCP_SYN = 0x02, TCP_RST = 0x04, TCP_PSH = 0x08, TCP_ACK = 0x10 };

/* One direction of the stream: its address and the next sequence number. */
typedef struct endpoint {
    uint32_t ip;
    uint16_t port;
    uint32_t seq;
    bool closed;
} endpoint_t;

#define PCAP_MAGIC_US 0xa1b2c3d4u /* microsecond timestamps */
#define LINKTYPE_RAW 101u         /* raw IPv4/IPv6: what libpcap writes for DLT_RAW */
#define SNAPLEN 65535u

struct pcap_writer {
    FILE *f;
    bool failed; /* a write failed: pcapw_close says so */
    endpoint_t client;
    endpoint_t server;
    uint16_t ip_id;
};

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static uint32_t sum16(uint32_t acc, const uint8_t *p, size_t len)
{
    for (size_t i = 0; i + 1 < len; i += 2)
        acc += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (len & 1)
        acc += (uint32_t)(p[len - 1] << 8);
    return acc;
}

static uint16_t fold(uint32_t acc)
{
    while (acc >> 16)
        acc = (acc & 0xffff) + (acc >> 16);
    return (uint16_t)~acc;
}

/* Emits one IPv4/TCP packet from `from` to `to` with the current time. */
static void emit(pcap_writer_t *w, endpoint_t *from, endpoint_t *to, uint8_t flags,
                 const uint8_t *data, size_t len)
{
    uint8_t pkt[IP_HDR + TCP_HDR + SEG_MAX];
    size_t total = IP_HDR + TCP_HDR + len;
    memset(pkt, 0, IP_HDR + TCP_HDR);

    uint8_t *ip = pkt;
    ip[0] = 0x45;
    put16(ip + 2, (uint16_t)total);
    put16(ip + 4, w->ip_id++);
    put16(ip + 6, 0x4000); /* don't fragment */
    ip[8] = 64;
    ip[9] = 6; /* TCP */
    put32(ip + 12, from->ip);
    put32(ip + 16, to->ip);
    put16(ip + 10, fold(sum16(0, ip, IP_HDR)));

    uint8_t *tcp = pkt + IP_HDR;
    put16(tcp, from->port);
    put16(tcp + 2, to->port);
    put32(tcp + 4, from->seq);
    put32(tcp + 8, (flags & TCP_ACK) ? to->seq : 0);
    tcp[12] = (TCP_HDR / 4) << 4;
    tcp[13] = flags;
    put16(tcp + 14, 65535);
    if (len)
        memcpy(tcp + TCP_HDR, data, len);

    /* Checksum over the pseudo-header, then the segment. */
    uint8_t pseudo[12];
    memcpy(pseudo, ip + 12, 8);
    pseudo[8] = 0;
    pseudo[9] = 6;
    put16(pseudo + 10, (uint16_t)(TCP_HDR + len));
    put16(tcp + 16, fold(sum16(sum16(0, pseudo, sizeof pseudo), tcp, TCP_HDR + len)));

    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint32_t h[4] = {(uint32_t)ts.tv_sec, (uint32_t)(ts.tv_nsec / 1000), (uint32_t)total,
                     (uint32_t)total};
    if (fwrite(h, sizeof h, 1, w->f) != 1 || fwrite(pkt, total, 1, w->f) != 1)
        w->failed = true;

    from->seq += (uint32_t)len;
    if (flags & (TCP_SYN | TCP_FIN))
        from->seq += 1;
}

pcap_writer_t *pcapw_open(const char *path, uint32_t client_ip, uint16_t client_port,
                          uint32_t server_ip, uint16_t server_port, char *err, size_t errlen)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    return pcapw_open_stream(f, client_ip, client_port, server_ip, server_port, err, errlen);
}

pcap_writer_t *pcapw_open_stream(FILE *f, uint32_t client_ip, uint16_t client_port,
                                 uint32_t server_ip, uint16_t server_port, char *err, size_t errlen)
{
    pcap_writer_t *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, errlen, "out of memory");
        fclose(f);
        return NULL;
    }
    w->f = f;
    /* magic, version 2.4, GMT offset 0, accuracy 0, snapshot length, link type */
    uint32_t file_header[6] = {PCAP_MAGIC_US, 0 /* version */, 0, 0, SNAPLEN, LINKTYPE_RAW};
    const uint16_t version[2] = {2, 4}; /* major, minor: two 16-bit fields */
    memcpy(&file_header[1], version, sizeof version);
    if (fwrite(file_header, sizeof file_header, 1, w->f) != 1)
        w->failed = true;
    w->client = (endpoint_t){.ip = client_ip, .port = client_port, .seq = 0x1000};
    w->server = (endpoint_t){.ip = server_ip, .port = server_port, .seq = 0x8000};
    emit(w, &w->client, &w->server, TCP_SYN, NULL, 0);
    emit(w, &w->server, &w->client, TCP_SYN | TCP_ACK, NULL, 0);
    emit(w, &w->client, &w->server, TCP_ACK, NULL, 0);
    return w;
}

void pcapw_data(pcap_writer_t *w, bool from_client, const uint8_t *data, size_t len)
{
    if (!w)
        return;
    endpoint_t *from = from_client ? &w->client : &w->server;
    endpoint_t *to = from_client ? &w->server : &w->client;
    while (len > 0) {
        size_t n = len > SEG_MAX ? SEG_MAX : len;
        emit(w, from, to, TCP_ACK | TCP_PSH, data, n);
        data += n;
        len -= n;
    }
}

void pcapw_fin(pcap_writer_t *w, bool from_client)
{
    if (!w)
        return;
    endpoint_t *from = from_client ? &w->client : &w->server;
    endpoint_t *to = from_client ? &w->server : &w->client;
    if (from->closed)
        return;
    emit(w, from, to, TCP_FIN | TCP_ACK, NULL, 0);
    from->closed = true;
}

void pcapw_rst(pcap_writer_t *w, bool from_client)
{
    if (!w)
        return;
    endpoint_t *from = from_client ? &w->client : &w->server;
    endpoint_t *to = from_client ? &w->server : &w->client;
    emit(w, from, to, TCP_RST | TCP_ACK, NULL, 0);
    w->client.closed = w->server.closed = true;
}

int pcapw_close(pcap_writer_t *w)
{
    if (!w)
        return 0;
    bool failed = w->failed | (ferror(w->f) != 0);
    failed |= fclose(w->f) != 0;
    free(w);
    return failed ? -1 : 0;
}
