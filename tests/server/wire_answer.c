/* Reassembles the server's plaintext records and handshake messages just far
 * enough to name its answer. Bounded: at most WIRE_MAX bytes are read. */
#include "wire_answer.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define WIRE_MAX (256 * 1024)

const char *wire_kind_name(wire_kind_t k)
{
    static const char *names[] = {"server_hello", "alert", "reset", "close", "silence", "garbage"};
    return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

/* Walks complete handshake messages; true once ServerHelloDone was seen. */
static bool scan_handshake(const uint8_t *hs, size_t len, wire_answer_t *a, bool *have_hello)
{
    size_t off = 0;
    while (off + 4 <= len) {
        uint8_t type = hs[off];
        size_t mlen = (size_t)hs[off + 1] << 16 | (size_t)hs[off + 2] << 8 | hs[off + 3];
        if (off + 4 + mlen > len)
            return false;
        const uint8_t *m = hs + off + 4;
        if (type == 2 && mlen >= 35) { /* version 2, random 32, session id */
            size_t sid = m[34];
            if (35 + sid + 2 <= mlen) {
                a->suite = (uint16_t)(m[35 + sid] << 8 | m[36 + sid]);
                *have_hello = true;
            }
            /* TLS 1.3: the group is in the ServerHello's key_share (51). */
            size_t e = 35 + sid + 3;
            size_t end = e + 2 <= mlen ? e + 2 + (size_t)(m[e] << 8 | m[e + 1]) : 0;
            for (e += 2; end <= mlen && e + 4 <= end;) {
                size_t type_e = (size_t)(m[e] << 8 | m[e + 1]),
                       len_e = (size_t)(m[e + 2] << 8 | m[e + 3]);
                if (type_e == 51 && len_e >= 2 && e + 6 <= end)
                    a->group = (uint16_t)(m[e + 4] << 8 | m[e + 5]);
                e += 4 + len_e;
            }
            if (a->suite >> 8 == 0x13)
                return true; /* the rest of a TLS 1.3 flight is encrypted */
        } else if (type == 12 && mlen >= 3 && m[0] == 3) { /* named_curve */
            a->group = (uint16_t)(m[1] << 8 | m[2]);
        } else if (type == 14) {
            return true;
        }
        off += 4 + mlen;
    }
    return false;
}

wire_answer_t wire_read_answer(int fd)
{
    wire_answer_t a = {.kind = WIRE_CLOSE};
    uint8_t *buf = malloc(WIRE_MAX), *hs = malloc(WIRE_MAX);
    size_t len = 0, parsed = 0, hs_len = 0;
    bool have_hello = false;
    if (!buf || !hs)
        goto out;
    while (len < WIRE_MAX) {
        ssize_t n = recv(fd, buf + len, WIRE_MAX - len, 0);
        if (n <= 0) {
            if (have_hello)
                a.kind = WIRE_SERVER_HELLO; /* answered, then gave up */
            else if (n < 0 && errno == ECONNRESET)
                a.kind = WIRE_RESET;
            else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                a.kind = len ? WIRE_GARBAGE : WIRE_SILENCE;
            else
                a.kind = len > parsed ? WIRE_GARBAGE : WIRE_CLOSE;
            goto out;
        }
        len += (size_t)n;
        while (parsed + 5 <= len) {
            const uint8_t *r = buf + parsed;
            size_t rlen = (size_t)r[3] << 8 | r[4];
            if (r[1] != 3 || (r[0] != 21 && r[0] != 22)) {
                a.kind = have_hello ? WIRE_SERVER_HELLO : WIRE_GARBAGE;
                goto out;
            }
            if (parsed + 5 + rlen > len)
                break;
            if (r[0] == 21) {
                a.kind = WIRE_ALERT;
                a.alert = rlen >= 2 ? r[6] : 0;
                goto out;
            }
            memcpy(hs + hs_len, r + 5, rlen);
            hs_len += rlen;
            parsed += 5 + rlen;
            if (scan_handshake(hs, hs_len, &a, &have_hello)) {
                a.kind = have_hello ? WIRE_SERVER_HELLO : WIRE_GARBAGE;
                goto out;
            }
        }
    }
    a.kind = have_hello ? WIRE_SERVER_HELLO : WIRE_GARBAGE;
out:
    free(buf);
    free(hs);
    return a;
}
