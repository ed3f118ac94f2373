#define _POSIX_C_SOURCE 200809L
#include "impair.h"

#include <stdio.h>
#include <string.h>

#define REC_HDR 5
#define CT_CCS 20
#define CT_ALERT 21
#define CT_HANDSHAKE 22

static const impairment_t *find(const impair_state_t *st, impair_kind_t kind)
{
    for (size_t i = 0; i < st->n; i++)
        if (st->list[i].kind == kind)
            return &st->list[i];
    return NULL;
}

static void note(impair_state_t *st, const char *what)
{
    size_t used = strlen(st->applied);
    snprintf(st->applied + used, sizeof st->applied - used, "%s%s", used ? "; " : "", what);
}

void impair_init(impair_state_t *st, const impairment_t *list, size_t n, impair_io_t io)
{
    memset(st, 0, sizeof *st);
    st->list = list;
    st->n = n;
    st->io = io;
    st->alert_sent = -1;
}

void impair_peer_spoke(impair_state_t *st)
{
    st->peer_spoke = true;
}

size_t impair_chunk_size(const impair_state_t *st)
{
    const impairment_t *chunk = find(st, IMPAIR_WRITE_CHUNK);
    return chunk && chunk->bytes ? chunk->bytes : 0;
}

/* Writes to the socket, cut into TCP writes of the configured size. */
static int write_chunked(impair_state_t *st, const uint8_t *data, size_t len)
{
    size_t chunk = impair_chunk_size(st);
    if (chunk == 0)
        chunk = len;
    while (len > 0) {
        size_t n = len < chunk ? len : chunk;
        if (st->io.write_raw(st->io.ctx, data, n) < 0)
            return -1;
        data += n;
        len -= n;
    }
    return 0;
}

/* Feeds plaintext handshake bytes through the message tracker; appends the
 * types of messages that end in this record to `done`. */
static size_t track_handshake(impair_state_t *st, const uint8_t *p, size_t len, uint8_t *done,
                              size_t done_max)
{
    size_t n_done = 0;
    while (len > 0) {
        if (st->hs_left == 0 && st->hs_hdr_len < 4) {
            st->hs_hdr[st->hs_hdr_len++] = *p++;
            len--;
            if (st->hs_hdr_len == 4) {
                st->hs_left =
                    (uint32_t)st->hs_hdr[1] << 16 | (uint32_t)st->hs_hdr[2] << 8 | st->hs_hdr[3];
                if (st->hs_left == 0 && n_done < done_max) {
                    done[n_done++] = st->hs_hdr[0];
                    st->hs_hdr_len = 0;
                }
            }
            continue;
        }
        size_t take = len < st->hs_left ? len : st->hs_left;
        st->hs_left -= (uint32_t)take;
        p += take;
        len -= take;
        if (st->hs_left == 0) {
            if (n_done < done_max)
                done[n_done++] = st->hs_hdr[0];
            st->hs_hdr_len = 0;
        }
    }
    return n_done;
}

/* Emits a plaintext handshake record as several records of `size` payload. */
static int write_split(impair_state_t *st, const uint8_t *rec, size_t plen, size_t size)
{
    uint8_t out[REC_HDR + 16384];
    for (size_t off = 0; off < plen; off += size) {
        size_t n = plen - off < size ? plen - off : size;
        memcpy(out, rec, 3);
        out[3] = (uint8_t)(n >> 8);
        out[4] = (uint8_t)n;
        memcpy(out + REC_HDR, rec + REC_HDR + off, n);
        if (write_chunked(st, out, REC_HDR + n) < 0)
            return -1;
    }
    return 0;
}

/* RFC 8446 4.1.3: a TLS 1.3 server that negotiates TLS 1.2 ends its
 * ServerHello.random with "DOWNGRD" 01. Written over a whole ServerHello at
 * the start of a plaintext record (mbedTLS writes it so): type 2, then
 * version (2) and random (32) at offset 4. Only the first: the profile
 * that uses it negotiates TLS 1.2 (a 1.3 ServerHello would just break the
 * transcript). */
static void write_sentinel(impair_state_t *st, uint8_t *rec, size_t plen, bool hs_at_start)
{
    static const uint8_t sentinel[8] = {0x44, 0x4F, 0x57, 0x4E, 0x47, 0x52, 0x44, 0x01};
    uint8_t *m = rec + REC_HDR;
    if (st->sentinel_written || !hs_at_start || plen < 4 + 2 + 32 || m[0] != 2)
        return;
    memcpy(m + 4 + 2 + 32 - 8, sentinel, sizeof sentinel);
    st->sentinel_written = true;
    note(st, "downgrade sentinel in ServerHello.random");
}

static int process_record(impair_state_t *st, uint8_t *rec, size_t plen)
{
    uint8_t type = rec[0];
    uint32_t rec_no = ++st->records_sent;
    char what[96];

    if (st->peer_spoke) {
        st->peer_spoke = false;
        st->flight++;
        for (size_t i = 0; i < st->n; i++) {
            const impairment_t *im = &st->list[i];
            if (im->kind == IMPAIR_DELAY_BEFORE_FLIGHT && im->flight == st->flight) {
                snprintf(what, sizeof what, "delay %u ms before flight %u", im->delay_ms,
                         st->flight);
                note(st, what);
                /* Not a sleep: a client that gave up (its read timeout) or
                 * a server stopping ends the delay, and the connection. */
                uint32_t waited = 0;
                const char *why = "";
                if (st->io.pause(st->io.ctx, im->delay_ms, &waited, &why) != 0) {
                    snprintf(what, sizeof what, "delay cut short after %u ms: %s", waited, why);
                    note(st, what);
                    st->aborted = true;
                    return -1;
                }
            }
        }
    }

    uint8_t done[64];
    size_t n_done = 0;
    bool hs_at_start = st->hs_left == 0 && st->hs_hdr_len == 0;
    if (type == CT_HANDSHAKE && !st->ccs_sent)
        n_done = track_handshake(st, rec + REC_HDR, plen, done, sizeof done);
    else if (type == CT_HANDSHAKE)
        done[n_done++] = 20; /* the encrypted Finished */
    else if (type == CT_CCS)
        st->ccs_sent = true;
    else if (type == CT_ALERT && !st->ccs_sent && plen >= 2)
        st->alert_sent = rec[REC_HDR + 1];

    /* Before the tracker moves on: does this record start with a ServerHello? */
    if (type == CT_HANDSHAKE && !st->ccs_sent && find(st, IMPAIR_DOWNGRADE_SENTINEL))
        write_sentinel(st, rec, plen, hs_at_start);

    const impairment_t *corrupt = find(st, IMPAIR_CORRUPT_RECORD);
    if (corrupt && corrupt->record == rec_no && plen > 0) {
        size_t off = corrupt->bytes < plen ? corrupt->bytes : plen - 1;
        rec[REC_HDR + off] ^= 0xff;
        snprintf(what, sizeof what, "corrupted byte %zu of record %u", off, rec_no);
        note(st, what);
    }

    const impairment_t *split = find(st, IMPAIR_SPLIT_RECORDS);
    int rc;
    if (split && split->bytes > 0 && type == CT_HANDSHAKE && !st->ccs_sent && plen > split->bytes) {
        rc = write_split(st, rec, plen, split->bytes);
        snprintf(what, sizeof what, "split record %u into %u-byte records", rec_no, split->bytes);
        note(st, what);
    } else {
        rc = write_chunked(st, rec, REC_HDR + plen);
    }
    if (rc < 0)
        return -1;

    for (size_t i = 0; i < n_done; i++) {
        for (size_t k = 0; k < st->n; k++) {
            const impairment_t *im = &st->list[k];
            bool reset = im->kind == IMPAIR_RESET_AFTER;
            if ((reset || im->kind == IMPAIR_CLOSE_AFTER) && im->hs_type == done[i]) {
                snprintf(what, sizeof what, "%s after handshake message %u",
                         reset ? "reset" : "close", done[i]);
                note(st, what);
                st->io.abort_conn(st->io.ctx, reset);
                st->aborted = true;
                return -1;
            }
        }
    }
    return 0;
}

int impair_send(impair_state_t *st, const uint8_t *data, size_t len)
{
    if (st->aborted)
        return -1;
    size_t taken = 0;
    while (taken < len) {
        size_t room = sizeof st->pending - st->pending_len;
        size_t n = len - taken < room ? len - taken : room;
        memcpy(st->pending + st->pending_len, data + taken, n);
        st->pending_len += n;
        taken += n;

        /* Emit every complete record in the buffer. */
        size_t off = 0;
        while (st->pending_len - off >= REC_HDR) {
            uint8_t *rec = st->pending + off;
            size_t plen = (size_t)rec[3] << 8 | rec[4];
            if (REC_HDR + plen > sizeof st->pending) {
                /* Not a record we understand: pass the rest through untouched. */
                if (write_chunked(st, rec, st->pending_len - off) < 0)
                    return -1;
                off = st->pending_len;
                break;
            }
            if (st->pending_len - off < REC_HDR + plen)
                break;
            if (process_record(st, rec, plen) < 0)
                return -1;
            off += REC_HDR + plen;
        }
        memmove(st->pending, st->pending + off, st->pending_len - off);
        st->pending_len -= off;
    }
    return (int)len;
}
