/* The first connection's capture, made ahead (server_capture.h). */
#define _POSIX_C_SOURCE 200809L
#include "server_capture.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"

static FILE *create_in(const server_capture_t *cap, const char *name)
{
    char path[SERVER_CAPTURE_PATH_LEN + 32];
    snprintf(path, sizeof path, "%s/%s", cap->dir, name);
    return fopen(path, "wb");
}

int server_capture_make(server_capture_t *cap, const char *root, const char *label)
{
    memset(cap, 0, sizeof *cap);
    char err[256];
    if (capture_make_dir(root, label, cap->dir, sizeof cap->dir, err, sizeof err) != 0)
        return -1;
    snprintf(cap->label, sizeof cap->label, "%s", label);
    cap->log = create_in(cap, "server.log");
    cap->pcap = create_in(cap, "conn.pcap");
    cap->made = true;
    return 0;
}

static void remove_in(const server_capture_t *cap, FILE *f, const char *name)
{
    if (!f)
        return;
    fclose(f);
    char path[SERVER_CAPTURE_PATH_LEN + 32];
    snprintf(path, sizeof path, "%s/%s", cap->dir, name);
    (void)unlink(path);
}

void server_capture_discard(server_capture_t *cap)
{
    if (!cap->made)
        return;
    remove_in(cap, cap->log, "server.log");
    remove_in(cap, cap->pcap, "conn.pcap");
    (void)rmdir(cap->dir); /* fails, as it should, if anything else is in it */
    memset(cap, 0, sizeof *cap);
}
