#include "safe_name.h"

#include <string.h>

static const char allowed[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.";

const char *safe_name_problem(const char *name)
{
    if (!name || !name[0]) {
        return "is empty";
    }
    size_t len = strlen(name);
    if (len > SAFE_NAME_MAX) {
        return "is longer than 64 characters";
    }
    if (name[0] == '.') {
        return "starts with '.'";
    }
    if (strspn(name, allowed) != len) {
        return "has a character other than letters, digits, '-', '_' and '.'";
    }
    return "";
}

bool safe_name_valid(const char *name)
{
    return safe_name_problem(name)[0] == '\0';
}

bool names_valid(const char *const *names, size_t n, const char **bad)
{
    for (size_t i = 0; i < n; i++) {
        if (!safe_name_valid(names[i])) {
            if (bad) {
                *bad = names[i];
            }
            return false;
        }
    }
    return true;
}
