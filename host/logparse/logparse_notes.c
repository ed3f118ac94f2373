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

static lp_pairs_t g_note_pairs[N_NOTES];
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

static void note_pairs_init(void)
{
    for (size_t i = 0; i < N_NOTES; i++)
        lp_pairs_add(&g_note_pairs[i], notes[i].text);
}

int lp_match_notes(logparse_result_t *r, const lp_line_t *line, const lp_pairs_t *pairs)
{
    pthread_once(&g_once, note_pairs_init);
    const char *last = NULL;
    for (size_t i = 0; i < N_NOTES; i++) {
        if (last && strcmp(last, notes[i].key) == 0)
            continue; /* one note per key and line */
        if (lp_pairs_may_hold(pairs, &g_note_pairs[i]) && strstr(line->text, notes[i].text)) {
            if (!lp_add_event(r, LP_EV_NOTE, line, 0, 0, notes[i].key, NULL))
                return -1;
            last = notes[i].key;
        }
    }
    return 0;
}
