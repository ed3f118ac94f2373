#define _POSIX_C_SOURCE 200809L
#include "report_test_util.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *fixture_dir(const char *name)
{
    static char path[4096];
    const char *src = getenv("TLSRIG_SOURCE_DIR");
    cr_assert(src != NULL, "TLSRIG_SOURCE_DIR not set");
    snprintf(path, sizeof path, "%s/tests/fixtures/reports/%s", src, name);
    return path;
}

const char *scratch_dir(void)
{
    static char dir[64];
    snprintf(dir, sizeof dir, "/tmp/tlsrig-report-test-XXXXXX");
    cr_assert(mkdtemp(dir) != NULL);
    return dir;
}

const char *scratch_copy(const char *name)
{
    static char dir[64];
    snprintf(dir, sizeof dir, "%s", scratch_dir());
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "cp -R '%s/.' '%s/'", fixture_dir(name), dir);
    cr_assert(system(cmd) == 0, "%s", cmd);
    return dir;
}

char *slurp(const char *dir, const char *file)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *f = fopen(path, "rb");
    if (!f) {
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    size_t got = fread(buf, 1, (size_t)n, f);
    buf[got] = '\0';
    fclose(f);
    return buf;
}
