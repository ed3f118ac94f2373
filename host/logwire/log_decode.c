#include "log_decode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "link.h"
#include "log_render.h"
#include "proto.h"

log_decoder_t *log_decoder_new(void)
{
    return calloc(1, sizeof(log_decoder_t));
}

void log_decoder_free(log_decoder_t *d)
{
    free(d);
}

void log_decoder_reset(log_decoder_t *d)
{
    d->have_table = false;
    memset(d->files, 0, sizeof d->files);
    memset(d->sites, 0, sizeof d->sites);
}

bool log_decoder_take_resync(log_decoder_t *d)
{
    bool r = d->want_resync;
    d->want_resync = false;
    return r;
}

size_t log_wire_frame_bytes(uint8_t type, const uint8_t *payload, size_t len)
{
    static uint8_t frame[LINK_MAX_ENCODED];
    if (len > LINK_MAX_PAYLOAD) {
        return 0;
    }
    return link_encode_frame(LINK_CH_LOG, type, 1, payload, len, frame, sizeof frame);
}

/* One frame's records, read in place. */
typedef struct reader {
    const uint8_t *p;
    size_t len;
    size_t pos;
} reader_t;

static bool rd_varint(reader_t *r, uint64_t *v)
{
    size_t n = log_rec_get_varint(r->p + r->pos, r->len - r->pos, v);
    r->pos += n;
    return n > 0;
}

static bool rd_bytes(reader_t *r, size_t max, const uint8_t **p, size_t *n)
{
    uint64_t v;
    if (!rd_varint(r, &v) || v > max || v > r->len - r->pos) {
        return false;
    }
    *p = r->p + r->pos;
    *n = (size_t)v;
    r->pos += (size_t)v;
    return true;
}

/* A string field as a C string: no NUL inside. */
static bool rd_cstr(reader_t *r, size_t max, char *out)
{
    const uint8_t *p;
    size_t n;
    if (!rd_bytes(r, max, &p, &n) || memchr(p, 0, n) != NULL) {
        return false;
    }
    memcpy(out, p, n);
    out[n] = '\0';
    return true;
}

static bool rd_int32(reader_t *r, bool zigzag, int32_t *out)
{
    uint64_t u;
    if (!rd_varint(r, &u)) {
        return false;
    }
    int64_t v = zigzag ? log_rec_unzigzag(u) : (int64_t)u;
    if (!zigzag && u > INT32_MAX) {
        return false;
    }
    if (v < INT32_MIN || v > INT32_MAX) {
        return false;
    }
    *out = (int32_t)v;
    return true;
}

typedef struct mpi {
    uint64_t bitlen;
    const uint8_t *p;
    size_t n;
} mpi_t;

static bool rd_mpi(reader_t *r, mpi_t *m)
{
    return rd_varint(r, &m->bitlen) && rd_bytes(r, LOG_REC_MPI_MAX, &m->p, &m->n) &&
           m->bitlen <= 8u * LOG_REC_MPI_MAX && m->n == (m->bitlen + 7u) / 8u;
}

typedef struct feed {
    log_decoder_t *d;
    log_dec_sink_fn sink;
    void *ctx;
} feed_t;

static void emit(const feed_t *f, const char *text, size_t len)
{
    f->sink(f->ctx, text, len);
    f->d->stats.text_bytes += len;
}

static void marker(const feed_t *f, const char *fmt, unsigned a, unsigned b)
{
    char line[200];
    int n = snprintf(line, sizeof line, fmt, a, b);
    if (n > 0) {
        emit(f, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1u);
    }
    f->d->stats.undecoded++;
}

static bool def_file(log_decoder_t *d, reader_t *r)
{
    uint64_t id;
    char name[LOG_REC_FILE_MAX + 1u];
    if (!rd_varint(r, &id) || id >= LOG_REC_MAX_FILES || !rd_cstr(r, LOG_REC_FILE_MAX, name)) {
        return false;
    }
    /* A later definition of the same id wins (an agent that rebooted into
     * the same table id defines every id again before using it). */
    d->files[id].defined = true;
    memcpy(d->files[id].name, name, sizeof name);
    return true;
}

static bool def_site(log_decoder_t *d, reader_t *r)
{
    uint64_t id, fid;
    int32_t line, level;
    const uint8_t *text;
    size_t n;
    if (!rd_varint(r, &id) || id >= LOG_REC_MAX_SITES || !rd_varint(r, &fid) ||
        fid >= LOG_REC_MAX_FILES || !rd_int32(r, false, &line) || !rd_int32(r, true, &level) ||
        !rd_bytes(r, LOG_REC_TEXT_MAX, &text, &n) || memchr(text, 0, n) != NULL) {
        return false;
    }
    log_dec_site_t *s = &d->sites[id];
    s->defined = true;
    s->file_id = (uint8_t)fid;
    s->line = line;
    s->level = level;
    s->text_len = (uint16_t)n;
    memcpy(s->text, text, n);
    s->text[n] = '\0';
    return true;
}

/* The body of a record naming a site; false = malformed (stop the frame). */
static bool site_body(const feed_t *f, uint8_t kind, const log_dec_site_t *s, const char *file,
                      reader_t *r)
{
    log_line_ctx_t lc = {.sink = f->sink,
                         .ctx = f->ctx,
                         .text_bytes = &f->d->stats.text_bytes,
                         .file = file,
                         .line = s->line,
                         .level = s->level};
    char str[LOG_DEBUG_BUF];
    char name[LOG_DEBUG_BUF];
    switch (kind) {
    case LOG_REC_LINE:
        if (!rd_cstr(r, LOG_REC_TEXT_MAX, str)) {
            return false;
        }
        log_render_cb(&lc, str);
        return true;
    case LOG_REC_MSG: {
        const uint8_t *args;
        size_t n;
        if (!rd_bytes(r, LOG_REC_ARGS_MAX, &args, &n) ||
            !log_render_msg(s->text, s->text_len, args, n, str)) {
            return false;
        }
        log_render_cb(&lc, str);
        return true;
    }
    case LOG_REC_RET: {
        int32_t ret;
        if (!rd_int32(r, true, &ret)) {
            return false;
        }
        log_render_snprintf(str, "%s() returned %d (-0x%04x)\n", s->text, ret,
                            (unsigned int)-(int64_t)ret);
        log_render_cb(&lc, str);
        return true;
    }
    case LOG_REC_BUF: {
        uint64_t total, off;
        const uint8_t *p;
        size_t n;
        if (!rd_varint(r, &total) || !rd_varint(r, &off) || !rd_bytes(r, 4096, &p, &n)) {
            return false;
        }
        uint64_t dumped = total < LOG_REC_DUMP_MAX ? total : LOG_REC_DUMP_MAX;
        /* Parts start on a row and only the last may end inside one. */
        if (off % 16u != 0 || off > dumped || n > dumped - off ||
            (n % 16u != 0 && off + n != dumped) || (n == 0 && dumped != 0)) {
            return false;
        }
        if (off == 0) {
            log_render_dump_header(&lc, s->text, total);
        }
        log_render_dump_rows(&lc, (size_t)off, p, n);
        return true;
    }
    case LOG_REC_MPI:
    case LOG_REC_PK_MPI: {
        mpi_t m;
        if (!rd_mpi(r, &m)) {
            return false;
        }
        if (kind == LOG_REC_PK_MPI) {
            log_render_pk_name(name, s->text);
        } else {
            memcpy(name, s->text, (size_t)s->text_len + 1u);
        }
        log_render_mpi(&lc, name, m.bitlen, m.p, m.n);
        return true;
    }
    case LOG_REC_ECP:
    case LOG_REC_PK_ECP: {
        mpi_t x, y;
        if (!rd_mpi(r, &x) || !rd_mpi(r, &y)) {
            return false;
        }
        if (kind == LOG_REC_PK_ECP) {
            log_render_pk_name(name, s->text);
        } else {
            memcpy(name, s->text, (size_t)s->text_len + 1u);
        }
        /* mbedtls_debug_print_ecp: "%s(X)" into DEBUG_BUF_SIZE */
        log_render_snprintf(str, "%s(X)", name);
        log_render_mpi(&lc, str, x.bitlen, x.p, x.n);
        log_render_snprintf(str, "%s(Y)", name);
        log_render_mpi(&lc, str, y.bitlen, y.p, y.n);
        return true;
    }
    case LOG_REC_CRT_HEAD: {
        int32_t i;
        if (!rd_int32(r, true, &i)) {
            return false;
        }
        log_render_snprintf(str, "%s #%d:\n", s->text, i);
        log_render_cb(&lc, str);
        return true;
    }
    default:
        return false;
    }
}

/* Skip a record's body without rendering it (its site is unknown): the
 * body's layout depends on the kind only, except MSG (length-prefixed). */
static bool skip_body(uint8_t kind, reader_t *r)
{
    uint64_t v;
    const uint8_t *p;
    size_t n;
    mpi_t m;
    switch (kind) {
    case LOG_REC_LINE:
    case LOG_REC_MSG:
        return rd_bytes(r, LINK_MAX_PAYLOAD, &p, &n);
    case LOG_REC_RET:
    case LOG_REC_CRT_HEAD:
        return rd_varint(r, &v);
    case LOG_REC_BUF:
        return rd_varint(r, &v) && rd_varint(r, &v) && rd_bytes(r, 4096, &p, &n);
    case LOG_REC_MPI:
    case LOG_REC_PK_MPI:
        return rd_mpi(r, &m);
    case LOG_REC_ECP:
    case LOG_REC_PK_ECP:
        return rd_mpi(r, &m) && rd_mpi(r, &m);
    default:
        return false;
    }
}

static void records(const feed_t *f, reader_t *r)
{
    log_decoder_t *d = f->d;
    while (r->pos < r->len) {
        uint8_t kind = r->p[r->pos++];
        bool ok;
        if (kind == LOG_REC_DEF_FILE) {
            ok = def_file(d, r);
        } else if (kind == LOG_REC_DEF_SITE) {
            ok = def_site(d, r);
        } else if (kind == LOG_REC_TEXT) {
            const uint8_t *p;
            size_t n;
            ok = rd_bytes(r, LINK_MAX_PAYLOAD, &p, &n);
            if (ok) {
                emit(f, (const char *)p, n);
            }
        } else {
            uint64_t id;
            ok = rd_varint(r, &id);
            const log_dec_site_t *s = ok && id < LOG_REC_MAX_SITES ? &d->sites[id] : NULL;
            const log_dec_file_t *file = s && s->defined ? &d->files[s->file_id] : NULL;
            if (ok && (s == NULL || !s->defined || !file->defined)) {
                /* Its definition was in a lost frame: say so, never guess. */
                ok = skip_body(kind, r);
                if (ok) {
                    marker(f,
                           "tlsrig: ! log record lost: site %u of record kind %u is not defined "
                           "(a LOG frame was lost)\n",
                           (unsigned)id, kind);
                    d->want_resync = true;
                    continue;
                }
            } else if (ok) {
                ok = site_body(f, kind, s, file->name, r);
                if (ok) {
                    d->stats.records++;
                }
            }
        }
        if (!ok) {
            marker(f, "tlsrig: ! malformed log record (kind %u): %u bytes of its frame skipped\n",
                   kind, (unsigned)(r->len - r->pos + 1u));
            return;
        }
    }
}

void log_decoder_feed(log_decoder_t *d, uint8_t type, const uint8_t *payload, size_t len,
                      log_dec_sink_fn sink, void *ctx)
{
    feed_t f = {.d = d, .sink = sink, .ctx = ctx};
    d->stats.wire_bytes += log_wire_frame_bytes(type, payload, len);
    if (type == LOG_TEXT) {
        emit(&f, (const char *)payload, len);
        return;
    }
    if (type != LOG_RECORDS || len < LOG_REC_HEADER_LEN) {
        marker(&f, "tlsrig: ! LOG message of type %u (%u bytes) not understood\n", type,
               (unsigned)len);
        return;
    }
    uint32_t table = (uint32_t)payload[0] | (uint32_t)payload[1] << 8 | (uint32_t)payload[2] << 16 |
                     (uint32_t)payload[3] << 24;
    if (!d->have_table || table != d->table_id) {
        log_decoder_reset(d); /* a new table: every id is defined again */
        d->have_table = true;
        d->table_id = table;
        d->stats.tables++;
    }
    reader_t r = {.p = payload + LOG_REC_HEADER_LEN, .len = len - LOG_REC_HEADER_LEN, .pos = 0};
    records(&f, &r);
}
