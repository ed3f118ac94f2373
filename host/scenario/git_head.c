/* HEAD's commit from the repository's files (git_head.h). Hand-written: Debian's libgit2 is not
 * one of the project's dependencies, and the layout read here (gitrepository-layout(5):
 * HEAD, gitdir/commondir files, loose refs, packed-refs) is all a HEAD lookup needs. */
#define _POSIX_C_SOURCE 200809L
#include "git_head.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define PATH_CAP 4096
#define MAX_SYMREF_DEPTH 5
#define MAX_PARENTS 64

/* The first line of a small file, without its line end; false if missing or too long. */
static bool read_line(const char *path, char *out, size_t cap)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        return false;
    }
    bool ok = fgets(out, (int)cap, f) != NULL;
    fclose(f);
    if (!ok) {
        return false;
    }
    size_t n = strcspn(out, "\r\n");
    if (out[n] == '\0' && n + 1 >= cap) {
        return false; /* cut: not a line we know */
    }
    out[n] = '\0';
    return true;
}

static bool is_hex_id(const char *s, size_t n)
{
    if (n != 40 && n != 64) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i])) {
            return false;
        }
    }
    return true;
}

static bool join(char *out, size_t cap, const char *dir, const char *rel)
{
    int n = rel[0] == '/' ? snprintf(out, cap, "%s", rel) : snprintf(out, cap, "%s/%s", dir, rel);
    return n > 0 && (size_t)n < cap;
}

/* The directory of path (path without its last component). */
static void dir_of(const char *path, char *out, size_t cap)
{
    snprintf(out, cap, "%s", path);
    char *slash = strrchr(out, '/');
    if (slash && slash != out) {
        *slash = '\0';
    } else if (slash) {
        slash[1] = '\0';
    }
}

/* gitdir (HEAD's directory) and commondir (refs and packed-refs) of dir's repository. */
static bool find_git_dirs(const char *dir, char *gitdir, char *common)
{
    char cur[PATH_CAP], probe[PATH_CAP], line[PATH_CAP];
    snprintf(cur, sizeof cur, "%s", dir);
    for (int up = 0; up < MAX_PARENTS; up++) {
        struct stat st;
        if (!join(probe, sizeof probe, cur, ".git")) {
            return false;
        }
        if (stat(probe, &st) == 0 && S_ISDIR(st.st_mode)) {
            snprintf(gitdir, PATH_CAP, "%s", probe);
            break;
        }
        if (stat(probe, &st) == 0 && S_ISREG(st.st_mode)) {
            /* A worktree or submodule: "gitdir: PATH", relative to the file's folder. */
            if (!read_line(probe, line, sizeof line) || strncmp(line, "gitdir: ", 8) != 0 ||
                !join(gitdir, PATH_CAP, cur, line + 8)) {
                return false;
            }
            break;
        }
        if (strcmp(cur, "/") == 0 || cur[0] == '\0') {
            return false;
        }
        char parent[PATH_CAP];
        dir_of(cur, parent, sizeof parent);
        if (strcmp(parent, cur) == 0) {
            return false;
        }
        snprintf(cur, sizeof cur, "%s", parent);
        if (up + 1 == MAX_PARENTS) {
            return false;
        }
    }
    if (!join(probe, sizeof probe, gitdir, "commondir")) {
        return false;
    }
    if (read_line(probe, line, sizeof line)) {
        return join(common, PATH_CAP, gitdir, line);
    }
    snprintf(common, PATH_CAP, "%s", gitdir);
    return true;
}

/* A ref's id from "<id> <ref>" lines of packed-refs ('#' and '^' lines skipped). */
static bool packed_ref(const char *common, const char *ref, char *id, size_t cap)
{
    char path[PATH_CAP], line[PATH_CAP];
    if (!join(path, sizeof path, common, "packed-refs")) {
        return false;
    }
    FILE *f = fopen(path, "r");
    if (!f) {
        return false;
    }
    bool found = false;
    while (!found && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *sp = strchr(line, ' ');
        if (line[0] == '#' || line[0] == '^' || !sp || strcmp(sp + 1, ref) != 0) {
            continue;
        }
        size_t n = (size_t)(sp - line);
        if (is_hex_id(line, n) && n < cap) {
            memcpy(id, line, n);
            id[n] = '\0';
            found = true;
        }
    }
    fclose(f);
    return found;
}

bool git_head_read(const char *dir, char *out, size_t cap)
{
    char gitdir[PATH_CAP], common[PATH_CAP], path[PATH_CAP], line[PATH_CAP];
    if (!dir || !find_git_dirs(dir, gitdir, common) || !join(path, sizeof path, gitdir, "HEAD") ||
        !read_line(path, line, sizeof line)) {
        return false;
    }
    for (int depth = 0; depth < MAX_SYMREF_DEPTH; depth++) {
        if (is_hex_id(line, strlen(line))) {
            if (strlen(line) >= cap) {
                return false;
            }
            snprintf(out, cap, "%s", line);
            return true;
        }
        if (strncmp(line, "ref: ", 5) != 0) {
            return false;
        }
        char ref[PATH_CAP];
        snprintf(ref, sizeof ref, "%s", line + 5);
        /* Refs under refs/ are shared by worktrees; anything else is the worktree's own. */
        const char *base = strncmp(ref, "refs/", 5) == 0 ? common : gitdir;
        if (strstr(ref, "..") || !join(path, sizeof path, base, ref)) {
            return false;
        }
        if (!read_line(path, line, sizeof line)) {
            return packed_ref(common, ref, out, cap);
        }
    }
    return false;
}
