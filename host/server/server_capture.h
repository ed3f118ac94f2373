/* A connection's capture made before the connection comes (issue 16). The accept thread
 * makes the first connection's folder, server.log and conn.pcap while it waits for it, so
 * these three file creations (each dearer on a file system with many recent deletions: ext4
 * without a journal skips over every recently deleted inode) are paid neither between the
 * client's hello and the server's answer nor on the host thread that relays them. A capture
 * that no connection took is removed when the server stops. */
#ifndef TLSRIG_SERVER_CAPTURE_H
#define TLSRIG_SERVER_CAPTURE_H

#include <stdbool.h>
#include <stdio.h>

#define SERVER_CAPTURE_LABEL_LEN 128
#define SERVER_CAPTURE_PATH_LEN 1024

typedef struct server_capture {
    bool made; /* the folder exists and nothing took it yet */
    char label[SERVER_CAPTURE_LABEL_LEN];
    char dir[SERVER_CAPTURE_PATH_LEN];
    FILE *log;  /* server.log; NULL when it could not be created */
    FILE *pcap; /* conn.pcap, still empty; NULL when it could not be created */
} server_capture_t;

/* Makes root/<label> (label-2, ... when taken, as capture_make_dir) with its two empty
 * files. 0 when the folder was made (a file that could not be created stays NULL: the
 * connection names it in its view's capture_errors), -1 when not: the connection then
 * makes its capture itself. */
int server_capture_make(server_capture_t *cap, const char *root, const char *label);
/* Closes and removes what server_capture_make made, when nothing took it. */
void server_capture_discard(server_capture_t *cap);

#endif
