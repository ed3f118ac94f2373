#define _POSIX_C_SOURCE 200809L
#include "scenario_exec.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "bridge.h"
#include "client_request.h"
#include "deferred_file.h"
#include "diagnose.h"
#include "infra_classify.h"
#include "profile_provenance.h"
#include "proto.h"
#include "result_diagnosis.h"
#include "stacks.h"
#include "test_seed.h"
#include "thread_colocate.h"
#include "tls_server.h"
#include "tlv.h"

/* The panic record the agent's HELLO carried: why the target last reset. */

/* A resumption scenario (client.resume) makes two connections (issue 17
 * psk13): the server's view of the resuming one, the later, is `server` (the
 * diagnosis reads it); the first one is kept as `server_first`. The views
 * queue as connections end, so they are ordered by their start. */
static json_t *second_view(tls_server_t *srv, json_t **view, server_view_t *typed)
{
    server_view_t *other = malloc(sizeof *other);
    json_t *next = other ? tls_server_wait_view_typed(srv, 3000u, other) : NULL;
    if (!next) {
        free(other);
        return NULL;
    }
    json_int_t a = json_integer_value(json_object_get(*view, "started_us"));
    json_int_t b = json_integer_value(json_object_get(next, "started_us"));
    json_t *first = next;
    if (b > a) {
        first = *view;
        *view = next;
        *typed = *other;
    }
    free(other);
    return first;
}

static json_t *panic_json(const panic_record_t *p)
{
    static const char *const regs[] = {"r0", "r1", "r2", "r3", "r12", "lr", "pc", "xpsr"};
    json_t *o = json_object();
    json_object_set_new(o, "exception", json_string(panic_exception_name(p->exception)));
    for (size_t i = 0; i < 8u; i++) {
        json_object_set_new(o, regs[i], json_integer(p->regs[i]));
    }
    json_object_set_new(o, "sp", json_integer(p->sp));
    json_object_set_new(o, "cfsr", json_integer(p->cfsr));
    json_object_set_new(o, "hfsr", json_integer(p->hfsr));
    json_object_set_new(o, "mmfar", json_integer(p->mmfar));
    json_object_set_new(o, "bfar", json_integer(p->bfar));
    json_object_set_new(o, "uptime_ms", json_integer(p->uptime_ms));
    json_object_set_new(o, "boot_count", json_integer(p->boot_count));
    json_object_set_new(o, "stack_peak", json_integer(p->stack_peak));
    json_t *bt = json_array();
    for (uint32_t i = 0; i < p->n_backtrace && i < PANIC_BACKTRACE_MAX; i++) {
        json_array_append_new(bt, json_integer(p->backtrace[i]));
    }
    json_object_set_new(o, "backtrace", bt);
    return o;
}

/* issue 18 wolfagent: an image of another stack than mbedTLS names it, its library version
 * and its build options (wolfSSL: "HAVE_SNI,HAVE_SUPPORTED_CURVES,..." as a list). */
static void agent_stack_json(json_t *agent, const agent_info_t *info)
{
    if (!info->tls_stack[0]) {
        return;
    }
    json_object_set_new(agent, "tls_stack", json_string(info->tls_stack));
    json_object_set_new(agent, "library_version", json_string(info->tls_lib_version));
    json_t *opts = json_array();
    const char *p = info->tls_options;
    while (*p) {
        size_t n = strcspn(p, ",");
        if (n > 0) {
            json_array_append_new(opts, json_stringn(p, n));
        }
        p += n + (p[n] == ',' ? 1u : 0u);
    }
    json_object_set_new(agent, "options", opts);
}

static json_t *base_result(const scenario_t *s, const target_session_t *ts, const char *log_rel)
{
    json_t *r = json_object();
    json_object_set_new(r, "scenario", json_string(s->name));
    json_object_set_new(r, "kind", json_string("target"));
    json_object_set_new(r, "board", json_string(ts->board->name));
    json_object_set_new(r, "backend", json_string(ts->expected_backend));
    json_object_set_new(r, "config", json_string(ts->expected_config));
    /* The stack from the agent's own version, so the diagnosis below already compares
     * with the same stack's runs only (run_exec.c sets the planned stack again). */
    json_object_set_new(r, "stack",
                        json_string(stack_or_default(
                            stack_of_agent(ts->info.tls_stack, ts->info.mbedtls_version))));
    json_object_set_new(r, "profile", json_string(s->server.profile));
    json_object_set_new(r, "log", json_string(log_rel));
    json_t *agent = json_object();
    json_object_set_new(agent, "build_id", json_string(ts->info.build_id));
    json_object_set_new(agent, "mbedtls_version",
                        ts->info.mbedtls_version[0] ? json_string(ts->info.mbedtls_version)
                                                    : json_null());
    json_object_set_new(agent, "device_uid", json_string(ts->info.device_uid));
    json_object_set_new(agent, "agent_version", json_string(ts->info.agent_version));
    agent_stack_json(agent, &ts->info);
    /* Board facts from HELLO (typed): what bring-up scenarios assert. */
    if (ts->info.clock_source[0]) {
        json_object_set_new(agent, "clock_source", json_string(ts->info.clock_source));
    }
    if (ts->info.reset_cause[0]) {
        json_object_set_new(agent, "reset_cause", json_string(ts->info.reset_cause));
    }
    if (ts->info.link_baud) {
        json_object_set_new(agent, "link_baud", json_integer(ts->info.link_baud));
    }
    if (ts->info.has_panic) {
        json_object_set_new(agent, "last_panic", panic_json(&ts->info.panic));
    } else if (ts->info.panic_malformed) {
        json_object_set_new(agent, "last_panic", json_string("malformed"));
    }
    json_object_set_new(r, "agent", agent);
    json_object_set_new(r, "mbedtls_ret", json_null());
    json_object_set_new(r, "mbedtls_error", json_null());
    json_object_set_new(r, "alert_received", json_null());
    json_object_set_new(r, "alert_sent", json_null());
    return r;
}

/* This image's crypto self-test in the run so far (same board, backend and
 * config): its outcome, for expect.selftest. */
static void set_selftest_outcome(json_t *r, const json_t *prior)
{
    static const char *const keys[] = {"board", "stack", "backend", "config"};
    size_t i;
    const json_t *p;
    json_array_foreach(prior, i, p)
    {
        const char *kind = json_string_value(json_object_get(p, "kind"));
        bool same = kind && strcmp(kind, "selftest") == 0;
        for (size_t k = 0; same && k < sizeof keys / sizeof keys[0]; k++) {
            const char *a = json_string_value(json_object_get(p, keys[k]));
            const char *b = json_string_value(json_object_get(r, keys[k]));
            same = a && b && strcmp(a, b) == 0;
        }
        if (same) {
            json_object_set(r, "selftest_outcome", json_object_get(p, "outcome"));
        }
    }
}

static json_t *link_json(const link_stats_t *d)
{
    json_t *o = json_object();
    json_object_set_new(o, "frames_tx", json_integer(d->frames_tx));
    json_object_set_new(o, "frames_rx", json_integer(d->frames_rx));
    json_object_set_new(o, "bytes_tx", json_integer(d->bytes_tx));
    json_object_set_new(o, "bytes_rx", json_integer(d->bytes_rx));
    json_object_set_new(o, "crc_errors", json_integer(d->crc_errors));
    json_object_set_new(o, "resyncs", json_integer(d->resyncs));
    json_object_set_new(o, "log_dropped", json_integer(d->log_dropped));
    json_object_set_new(o, "retransmits", json_integer(d->retransmits));
    json_object_set_new(o, "duplicates", json_integer(d->duplicates));
    json_object_set_new(o, "gave_up", json_integer(d->gave_up));
    json_object_set_new(o, "seq_skipped", json_integer(d->seq_skipped));
    return o;
}

/* The scenario's trust list to the agent, unless this agent session already
 * holds exactly it (one CLEAR and a DATA round trip per 248 bytes saved per
 * scenario: 6 for a 1.3 kB PEM, each a line turnaround on a board). */
static int upload_trust(target_session_t *ts, const scenario_t *s, const char **how, char *err,
                        size_t errlen)
{
    *how = "sent";
    const uint8_t *pem = (const uint8_t *)s->plan.trust_pem;
    size_t len = s->plan.trust_pem_len;
    if (ts->ca_copy && ts->ca_len == len && ts->ca_epoch == ts->info.session_epoch &&
        ts->ca_restarts == ts->restarts && memcmp(ts->ca_copy, pem, len) == 0) {
        *how = "reused";
        return 0;
    }
    free(ts->ca_copy); /* unknown until this upload is complete */
    ts->ca_copy = NULL;
    if (agent_upload_ca(&ts->link, pem, len, ts->board->timeouts.hello_ms, err, errlen) != 0) {
        return -1;
    }
    ts->ca_copy = malloc(len ? len : 1);
    if (ts->ca_copy) {
        memcpy(ts->ca_copy, pem, len);
        ts->ca_len = len;
        ts->ca_epoch = ts->info.session_epoch;
        ts->ca_restarts = ts->restarts;
    }
    return 0;
}

/* The line under the link (issue 16 paced): a board's UART rate, or an
 * emulated target's paced line (rate, turnaround, and who paces: the sim
 * agent or the relay before QEMU); null on a bare socket. */
static json_t *line_json(const board_config_t *b)
{
    if (b->link.baud == 0) {
        return json_null();
    }
    json_t *o = json_pack("{sIsi}", "baud", (json_int_t)b->link.baud, "bits_per_byte", 10);
    if (b->kind != BOARD_HW) {
        json_object_set_new(o, "turnaround_ms", json_integer(b->link.turnaround_ms));
        json_object_set_new(o, "paced", json_string(b->kind == BOARD_SIM ? "sim" : "relay"));
    }
    return o;
}

/* The agent's features list (HELLO) names this one. */
/* Compact debug records when the agent offers them and the run did not ask
 * for text: T_LOG_FORMAT appended to the request. The decoder follows the
 * agent session (a restart forgets the record table). */
static size_t choose_log_format(const exec_env_t *env, target_session_t *ts, uint8_t *req,
                                size_t len, size_t cap, uint8_t *format)
{
    bool offered = agent_has_feature(&ts->info, "log-compact");
    *format = !offered || env->log_wire == LOG_WIRE_TEXT ? 0
              : env->log_wire == LOG_WIRE_BOTH           ? 2
                                                         : 1;
    /* QEMU counts instructions exactly: a table kept from earlier handshakes
     * would make a scenario's count depend on what ran before it. */
    bool fresh = *format != 0 && ts->board && ts->board->kind == BOARD_QEMU;
    if (!ts->log_decoder) {
        ts->log_decoder = log_decoder_new();
        ts->log_decoder_restarts = ts->restarts;
    } else if (ts->log_decoder_restarts != ts->restarts || fresh) {
        log_decoder_reset(ts->log_decoder);
        ts->log_decoder_restarts = ts->restarts;
    }
    if (*format == 0) {
        return len;
    }
    tlv_writer_t w;
    tlv_writer_init(&w, req + len, cap - len);
    tlv_put_u8(&w, T_LOG_FORMAT, (uint8_t)(*format | (fresh ? LOG_FORMAT_FRESH : 0u)));
    if (w.overflow) {
        *format = 0;
        return len;
    }
    return len + w.len;
}

/* The link object of a result: the link's counters and the log's bytes. */
static json_t *link_log_json(const bridge_outcome_t *bo, uint8_t format)
{
    static const char *const names[] = {"text", "compact", "both"};
    json_t *o = link_json(&bo->link_delta);
    json_object_set_new(o, "log_format", json_string(names[format % 3u]));
    json_object_set_new(o, "log_wire_bytes", json_integer((json_int_t)bo->log_delta.wire_bytes));
    json_object_set_new(o, "log_text_bytes", json_integer((json_int_t)bo->log_delta.text_bytes));
    json_object_set_new(o, "log_undecoded", json_integer((json_int_t)bo->log_delta.undecoded));
    return o;
}

/* The agent's return code named by the agent's own mbedTLS release: result_decode names it
 * with the host's 2.28 table, and 3.x reused some numbers (-0x5D80, -0x7300, ...). A code the
 * release table does not know stays a number (the agent's own text is mbedtls_error_text). */
/* wolfSSL images: the code is wolfSSL's (wolfSSL_get_error), its text the agent's
 * (wolfSSL_ERR_reason_error_string): typed fields of their own, and a readable
 * mbedtls_error for the reports, never a name from mbedTLS's table. */
static void name_wolfssl_error(json_t *r)
{
    const json_t *ret = json_object_get(r, "mbedtls_ret");
    if (!json_is_integer(ret)) {
        return;
    }
    int code = (int)json_integer_value(ret);
    json_object_set_new(r, "wolfssl_ret", json_integer(code));
    if (code == 0) {
        json_object_set_new(r, "mbedtls_error", json_null());
        return;
    }
    const char *text = json_string_value(json_object_get(r, "mbedtls_error_text"));
    json_object_set_new(r, "wolfssl_error", text ? json_string(text) : json_null());
    char name[200];
    snprintf(name, sizeof name, "wolfSSL %d (%s)", code, text ? text : "no text");
    json_object_set_new(r, "mbedtls_error", json_string(name));
}

static void name_error_by_release(json_t *r, const char *version)
{
    const json_t *ret = json_object_get(r, "mbedtls_ret");
    if (!json_is_integer(ret) || json_integer_value(ret) == 0 || !version ||
        strncmp(version, "2.28.", 5) == 0) {
        return;
    }
    int code = (int)json_integer_value(ret);
    char name[200];
    diagnose_error_name(code, version, name, sizeof name);
    size_t n = strlen(name); /* "UNKNOWN", or one part of "HIGH + LOW" unknown */
    if (strcmp(name, "UNKNOWN") == 0 || strncmp(name, "UNKNOWN ", 8) == 0 ||
        (n > 8 && strcmp(name + n - 8, " UNKNOWN") == 0)) {
        snprintf(name, sizeof name, "%s0x%04X", code < 0 ? "-" : "",
                 (unsigned)(code < 0 ? -code : code));
    }
    json_object_set_new(r, "mbedtls_error", json_string(name));
}

/* A scenario between its handshake and its result (scenario_exec.h). */
struct exec_pending {
    const exec_env_t *env;
    const scenario_t *s;
    json_t *r;
    tls_server_t *srv;  /* NULL when it never started */
    bool server_failed; /* it could not start: the result is that infrastructure error */
    bool tunnel_opened, infra, target_died, resumed;
    uint64_t t0;
    result_diag_extra_t extra;
    deferred_file_t *log; /* the target log, made into logs/<run>.log by scenario_exec_end */
    char log_path[4600];
    char log_rel[512];
};

exec_pending_t *scenario_exec_begin(const exec_env_t *env, target_session_t *ts,
                                    const scenario_t *s, const char *run_id, char *cfg_err,
                                    size_t errlen)
{
    if (!s->plan.prepared) {
        snprintf(cfg_err, errlen, "%s: scenario not prepared (preflight_check)", s->path);
        return NULL;
    }
    const server_profile_t *prof = s->plan.profile;
    uint8_t req[LINK_MAX_PAYLOAD];
    /* Emulated boards run in TEST ONLY seed mode (test_seed.h): both DRBGs
     * seeded from the scenario, and "now" a fixed instant, or the client
     * random (which carries the time, and which the server signs) would
     * change every second. */
    bool seeded = test_seed_applies(ts->board);
    test_seed_t seed;
    test_seed_derive(s->name, ts->expected_backend, &seed);
    time_t now = seeded ? (time_t)1767225600 : time(NULL);
    size_t req_len = client_request_encode(s, run_id, now, req, sizeof req, cfg_err, errlen);
    if (req_len == 0) {
        return NULL;
    }
    exec_pending_t *p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(cfg_err, errlen, "%s: out of memory", s->path);
        return NULL;
    }
    p->env = env;
    p->s = s;
    uint8_t log_format = 0;
    req_len = choose_log_format(env, ts, req, req_len, sizeof req, &log_format);

    char *log_rel = p->log_rel, capture_dir[4200];
    snprintf(p->log_rel, sizeof p->log_rel, "logs/%s.log", run_id);
    snprintf(p->log_path, sizeof p->log_path, "%s/%s", env->out_dir, log_rel);
    snprintf(capture_dir, sizeof capture_dir, "%s/captures", env->out_dir);
    json_t *r = base_result(s, ts, log_rel);
    p->r = r;
    json_object_set_new(r, "run_id", json_string(run_id));
    /* Flash/RAM of the image: cross builds write <image>.size.json next to it. */
    char size_path[4200];
    snprintf(size_path, sizeof size_path, "%s.size.json", ts->image);
    json_t *size = json_load_file(size_path, 0, NULL);
    if (size) {
        json_object_set_new(r, "image_size", size);
    }

    char err[400];
    tls_server_opts_t so = {.profile = prof,
                            .listen = "127.0.0.1:0",
                            .capture_dir = capture_dir,
                            .label = run_id,
                            /* the view goes to results.jsonl; no view.json beside it */
                            .capture_streams_only = true,
                            .recipes_path = env->recipes_path,
                            .certs_cache = env->certs_cache,
                            /* errors and tlsrig's lines (RUN_SERVER_DEBUG_DEFAULT) */
                            .debug_level = (int)env->server_debug,
                            .test_seed = seeded ? seed.hex : NULL};
    /* The TEST ONLY seed rides in the request (T_SEED, one link round trip less; an agent
     * without the feature, older than this tree, gets CTRL_ENTROPY first). The scenario's server
     * starts while the agent takes the seed and sets up (issue 16). */
    bool seed_inside = seeded && agent_has_feature(&ts->info, "seed-in-request");
    if (seed_inside) {
        tlv_writer_t w;
        tlv_writer_init(&w, req + req_len, sizeof req - req_len);
        tlv_put_bytes(&w, T_SEED, seed.bytes, sizeof seed.bytes);
        seed_inside = !w.overflow;
        req_len += seed_inside ? w.len : 0;
    }
    p->t0 = realtime_us();

    bridge_outcome_t bo;
    memset(&bo, 0, sizeof bo);
    const char *trust_upload = NULL; /* "sent" or "reused" once that step ran */
    bool bridged = false;
    if (seeded) {
        json_object_set_new(r, "test_seed", json_string(seed.hex));
    }
    if (seeded && !seed_inside &&
        test_seed_send(&ts->link, &seed, ts->board->timeouts.hello_ms, err, sizeof err) != 0) {
        snprintf(bo.infra, sizeof bo.infra, "TEST ONLY seed: %s", err);
        bo.target_died = true;
    } else if (upload_trust(ts, s, &trust_upload, err, sizeof err) != 0) {
        snprintf(bo.infra, sizeof bo.infra, "CA upload failed: %s", err);
        bo.infra_cause = infra_classify_rpc(ts->flasher, &ts->handle, agent_rpc_last_failure());
        bo.target_died = true;
    } else {
        bridge_target_t bt = {.link = &ts->link,
                              .flasher = ts->flasher,
                              .handle = &ts->handle,
                              .log_decoder = ts->log_decoder};
        /* The relay's thread and the server's threads it creates share a CPU until the
         * RESULT (thread_colocate.h). */
        thread_colocation_t colocated;
        thread_colocate_begin(&colocated);
        bridge_begin(&bt, req, req_len, &bo);
        bridged = true;
        /* The server starts while the agent takes the request and sets up; the log's first
         * lines wait in the link until bridge_continue, and the log file is made at the end
         * (finish_log). */
        p->srv = tls_server_start(&so, err, sizeof err);
        p->log = deferred_file_open(p->log_path, DEFERRED_FILE_SPILL_MS);
        FILE *log = p->log ? deferred_file_stream(p->log) : NULL;
        /* both: the records' rendering beside the text, compared by tests */
        char records_path[4700];
        snprintf(records_path, sizeof records_path, "%s.records", p->log_path);
        FILE *records = log_format == 2 ? fopen(records_path, "w") : NULL;
        bt.log_records = records;
        /* Without a server the agent's TUNNEL OPEN is refused and its RESULT still comes,
         * so the agent is ready for the next scenario. */
        bridge_continue(&bt, p->srv ? tls_server_port(p->srv) : 0, log,
                        s->timeout_ms ? s->timeout_ms : env->scenario_timeout_ms, env->interrupted,
                        &bo);
        thread_colocate_end(&colocated);
        /* A log that could not be written is lost data: say so (full disk). The target log
         * is made by scenario_exec_end, which says so too. */
        int log_errno = log && (log_format != 2 || records) ? 0 : errno ? errno : EIO;
        if (log && fflush(log) != 0) {
            log_errno = errno ? errno : EIO;
        }
        if (records && (ferror(records) | fclose(records)) != 0) {
            log_errno = errno ? errno : EIO;
        }
        if (log_errno) {
            snprintf(bo.infra, sizeof bo.infra, "%.300s: cannot be written: %s", log_rel,
                     strerror(log_errno));
            json_object_set_new(r, "write_error", json_string(p->log_path));
        }
    }
    if (bridged && !p->srv && !bo.target_died && !bo.infra[0]) {
        /* The server is ours: failing to start it is the rig's fault (the agent's RESULT,
         * a refused connection, is not the scenario's outcome). */
        json_decref(bo.result);
        result_set_infra(r, INFRA_HOST_ERROR, err);
        p->infra = p->server_failed = true;
        return p;
    }
    p->tunnel_opened = bo.tunnel_opened;
    p->infra = bo.infra[0] != '\0';
    p->target_died = bo.target_died;
    /* RESULT's `resumed` is there when the agent made its second connection. */
    p->resumed = s->client.resume && bo.result && json_object_get(bo.result, "resumed");

    json_object_set_new(r, "started_us", json_integer((json_int_t)bo.started_us));
    json_object_set_new(r, "ended_us", json_integer((json_int_t)bo.ended_us));
    json_t *link = link_log_json(&bo, log_format);
    json_object_set_new(link, "line", line_json(ts->board));
    json_object_set_new(r, "link", link);
    /* "reused": the agent already held this trust list (upload_trust). */
    if (trust_upload) {
        json_object_set_new(r, "trust_upload", json_string(trust_upload));
    }
    if (bo.result) {
        json_object_update(r, bo.result);
        if (stack_is_wolfssl(ts->info.tls_stack)) {
            name_wolfssl_error(r);
        } else {
            name_error_by_release(r, ts->info.mbedtls_version);
        }
        json_decref(bo.result);
    }
    if (p->infra) {
        json_object_set_new(r, "outcome", json_string("infra-error"));
        json_object_set_new(r, "infra_error", json_string(bo.infra));
        json_object_set_new(r, "infra_cause", json_string(infra_cause_id(bo.infra_cause)));
    } else {
        json_int_t ret = json_integer_value(json_object_get(r, "mbedtls_ret"));
        json_object_set_new(r, "outcome", json_string(ret == 0 ? "pass" : "fail"));
    }
    long long t = client_plan_time(&s->plan.client, now);
    json_object_set_new(r, "client_time", t >= 0 ? json_integer(t) : json_null());
    /* What the diagnosis needs of the target session, taken now: the session moves on to
     * the next scenario while this one's result is finished (run_exec.c). */
    const char *sni = s->client.sni;
    p->extra.requested_sni = sni && strcmp(sni, "none") != 0 ? sni : NULL;
    p->extra.agent_sni = ts->info.features[0] ? agent_has_feature(&ts->info, "sni") : -1;
    if (env->user_config) {
        p->extra.config = &env->user_config->effective;
        p->extra.config_label = env->user_config_label;
        p->extra.config_stack = env->user_config->stack;
    }
    return p;
}

bool scenario_exec_clean(const exec_pending_t *p)
{
    return !p->infra && !p->target_died;
}

bool scenario_exec_target_died(const exec_pending_t *p)
{
    return p->target_died;
}

/* The target log made into its file; a log that could not be written is lost data, and the
 * result says so as the infrastructure error it is. */
static void finish_log(exec_pending_t *p)
{
    int err = deferred_file_close(p->log);
    p->log = NULL;
    if (err == 0) {
        return;
    }
    char text[700];
    snprintf(text, sizeof text, "%.300s: cannot be written: %s", p->log_rel, strerror(err));
    json_object_set_new(p->r, "outcome", json_string("infra-error"));
    json_object_set_new(p->r, "infra_error", json_string(text));
    json_object_set_new(p->r, "infra_cause", json_string(infra_cause_id(INFRA_HOST_ERROR)));
    json_object_set_new(p->r, "write_error", json_string(p->log_path));
}

/* A capture file the server could not write (its view's capture_errors) is lost data too:
 * write_error names it, and the run stops there with exit 3 (run_exec.c), as for the log. */
static void note_lost_capture(json_t *r, const json_t *view)
{
    const json_t *lost = json_object_get(view, "capture_errors");
    if (json_array_size(lost) == 0 || json_object_get(r, "write_error")) {
        return;
    }
    const char *dir = json_string_value(json_object_get(view, "capture_dir"));
    const char *why = json_string_value(json_object_get(view, "capture_error"));
    char path[4600];
    if (dir) {
        snprintf(path, sizeof path, "%s/%s", dir, why ? why : "capture");
    } else { /* the folder itself could not be made */
        snprintf(path, sizeof path, "the capture folder of %s (%s)",
                 json_string_value(json_object_get(view, "label")), why ? why : "");
    }
    json_object_set_new(r, "write_error", json_string(path));
}

json_t *scenario_exec_end(exec_pending_t *p)
{
    json_t *r = p->r;
    finish_log(p);
    if (p->server_failed) {
        free(p);
        return r; /* the server never started: already an infrastructure error */
    }
    /* No connection (the agent failed before it, e.g. on its trust list): no view to wait for.
     * No server: the seed or the trust list failed before it was started. */
    server_view_t typed;
    server_view_init(&typed);
    json_t *view = NULL, *first_view = NULL;
    if (p->srv) {
        view = p->tunnel_opened
                   ? tls_server_wait_view_typed(p->srv, p->infra ? 500u : 3000u, &typed)
                   : NULL;
        first_view = p->resumed && view ? second_view(p->srv, &view, &typed) : NULL;
        tls_server_stop(p->srv);
    }
    json_object_set_new(r, "duration_ms", json_real((double)(realtime_us() - p->t0) / 1000.0));
    note_lost_capture(r, first_view);
    note_lost_capture(r, view);
    if (view) {
        json_object_set_new(r, "server", view);
    }
    if (first_view) {
        json_object_set_new(r, "server_first", first_view);
    }
    set_selftest_outcome(r, p->env->prior_results);
    result_add_diagnosis_ex(r, p->log_path, view ? &typed : NULL, p->env->prior_results, &p->extra);
    provenance_qualify(r, p->s->plan.profile, view ? &typed : NULL);
    free(p);
    return r;
}
