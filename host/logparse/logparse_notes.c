/* Tell-tale messages (data table): a substring anywhere in a line -> a note key that the
 * diagnosis rules read. Matching is on text, so it also catches other programs' wording. */
#include "logparse_internal.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

static const struct {
    const char *key;
    const char *text;
} notes[] = {
    {"hs-fragmentation", "handshake fragmentation not supported"},
    {"record-too-big", "requesting more data than fits"},
    {"record-too-big", "bad message length"},
    {"record-too-big", "record too large"},
    {"alloc-failed", "bytes) failed"},
    {"alloc-failed", "Memory allocation failed"},
    {"alloc-failed", "out of memory"},
    {"no-shared-suite", "no ciphersuites in common"},
    {"no-shared-suite", "no cipher suites in common"},
    {"no-shared-suite", "no shared cipher"},
    {"bad-version", "server version out of bounds"},
    {"bad-version", "bad protocol version"},
    {"bad-version", "unsupported version"},
    {"timeout", "timed out"},
    {"timeout", "read timeout"},
    {"conn-reset", "reset by peer"},
    {"conn-reset", "ECONNRESET"},
    {"conn-eof", "indicated an EOF"},
    {"conn-eof", "connection was closed"},
    {"hostname-not-set", "without having set hostname"},
    {"hostname-not-set", "hostname not set"},
    {"unknown-sig-alg", "Signature algorithm (oid) is unsupported"},
    {"unknown-sig-alg", "unknown signature algorithm"},
    {"entropy", "entropy source failed"},
    {"entropy", "Critical entropy source failure"},
    {"entropy", "ctr_drbg_seed returned"},
    {"ske-sig", "server used unsupported SignatureAlgorithm"},
    {"ske-sig", "Server used unsupported"},
    {"ske-sig", "signature algorithm not acceptable"},
    {"ske-sig", "unsupported signature algorithm"},
    {"bad-ske", "bad server key exchange message"},
    {"curve", "unsupported curve"},
    {"curve", "(ECDHE curve)"},
    {"curve", "Requested curve not available"},
    {"curve", "curve not supported"},
    {"no-client-cert", "got no certificate to send"},
    {"cert-too-large", "certificate too large"},
    {"mac-mismatch", "message mac does not match"},
    {"mac-mismatch", "bad record mac"},
    {"mac-mismatch", "decryption failed"},
    {"mpi", "MPI - "},
    {"mpi", "BIGNUM - "},
};

#define N_NOTES (sizeof notes / sizeof notes[0])

/* The bytes each text holds, as a 256-bit set: a line lacking one of them
 * cannot contain the text, so most of a log's lines skip the strstr()
 * calls (they were most of the parse time). Same matches as before. */
typedef struct byte_set {
    uint64_t w[4];
} byte_set_t;

static byte_set_t g_note_bytes[N_NOTES];
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

static void add_bytes(byte_set_t *set, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        set->w[*p >> 6] |= (uint64_t)1 << (*p & 63);
}

static void note_bytes_init(void)
{
    for (size_t i = 0; i < N_NOTES; i++)
        add_bytes(&g_note_bytes[i], notes[i].text);
}

static bool holds(const byte_set_t *line, const byte_set_t *need)
{
    for (int k = 0; k < 4; k++)
        if ((line->w[k] & need->w[k]) != need->w[k])
            return false;
    return true;
}

int lp_match_notes(logparse_result_t *r, const lp_line_t *line)
{
    pthread_once(&g_once, note_bytes_init);
    byte_set_t have = {{0, 0, 0, 0}};
    add_bytes(&have, line->text);
    const char *last = NULL;
    for (size_t i = 0; i < N_NOTES; i++) {
        if (last && strcmp(last, notes[i].key) == 0)
            continue; /* one note per key and line */
        if (holds(&have, &g_note_bytes[i]) && strstr(line->text, notes[i].text)) {
            if (!lp_add_event(r, LP_EV_NOTE, line, 0, 0, notes[i].key, NULL))
                return -1;
            last = notes[i].key;
        }
    }
    return 0;
}
