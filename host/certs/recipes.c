/* Loads fixtures/certs/recipes.yaml with libcyaml and checks every field, so
 * that the generator only ever sees recipes it can build. */
#include "recipes.h"

#include <arpa/inet.h>
#include <cyaml/cyaml.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_yaml.h"

/* ---- schema ---- */

static const cyaml_schema_value_t string_entry = {
    CYAML_VALUE_STRING(CYAML_FLAG_POINTER, char, 0, CYAML_UNLIMITED),
};

static const cyaml_schema_field_t cert_fields[] = {
    CYAML_FIELD_STRING_PTR("name", CYAML_FLAG_POINTER, cert_recipe_t, name, 1, 48),
    CYAML_FIELD_STRING_PTR("key", CYAML_FLAG_POINTER, cert_recipe_t, key, 1, 32),
    CYAML_FIELD_STRING_PTR("issuer", CYAML_FLAG_POINTER, cert_recipe_t, issuer, 1, 48),
    CYAML_FIELD_STRING_PTR("hash", CYAML_FLAG_POINTER, cert_recipe_t, hash, 1, 16),
    CYAML_FIELD_STRING_PTR("cn", CYAML_FLAG_POINTER, cert_recipe_t, cn, 1, 64),
    CYAML_FIELD_STRING_PTR("not_before", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, cert_recipe_t,
                           not_before, 0, 32),
    CYAML_FIELD_STRING_PTR("not_after", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, cert_recipe_t,
                           not_after, 0, 32),
    CYAML_FIELD_BOOL("ca", CYAML_FLAG_OPTIONAL, cert_recipe_t, ca),
    CYAML_FIELD_INT_PTR("pathlen", CYAML_FLAG_OPTIONAL, cert_recipe_t, pathlen),
    CYAML_FIELD_SEQUENCE("dns", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, cert_recipe_t, dns,
                         &string_entry, 0, CYAML_UNLIMITED),
    CYAML_FIELD_SEQUENCE("ip", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, cert_recipe_t, ip,
                         &string_entry, 0, CYAML_UNLIMITED),
    CYAML_FIELD_UINT("filler_dns", CYAML_FLAG_OPTIONAL, cert_recipe_t, filler_dns),
    CYAML_FIELD_SEQUENCE("key_usage", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, cert_recipe_t,
                         key_usage, &string_entry, 0, CYAML_UNLIMITED),
    CYAML_FIELD_SEQUENCE("ext_key_usage", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, cert_recipe_t,
                         ext_key_usage, &string_entry, 0, CYAML_UNLIMITED),
    CYAML_FIELD_STRING_PTR("ecdsa_sig_encoding", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
                           cert_recipe_t, ecdsa_sig_encoding, 0, 32),
    CYAML_FIELD_END,
};

static const cyaml_schema_field_t chain_fields[] = {
    CYAML_FIELD_STRING_PTR("name", CYAML_FLAG_POINTER, chain_recipe_t, name, 1, 48),
    CYAML_FIELD_STRING_PTR("leaf", CYAML_FLAG_POINTER, chain_recipe_t, leaf, 1, 48),
    CYAML_FIELD_STRING_PTR("description", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, chain_recipe_t,
                           description, 0, 255),
    CYAML_FIELD_END,
};

static const cyaml_schema_value_t cert_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, cert_recipe_t, cert_fields),
};
static const cyaml_schema_value_t chain_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, chain_recipe_t, chain_fields),
};

static const cyaml_schema_field_t top_fields[] = {
    CYAML_FIELD_STRING_PTR("organization", CYAML_FLAG_POINTER, recipe_file_t, organization, 1, 64),
    CYAML_FIELD_STRING_PTR("not_before", CYAML_FLAG_POINTER, recipe_file_t, not_before, 1, 32),
    CYAML_FIELD_STRING_PTR("not_after", CYAML_FLAG_POINTER, recipe_file_t, not_after, 1, 32),
    CYAML_FIELD_SEQUENCE("certificates", CYAML_FLAG_POINTER, recipe_file_t, certificates,
                         &cert_entry, 1, CYAML_UNLIMITED),
    CYAML_FIELD_SEQUENCE("chains", CYAML_FLAG_POINTER, recipe_file_t, chains, &chain_entry, 1,
                         CYAML_UNLIMITED),
    CYAML_FIELD_END,
};

static const cyaml_schema_value_t top_schema = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, recipe_file_t, top_fields),
};

/* ---- libcyaml error capture: its backtrace names the offending key ---- */

typedef struct log_capture {
    char text[768];
    size_t used;
} log_capture_t;

static void capture_log(cyaml_log_t level, void *ctx, const char *fmt, va_list args)
{
    log_capture_t *cap = ctx;
    if (level < CYAML_LOG_ERROR || cap->used + 1 >= sizeof(cap->text))
        return;
    int n = vsnprintf(cap->text + cap->used, sizeof(cap->text) - cap->used, fmt, args);
    if (n < 0)
        return;
    cap->used += (size_t)n;
    if (cap->used >= sizeof(cap->text))
        cap->used = sizeof(cap->text) - 1;
    /* One line: newlines and indentation collapse to single spaces. */
    size_t w = 0;
    for (size_t r = 0; r < cap->used; r++) {
        char ch = cap->text[r] == '\n' || cap->text[r] == '\t' ? ' ' : cap->text[r];
        if (ch == ' ' && (w == 0 || cap->text[w - 1] == ' '))
            continue;
        cap->text[w++] = ch;
    }
    cap->used = w;
    cap->text[w] = '\0';
}

/* ---- field checks ---- */

static const char *const key_names[] = {"rsa-2048", "rsa-3072", "rsa-4096", "ec-p256", "ec-p384"};
static const char *const hash_names[] = {"sha1", "sha256", "sha384", "sha512"};
static const char *const ku_names[] = {"digital_signature", "non_repudiation", "key_encipherment",
                                       "data_encipherment", "key_agreement",   "key_cert_sign",
                                       "crl_sign"};
static const char *const eku_names[] = {"server_auth", "client_auth"};
static const char *const ecdsa_encoding_names[] = {"rfc5758", "legacy-null"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static bool in_list(const char *v, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v, list[i]) == 0)
            return true;
    return false;
}

static bool valid_name(const char *s)
{
    if (!s[0])
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
            return false;
    return true;
}

/* A CN goes into mbedTLS's "CN=...,O=..." string: no separators or escapes. */
static bool valid_cn(const char *s)
{
    return s[0] && strpbrk(s, ",=\\\"+;<>#") == NULL;
}

static bool valid_dns(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 253)
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '.' || *p == '*'))
            return false;
    return true;
}

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* "YYYY-MM-DD" or "YYYY-MM-DD hh:mm:ss" (UTC). */
static bool valid_date(const char *s)
{
    size_t n = strlen(s);
    if (n != 10 && n != 19)
        return false;
    if (!digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' || !digits(s + 8, 2))
        return false;
    int month = (s[5] - '0') * 10 + (s[6] - '0');
    int day = (s[8] - '0') * 10 + (s[9] - '0');
    if (month < 1 || month > 12 || day < 1 || day > 31)
        return false;
    if (n == 19) {
        if (s[10] != ' ' || !digits(s + 11, 2) || s[13] != ':' || !digits(s + 14, 2) ||
            s[16] != ':' || !digits(s + 17, 2))
            return false;
        int h = (s[11] - '0') * 10 + (s[12] - '0');
        int m = (s[14] - '0') * 10 + (s[15] - '0');
        int sec = (s[17] - '0') * 10 + (s[18] - '0');
        if (h > 23 || m > 59 || sec > 59)
            return false;
    }
    return true;
}

void recipe_time_to_x509(const char *date, char out[15])
{
    /* Validated beforehand: copy the digits, default time 00:00:00. */
    memcpy(out, date, 4);
    memcpy(out + 4, date + 5, 2);
    memcpy(out + 6, date + 8, 2);
    if (strlen(date) == 19) {
        memcpy(out + 8, date + 11, 2);
        memcpy(out + 10, date + 14, 2);
        memcpy(out + 12, date + 17, 2);
    } else {
        memcpy(out + 8, "000000", 6);
    }
    out[14] = '\0';
}

static int fail(char *err, size_t errlen, const char *path, const char *what, const char *name,
                const char *key, const char *detail)
{
    snprintf(err, errlen, "%s: %s '%s': key '%s': %s", path, what, name, key, detail);
    return -1;
}

static int check_strings(char **v, unsigned n, const char *const *allowed, size_t n_allowed,
                         const char *path, const char *name, const char *key, char *err,
                         size_t errlen)
{
    char detail[160];
    for (unsigned i = 0; i < n; i++) {
        if (!in_list(v[i], allowed, n_allowed)) {
            snprintf(detail, sizeof(detail), "unknown value '%.60s'", v[i]);
            return fail(err, errlen, path, "certificate", name, key, detail);
        }
    }
    return 0;
}

static int check_cert(const recipe_file_t *rf, const cert_recipe_t *c, const char *path, char *err,
                      size_t errlen)
{
    const char *n = c->name;
    char detail[160];
    if (!valid_name(n))
        return fail(err, errlen, path, "certificate", n, "name", "use a-z, 0-9, '-', '_'");
    if (!in_list(c->key, key_names, COUNT(key_names))) {
        snprintf(detail, sizeof(detail),
                 "unknown value '%.40s' (rsa-2048, rsa-3072, rsa-4096, ec-p256, ec-p384)", c->key);
        return fail(err, errlen, path, "certificate", n, "key", detail);
    }
    if (!in_list(c->hash, hash_names, COUNT(hash_names))) {
        snprintf(detail, sizeof(detail), "unknown value '%.40s' (sha1, sha256, sha384, sha512)",
                 c->hash);
        return fail(err, errlen, path, "certificate", n, "hash", detail);
    }
    if (!valid_cn(c->cn))
        return fail(err, errlen, path, "certificate", n, "cn",
                    "must not contain , = \\ \" + ; < > #");
    if (c->not_before && !valid_date(c->not_before))
        return fail(err, errlen, path, "certificate", n, "not_before",
                    "expected YYYY-MM-DD or YYYY-MM-DD hh:mm:ss");
    if (c->not_after && !valid_date(c->not_after))
        return fail(err, errlen, path, "certificate", n, "not_after",
                    "expected YYYY-MM-DD or YYYY-MM-DD hh:mm:ss");
    if (c->pathlen && (*c->pathlen < 0 || *c->pathlen > 32 || !c->ca))
        return fail(err, errlen, path, "certificate", n, "pathlen",
                    "only on a CA, between 0 and 32");
    for (unsigned i = 0; i < c->dns_count; i++)
        if (!valid_dns(c->dns[i]))
            return fail(err, errlen, path, "certificate", n, "dns", "invalid host name");
    for (unsigned i = 0; i < c->ip_count; i++) {
        unsigned char addr[16];
        if (inet_pton(AF_INET, c->ip[i], addr) != 1 && inet_pton(AF_INET6, c->ip[i], addr) != 1)
            return fail(err, errlen, path, "certificate", n, "ip", "invalid IP address");
    }
    if (c->filler_dns > 2000)
        return fail(err, errlen, path, "certificate", n, "filler_dns", "at most 2000");
    if (check_strings(c->key_usage, c->key_usage_count, ku_names, COUNT(ku_names), path, n,
                      "key_usage", err, errlen) ||
        check_strings(c->ext_key_usage, c->ext_key_usage_count, eku_names, COUNT(eku_names), path,
                      n, "ext_key_usage", err, errlen))
        return -1;
    if (strcmp(c->issuer, "self") != 0) {
        const cert_recipe_t *issuer = recipes_find_cert(rf, c->issuer);
        if (!issuer) {
            snprintf(detail, sizeof(detail), "no certificate named '%.48s'", c->issuer);
            return fail(err, errlen, path, "certificate", n, "issuer", detail);
        }
        if (!issuer->ca) {
            snprintf(detail, sizeof(detail), "'%.48s' is not a CA (ca: true)", c->issuer);
            return fail(err, errlen, path, "certificate", n, "issuer", detail);
        }
    }
    /* The issuer walk must end at a root within RECIPE_MAX_DEPTH steps. */
    const cert_recipe_t *walk = c;
    for (int depth = 0; !recipe_is_root(walk); depth++) {
        if (depth >= RECIPE_MAX_DEPTH)
            return fail(err, errlen, path, "certificate", n, "issuer",
                        "issuer chain loops or is too long");
        walk = recipes_find_cert(rf, walk->issuer);
    }
    if (c->ecdsa_sig_encoding) {
        if (!in_list(c->ecdsa_sig_encoding, ecdsa_encoding_names, COUNT(ecdsa_encoding_names))) {
            snprintf(detail, sizeof(detail), "unknown value '%.40s' (rfc5758, legacy-null)",
                     c->ecdsa_sig_encoding);
            return fail(err, errlen, path, "certificate", n, "ecdsa_sig_encoding", detail);
        }
        const cert_recipe_t *signer = recipe_is_root(c) ? c : recipes_find_cert(rf, c->issuer);
        if (recipe_key_kind(signer) != RECIPE_KEY_EC)
            return fail(err, errlen, path, "certificate", n, "ecdsa_sig_encoding",
                        "only for a certificate its issuer signs with an EC key");
    }
    return 0;
}

static int check_file(const recipe_file_t *rf, const char *path, char *err, size_t errlen)
{
    if (!strstr(rf->organization, "TEST ONLY"))
        return fail(err, errlen, path, "file", path, "organization",
                    "must contain 'TEST ONLY' so nobody mistakes these for real certificates");
    if (!valid_date(rf->not_before))
        return fail(err, errlen, path, "file", path, "not_before", "expected YYYY-MM-DD");
    if (!valid_date(rf->not_after))
        return fail(err, errlen, path, "file", path, "not_after", "expected YYYY-MM-DD");
    for (unsigned i = 0; i < rf->certificates_count; i++) {
        const cert_recipe_t *c = &rf->certificates[i];
        for (unsigned j = 0; j < i; j++)
            if (strcmp(rf->certificates[j].name, c->name) == 0)
                return fail(err, errlen, path, "certificate", c->name, "name", "duplicate name");
    }
    for (unsigned i = 0; i < rf->certificates_count; i++)
        if (check_cert(rf, &rf->certificates[i], path, err, errlen))
            return -1;
    for (unsigned i = 0; i < rf->chains_count; i++) {
        const chain_recipe_t *ch = &rf->chains[i];
        if (!valid_name(ch->name))
            return fail(err, errlen, path, "chain", ch->name, "name", "use a-z, 0-9, '-', '_'");
        for (unsigned j = 0; j < i; j++)
            if (strcmp(rf->chains[j].name, ch->name) == 0)
                return fail(err, errlen, path, "chain", ch->name, "name", "duplicate name");
        if (!recipes_find_cert(rf, ch->leaf))
            return fail(err, errlen, path, "chain", ch->name, "leaf",
                        "no certificate with that name");
    }
    return 0;
}

/* ---- public ---- */

recipe_file_t *recipes_load(const char *path, char *err, size_t errlen)
{
    log_capture_t cap = {.used = 0};
    cap.text[0] = '\0';
    const cyaml_config_t config = {
        .log_fn = capture_log,
        .log_ctx = &cap,
        .mem_fn = cyaml_mem,
        .log_level = CYAML_LOG_ERROR,
        .flags = CYAML_CFG_NO_ALIAS,
    };
    recipe_file_t *rf = NULL;
    /* The same checks as every configuration file: size, not empty, no aliases. */
    config_yaml_t cy;
    if (config_yaml_read(&cy, path, err, errlen) != 0) {
        config_yaml_free(&cy);
        return NULL;
    }
    cyaml_err_t e = cyaml_load_data((const uint8_t *)cy.text, cy.len, &config, &top_schema,
                                    (cyaml_data_t **)&rf, NULL);
    config_yaml_free(&cy);
    if (e != CYAML_OK || !rf) {
        snprintf(err, errlen, "%s: %s: %s", path, cyaml_strerror(e),
                 cap.used ? cap.text : "(no detail)");
        recipes_free(rf);
        return NULL;
    }
    if (check_file(rf, path, err, errlen)) {
        recipes_free(rf);
        return NULL;
    }
    return rf;
}

void recipes_free(recipe_file_t *rf)
{
    if (!rf)
        return;
    const cyaml_config_t config = {
        .log_fn = NULL,
        .mem_fn = cyaml_mem,
        .log_level = CYAML_LOG_ERROR,
    };
    cyaml_free(&config, &top_schema, rf, 0);
}

const cert_recipe_t *recipes_find_cert(const recipe_file_t *rf, const char *name)
{
    for (unsigned i = 0; i < rf->certificates_count; i++)
        if (strcmp(rf->certificates[i].name, name) == 0)
            return &rf->certificates[i];
    return NULL;
}

const chain_recipe_t *recipes_find_chain(const recipe_file_t *rf, const char *name)
{
    for (unsigned i = 0; i < rf->chains_count; i++)
        if (strcmp(rf->chains[i].name, name) == 0)
            return &rf->chains[i];
    return NULL;
}

recipe_key_kind_t recipe_key_kind(const cert_recipe_t *c)
{
    return strncmp(c->key, "ec-", 3) == 0 ? RECIPE_KEY_EC : RECIPE_KEY_RSA;
}

unsigned recipe_key_bits(const cert_recipe_t *c)
{
    /* "rsa-2048" and "ec-p256": the number starts after four characters. */
    return (unsigned)strtoul(c->key + 4, NULL, 10);
}

bool recipe_is_root(const cert_recipe_t *c)
{
    return strcmp(c->issuer, "self") == 0;
}

bool recipe_legacy_null_params(const cert_recipe_t *c)
{
    return c->ecdsa_sig_encoding && strcmp(c->ecdsa_sig_encoding, "legacy-null") == 0;
}
