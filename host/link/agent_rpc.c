#include "agent_rpc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"
#include "tlv.h"

static _Thread_local agent_rpc_failure_t last_failure;
static _Thread_local uint8_t last_status;

uint8_t agent_rpc_last_status(void)
{
    return last_status;
}

agent_rpc_failure_t agent_rpc_last_failure(void)
{
    return last_failure;
}

/* Records the cause and returns -1, for one-line failure paths. */
static int failed(agent_rpc_failure_t why)
{
    last_failure = why;
    return -1;
}

host_msg_t *agent_rpc(host_link_t *hl, uint8_t type, const void *req, size_t len,
                      uint32_t timeout_ms, agent_other_fn other, void *ctx, char *err,
                      size_t errlen)
{
    char why[160];
    last_failure = AGENT_RPC_OK;
    if (host_link_dead(hl)) {
        snprintf(err, errlen, "link lost before command %u: %s", type,
                 host_link_error_text(hl, why, sizeof why));
        failed(AGENT_RPC_LINK_LOST);
        return NULL;
    }
    if (host_link_send(hl, LINK_CH_CTRL, type, req, len) != 0) {
        snprintf(err, errlen,
                 "request of %zu bytes could not be queued (too large or out of memory)", len);
        failed(AGENT_RPC_TOO_LARGE);
        return NULL;
    }
    uint32_t start = host_now_ms();
    while (host_now_ms() - start < timeout_ms) {
        host_link_pump(hl, 20);
        host_msg_t *m;
        while ((m = host_link_pop(hl)) != NULL) {
            if (m->channel == LINK_CH_CTRL && m->type == (type | CTRL_RESPONSE)) {
                return m;
            }
            if (other) {
                other(ctx, m);
            } else {
                free(m);
            }
        }
        if (host_link_dead(hl)) {
            snprintf(err, errlen, "link lost while waiting for the answer to command %u (%s)", type,
                     host_link_error_text(hl, why, sizeof why));
            failed(AGENT_RPC_LINK_LOST);
            return NULL;
        }
    }
    snprintf(err, errlen, "no answer to command %u within %u ms", type, timeout_ms);
    failed(AGENT_RPC_NO_ANSWER);
    return NULL;
}

static int status_of(const host_msg_t *m, char *err, size_t errlen)
{
    tlv_item_t it;
    uint8_t st = 0xFF;
    if (!tlv_find(m->payload, m->len, T_STATUS, &it) || !tlv_get_u8(&it, &st)) {
        snprintf(err, errlen, "answer without status");
        return failed(AGENT_RPC_MALFORMED);
    }
    last_status = st;
    if (st != ST_OK) {
        char detail[128] = "";
        if (tlv_find(m->payload, m->len, T_TEXT, &it)) {
            tlv_get_str(&it, detail, sizeof detail);
        }
        snprintf(err, errlen, "agent refused (status %u%s%s)", st, detail[0] ? ": " : "", detail);
        return failed(AGENT_RPC_REFUSED);
    }
    return 0;
}

bool agent_has_feature(const agent_info_t *info, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = info->features; *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len == n && strncmp(p, name, n) == 0) {
            return true;
        }
        p = comma ? comma + 1 : p + len;
    }
    return false;
}

int agent_hello(host_link_t *hl, agent_info_t *info, uint32_t timeout_ms, char *err, size_t errlen)
{
    memset(info, 0, sizeof *info);
    host_msg_t *m = agent_rpc(hl, CTRL_HELLO, NULL, 0, timeout_ms, NULL, NULL, err, errlen);
    if (!m) {
        return -1;
    }
    if (status_of(m, err, errlen) != 0) {
        free(m);
        return -1;
    }
    tlv_reader_t r;
    tlv_item_t it;
    tlv_reader_init(&r, m->payload, m->len);
    while (tlv_next(&r, &it)) {
        uint16_t v16;
        switch (it.tag) {
        case T_PROTO_VERSION:
            if (tlv_get_u16(&it, &v16)) {
                info->proto_version = v16;
            }
            break;
        case T_AGENT_VERSION:
            tlv_get_str(&it, info->agent_version, sizeof info->agent_version);
            break;
        case T_BOARD:
            tlv_get_str(&it, info->board, sizeof info->board);
            break;
        case T_DEVICE_UID:
            tlv_get_str(&it, info->device_uid, sizeof info->device_uid);
            break;
        case T_BACKEND:
            tlv_get_str(&it, info->backend, sizeof info->backend);
            break;
        case T_MBEDTLS_VERSION:
            tlv_get_str(&it, info->mbedtls_version, sizeof info->mbedtls_version);
            break;
        case T_TLS_STACK:
            tlv_get_str(&it, info->tls_stack, sizeof info->tls_stack);
            break;
        case T_TLS_LIB_VERSION:
            tlv_get_str(&it, info->tls_lib_version, sizeof info->tls_lib_version);
            break;
        case T_TLS_OPTIONS:
            tlv_get_str(&it, info->tls_options, sizeof info->tls_options);
            break;
        case T_CONFIG_PROFILE:
            tlv_get_str(&it, info->config, sizeof info->config);
            break;
        case T_BUILD_ID:
            tlv_get_str(&it, info->build_id, sizeof info->build_id);
            break;
        case T_CAP_FEATURES:
            tlv_get_str(&it, info->features, sizeof info->features);
            break;
        case T_CLOCK_SOURCE:
            tlv_get_str(&it, info->clock_source, sizeof info->clock_source);
            break;
        case T_RESET_CAUSE:
            tlv_get_str(&it, info->reset_cause, sizeof info->reset_cause);
            break;
        case T_LINK_BAUD:
            tlv_get_u32(&it, &info->link_baud);
            break;
        case T_PANIC:
            info->has_panic = panic_record_decode(it.value, it.len, &info->panic);
            info->panic_malformed = !info->has_panic;
            break;
        case T_CAP_SUITES:
            tlv_get_u16_array(&it, info->suites, 160, &info->n_suites);
            break;
        case T_CAP_GROUPS:
            tlv_get_u16_array(&it, info->groups, 32, &info->n_groups);
            break;
        case T_HEAP_SIZE:
            tlv_get_u32(&it, &info->heap_size);
            break;
        case T_SESSION_EPOCH:
            tlv_get_u32(&it, &info->session_epoch);
            break;
        case T_UPTIME_MS:
            tlv_get_u32(&it, &info->uptime_ms);
            break;
        default:
            break;
        }
    }
    bool bad = r.malformed;
    free(m);
    if (bad) {
        snprintf(err, errlen, "malformed HELLO answer");
        return failed(AGENT_RPC_MALFORMED);
    }
    if (info->proto_version != PROTO_VERSION) {
        snprintf(err, errlen,
                 "agent speaks protocol %u, host speaks %u: rebuild and flash the agent image "
                 "(docs/protocol.md)",
                 info->proto_version, PROTO_VERSION);
        return failed(AGENT_RPC_MALFORMED);
    }
    /* The agent's baud says how many TUNNEL frames keep its line busy. */
    (void)host_link_set_line(hl, info->link_baud, LINK_TURNAROUND_MS);
    host_link_set_ack_delay(hl, agent_has_feature(info, "ack-delay"));
    return 0;
}

int agent_ping(host_link_t *hl, agent_pulse_t *out, uint32_t timeout_ms, agent_other_fn other,
               void *ctx, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    host_msg_t *m = agent_rpc(hl, CTRL_PING, NULL, 0, timeout_ms, other, ctx, err, errlen);
    if (!m) {
        return -1;
    }
    int rc = status_of(m, err, errlen);
    tlv_item_t it;
    if (rc == 0 &&
        (!tlv_find(m->payload, m->len, T_SESSION_EPOCH, &it) ||
         !tlv_get_u32(&it, &out->session_epoch) ||
         !tlv_find(m->payload, m->len, T_UPTIME_MS, &it) || !tlv_get_u32(&it, &out->uptime_ms))) {
        snprintf(err, errlen, "PING answer without session epoch or uptime");
        rc = failed(AGENT_RPC_MALFORMED);
    }
    free(m);
    return rc;
}

bool agent_reset_detected(const agent_info_t *known, uint32_t epoch_now)
{
    return known->session_epoch != 0 && epoch_now != 0 && known->session_epoch != epoch_now;
}

static int simple(host_link_t *hl, uint8_t type, const void *req, size_t len, uint32_t timeout_ms,
                  char *err, size_t errlen)
{
    host_msg_t *m = agent_rpc(hl, type, req, len, timeout_ms, NULL, NULL, err, errlen);
    if (!m) {
        return -1;
    }
    int rc = status_of(m, err, errlen);
    free(m);
    return rc;
}

int agent_reset(host_link_t *hl, uint32_t timeout_ms, char *err, size_t errlen)
{
    return simple(hl, CTRL_RESET, NULL, 0, timeout_ms, err, errlen);
}

json_t *agent_primitive_json(const uint8_t *value, size_t len, const char **name)
{
    static char name_buf[64];
    json_t *o = json_object();
    tlv_reader_t r;
    tlv_item_t it;
    *name = NULL;
    tlv_reader_init(&r, value, len);
    while (tlv_next(&r, &it)) {
        uint32_t u32;
        uint64_t u64;
        uint8_t u8;
        char text[96];
        switch (it.tag) {
        case T_PRIM_NAME:
            tlv_get_str(&it, name_buf, sizeof name_buf);
            *name = name_buf;
            break;
        case T_PRIM_OPS:
            if (tlv_get_u32(&it, &u32)) {
                json_object_set_new(o, "ops", json_integer(u32));
            }
            break;
        case T_PRIM_BYTES:
            if (tlv_get_u32(&it, &u32)) {
                json_object_set_new(o, "bytes", json_integer(u32));
            }
            break;
        case T_PRIM_NS:
            if (tlv_get_u64(&it, &u64)) {
                json_object_set_new(o, "ns", json_integer((json_int_t)u64));
            }
            break;
        case T_PRIM_STATUS:
            if (tlv_get_u8(&it, &u8)) {
                json_object_set_new(o, "status",
                                    json_string(u8 == 0   ? "pass"
                                                : u8 == 1 ? "fail"
                                                          : "skipped"));
            }
            break;
        case T_PRIM_FAILED:
            tlv_get_str(&it, text, sizeof text);
            json_object_set_new(o, "failed", json_string(text));
            break;
        default:
            break;
        }
    }
    if (r.malformed || !*name) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* SELFTEST and BENCH answer alike: a duration and T_PRIMITIVE items. */
static json_t *primitive_command(host_link_t *hl, uint8_t type, uint32_t timeout_ms, char *err,
                                 size_t errlen)
{
    host_msg_t *m = agent_rpc(hl, type, NULL, 0, timeout_ms, NULL, NULL, err, errlen);
    if (!m) {
        return NULL;
    }
    if (status_of(m, err, errlen) != 0) {
        free(m);
        return NULL;
    }
    json_t *out = json_object();
    json_t *prims = json_array();
    tlv_reader_t r;
    tlv_item_t it;
    tlv_reader_init(&r, m->payload, m->len);
    while (tlv_next(&r, &it)) {
        uint64_t us;
        if (it.tag == T_PRIMITIVE) {
            const char *name = NULL;
            json_t *p = agent_primitive_json(it.value, it.len, &name);
            if (p) {
                json_object_set_new(p, "name", json_string(name));
                json_array_append_new(prims, p);
            }
        } else if (it.tag == T_DURATION_US && tlv_get_u64(&it, &us)) {
            json_object_set_new(out, "duration_us", json_integer((json_int_t)us));
        }
    }
    free(m);
    json_object_set_new(out, "primitives", prims);
    return out;
}

json_t *agent_selftest(host_link_t *hl, uint32_t timeout_ms, char *err, size_t errlen)
{
    return primitive_command(hl, CTRL_SELFTEST, timeout_ms, err, errlen);
}

json_t *agent_bench(host_link_t *hl, uint32_t timeout_ms, char *err, size_t errlen)
{
    return primitive_command(hl, CTRL_BENCH, timeout_ms, err, errlen);
}

int agent_inject_fault(host_link_t *hl, const char *name, uint32_t every_n, uint32_t timeout_ms,
                       char *err, size_t errlen)
{
    uint8_t buf[128];
    tlv_writer_t w;
    tlv_writer_init(&w, buf, sizeof buf);
    tlv_put_str(&w, T_FAULT_NAME, name);
    tlv_put_u32(&w, T_FAULT_EVERY, every_n);
    if (w.overflow) {
        snprintf(err, errlen, "fault name too long");
        return failed(AGENT_RPC_TOO_LARGE);
    }
    host_msg_t *m = agent_rpc(hl, CTRL_FAULT, buf, w.len, timeout_ms, NULL, NULL, err, errlen);
    if (!m) {
        return -1;
    }
    int rc = status_of(m, err, errlen);
    free(m);
    return rc;
}

int agent_upload_ca(host_link_t *hl, const uint8_t *data, size_t len, uint32_t timeout_ms,
                    char *err, size_t errlen)
{
    if (simple(hl, CTRL_CA_CLEAR, NULL, 0, timeout_ms, err, errlen) != 0) {
        return -1;
    }
    uint8_t buf[LINK_MAX_PAYLOAD];
    const size_t chunk = LINK_MAX_PAYLOAD - 8u;
    for (size_t off = 0; off < len; off += chunk) {
        size_t n = len - off < chunk ? len - off : chunk;
        tlv_writer_t w;
        tlv_writer_init(&w, buf, sizeof buf);
        tlv_put_bytes(&w, T_DATA, data + off, n);
        if (simple(hl, CTRL_CA_DATA, buf, w.len, timeout_ms, err, errlen) != 0) {
            return -1;
        }
    }
    return 0;
}

int agent_send_entropy(host_link_t *hl, const uint8_t *seed, size_t len, uint32_t timeout_ms,
                       char *err, size_t errlen)
{
    uint8_t req[96];
    if (len == 0 || len > sizeof req - 8) {
        snprintf(err, errlen, "seed of %zu bytes: must be 1..%zu", len, sizeof req - 8);
        return -1;
    }
    tlv_writer_t w;
    tlv_writer_init(&w, req, sizeof req);
    tlv_put_bytes(&w, T_DATA, seed, len);
    host_msg_t *m = agent_rpc(hl, CTRL_ENTROPY, req, w.len, timeout_ms, NULL, NULL, err, errlen);
    if (!m) {
        return -1;
    }
    tlv_item_t it;
    uint8_t status = 0xFF;
    if (tlv_find(m->payload, m->len, T_STATUS, &it)) {
        (void)tlv_get_u8(&it, &status);
    }
    free(m);
    if (status != ST_OK) {
        snprintf(err, errlen, "the agent refused the TEST ONLY seed (status %u)", (unsigned)status);
        return -1;
    }
    return 0;
}
