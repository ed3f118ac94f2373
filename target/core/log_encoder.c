#include "log_encoder.h"

#include <string.h>

void log_body_init(log_body_t *b, uint8_t *buf, size_t cap)
{
    b->buf = buf;
    b->cap = cap;
    b->len = 0;
    b->overflow = false;
}

void log_body_raw(log_body_t *b, const void *p, size_t n)
{
    if (b->overflow || n > b->cap - b->len) {
        b->overflow = true;
        return;
    }
    if (n > 0) {
        memcpy(b->buf + b->len, p, n);
    }
    b->len += n;
}

void log_body_varint(log_body_t *b, uint64_t v)
{
    if (b->overflow) {
        return;
    }
    size_t n = log_rec_put_varint(b->buf + b->len, b->cap - b->len, v);
    if (n == 0) {
        b->overflow = true;
        return;
    }
    b->len += n;
}

void log_body_zigzag(log_body_t *b, int64_t v)
{
    log_body_varint(b, log_rec_zigzag(v));
}

void log_body_bytes(log_body_t *b, const void *p, size_t n)
{
    log_body_varint(b, n);
    log_body_raw(b, p, n);
}

static void clear_table(log_enc_t *e)
{
    e->n_sites = 0;
    e->n_files = 0;
    e->table_id++;
    e->tables++;
    e->resync_requested = false;
}

void log_enc_init(log_enc_t *e, uint32_t table_id, log_enc_send_fn send, void *ctx)
{
    memset(e, 0, sizeof *e);
    e->send = send;
    e->ctx = ctx;
    e->table_id = table_id;
    e->tables = 1;
}

void log_enc_flush(log_enc_t *e)
{
    if (e->frame_len == 0) {
        return;
    }
    int r = e->send(e->ctx, e->frame, e->frame_len);
    e->frame_len = 0;
    if (r < 0) {
        /* Definitions in the lost frame must not be relied on. */
        e->frames_lost++;
        clear_table(e);
    }
}

void log_enc_request_resync(log_enc_t *e)
{
    e->resync_requested = true;
}

static void new_table(log_enc_t *e)
{
    log_enc_flush(e); /* its records belong to the old table */
    clear_table(e);
}

/* Room left in the frame for records (the header is reserved). */
static size_t frame_room(const log_enc_t *e)
{
    return LINK_MAX_PAYLOAD - (e->frame_len ? e->frame_len : LOG_REC_HEADER_LEN);
}

static void frame_append(log_enc_t *e, const uint8_t *p, size_t n)
{
    if (e->frame_len == 0) {
        e->frame[0] = (uint8_t)e->table_id;
        e->frame[1] = (uint8_t)(e->table_id >> 8);
        e->frame[2] = (uint8_t)(e->table_id >> 16);
        e->frame[3] = (uint8_t)(e->table_id >> 24);
        e->frame_len = LOG_REC_HEADER_LEN;
    }
    memcpy(e->frame + e->frame_len, p, n);
    e->frame_len += n;
}

static uint32_t fnv1a(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h = (h ^ (uint8_t)s[i]) * 16777619u;
    }
    return h;
}

static size_t bounded_len(const char *s, size_t max)
{
    size_t n = 0;
    while (n <= max && s[n] != '\0') {
        n++;
    }
    return n;
}

static const char *base_name(const char *file)
{
    const char *base = strrchr(file, '/');
    return base ? base + 1 : file;
}

static int find_file(const log_enc_t *e, const char *file)
{
    for (size_t i = 0; i < e->n_files; i++) {
        if (e->files[i] == file) {
            return (int)i;
        }
    }
    return -1;
}

static int find_site(const log_enc_t *e, const log_enc_site_t *k)
{
    for (size_t i = 0; i < e->n_sites; i++) {
        const log_enc_site_t *s = &e->sites[i];
        if (s->file == k->file && s->line == k->line && s->level == k->level &&
            s->text == k->text && s->text_hash == k->text_hash) {
            return (int)i;
        }
    }
    return -1;
}

bool log_enc_site_record(log_enc_t *e, uint8_t kind, const char *file, int line, int level,
                         const char *text, const log_body_t *body)
{
    if (body->overflow || file == NULL) {
        return false;
    }
    const char *base = base_name(file);
    size_t base_len = bounded_len(base, LOG_REC_FILE_MAX);
    size_t text_len = text ? bounded_len(text, LOG_REC_TEXT_MAX) : 0;
    if (base_len > LOG_REC_FILE_MAX || text_len > LOG_REC_TEXT_MAX || line < 0 ||
        line > UINT16_MAX || level < INT8_MIN || level > INT8_MAX) {
        return false;
    }
    log_enc_site_t key = {.file = file,
                          .text = text,
                          .text_hash = fnv1a(text ? text : "", text_len),
                          .line = (uint16_t)line,
                          .level = (int8_t)level};
    /* defs: a file (<= 1+1+2+63) and a site (<= 1+2+1+5+10+2+511) */
    uint8_t defs[LOG_REC_FILE_MAX + LOG_REC_TEXT_MAX + 40u];
    uint8_t head[4];
    for (int attempt = 0; attempt < 4; attempt++) {
        if (e->resync_requested) {
            new_table(e);
        }
        int fid = find_file(e, file);
        int sid = find_site(e, &key);
        if ((fid < 0 && e->n_files == LOG_REC_MAX_FILES) ||
            (sid < 0 && e->n_sites == LOG_ENC_SITES)) {
            new_table(e); /* full: start over, definitions come again */
            continue;
        }
        log_body_t d;
        log_body_init(&d, defs, sizeof defs);
        size_t new_fid = fid < 0 ? e->n_files : (size_t)fid;
        size_t new_sid = sid < 0 ? e->n_sites : (size_t)sid;
        if (fid < 0) {
            uint8_t k = LOG_REC_DEF_FILE;
            log_body_raw(&d, &k, 1);
            log_body_varint(&d, new_fid);
            log_body_bytes(&d, base, base_len);
        }
        if (sid < 0) {
            uint8_t k = LOG_REC_DEF_SITE;
            log_body_raw(&d, &k, 1);
            log_body_varint(&d, new_sid);
            log_body_varint(&d, new_fid);
            log_body_varint(&d, (uint64_t)(uint32_t)line);
            log_body_zigzag(&d, level);
            log_body_bytes(&d, text ? text : "", text_len);
        }
        log_body_t h;
        log_body_init(&h, head, sizeof head);
        log_body_raw(&h, &kind, 1);
        log_body_varint(&h, new_sid);
        size_t rec_len = h.len + body->len;
        size_t room = frame_room(e);
        bool fits_together = d.len + rec_len <= room;
        if (!fits_together && e->frame_len > 0) {
            log_enc_flush(e);
            continue;
        }
        if (!fits_together && (d.len > room || rec_len > room)) {
            return false; /* cannot fit even an empty frame */
        }
        if (d.len > 0) {
            frame_append(e, d.buf, d.len);
            if (fid < 0) {
                e->files[e->n_files++] = file;
            }
            if (sid < 0) {
                key.file_id = (uint8_t)new_fid;
                e->sites[e->n_sites++] = key;
            }
        }
        if (!fits_together) {
            log_enc_flush(e); /* the definitions alone; the record follows */
            continue;
        }
        frame_append(e, h.buf, h.len);
        frame_append(e, body->buf, body->len);
        return true;
    }
    return false;
}

void log_enc_text(log_enc_t *e, const char *text, size_t len)
{
    while (len > 0) {
        if (e->resync_requested) {
            new_table(e);
        }
        if (frame_room(e) < 16u) {
            log_enc_flush(e);
        }
        size_t room = frame_room(e) - 3u; /* kind + a 2-byte varint length */
        size_t n = len < room ? len : room;
        uint8_t head[3];
        log_body_t h;
        log_body_init(&h, head, sizeof head);
        uint8_t k = LOG_REC_TEXT;
        log_body_raw(&h, &k, 1);
        log_body_varint(&h, n);
        frame_append(e, h.buf, h.len);
        frame_append(e, (const uint8_t *)text, n);
        text += n;
        len -= n;
    }
}
