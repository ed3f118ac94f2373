#include "parity_rule.h"

#include <stdio.h>
#include <string.h>

bool parity_applicable(const json_t *r)
{
    const char *o = json_string_value(json_object_get(r, "outcome"));
    return o && (strcmp(o, "pass") == 0 || strcmp(o, "fail") == 0);
}

/* A field's value as text ("-" when absent or null), for the reason. */
static void value_text(const json_t *v, char *out, size_t n)
{
    if (json_is_string(v)) {
        snprintf(out, n, "%s", json_string_value(v));
    } else if (json_is_integer(v)) {
        snprintf(out, n, "%lld", (long long)json_integer_value(v));
    } else {
        snprintf(out, n, "-");
    }
}

parity_status_t parity_compare(const json_t *sw, const json_t *hw, char *why, size_t n)
{
    if (n) {
        why[0] = '\0';
    }
    if (!parity_applicable(sw) || !parity_applicable(hw)) {
        return PARITY_NOT_APPLICABLE;
    }
    static const char *const fields[] = {"outcome",    "mbedtls_ret", "alert_received",
                                         "alert_sent", "version",     "suite"};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        const json_t *a = json_object_get(sw, fields[i]), *b = json_object_get(hw, fields[i]);
        /* Absent and null both mean "none". */
        bool a_none = !a || json_is_null(a), b_none = !b || json_is_null(b);
        if (a_none && b_none) {
            continue;
        }
        if (a_none != b_none || !json_equal(a, b)) {
            char va[96], vb[96];
            value_text(a, va, sizeof va);
            value_text(b, vb, sizeof vb);
            snprintf(why, n, "%s: sw %s, hw %s", fields[i], va, vb);
            return PARITY_MISMATCH;
        }
    }
    return PARITY_MATCH;
}
