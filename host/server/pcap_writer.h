/* Writes one TCP connection as a pcap file (DLT_RAW, IPv4) from what the
 * server saw on its socket: synthesized SYN/SYN-ACK/ACK, data segments with
 * real seq/ack numbers and checksums, FIN or RST as they happened. Lets
 * tshark/Wireshark decode the TLS exchange without needing a live capture. */
#ifndef TLSRIG_PCAP_WRITER_H
#define TLSRIG_PCAP_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct pcap_writer pcap_writer_t;

/* Addresses and ports in host byte order. Writes the three-way handshake. */
pcap_writer_t *pcapw_open(const char *path, uint32_t client_ip, uint16_t client_port,
                          uint32_t server_ip, uint16_t server_port, char *err, size_t errlen);
/* The same on a file already open for writing (an empty one: the capture made before the
 * connection came, server_capture.h); takes it over, closes it on failure too. */
pcap_writer_t *pcapw_open_stream(FILE *f, uint32_t client_ip, uint16_t client_port,
                                 uint32_t server_ip, uint16_t server_port, char *err,
                                 size_t errlen);
/* Payload bytes sent by one side; split into segments of at most 1460 bytes. */
void pcapw_data(pcap_writer_t *w, bool from_client, const uint8_t *data, size_t len);
void pcapw_fin(pcap_writer_t *w, bool from_client);
void pcapw_rst(pcap_writer_t *w, bool from_client);
/* Flushes and frees; NULL is accepted. -1 when any write of the file failed. */
int pcapw_close(pcap_writer_t *w);

#endif
