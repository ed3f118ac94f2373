/* issue 16 fixed costs: HEAD's commit read from the repository's files (git_head.h) must be
 * what `git rev-parse HEAD` says, in every layout it claims to read; anything else must say
 * "cannot tell" (false), never a wrong commit. Repositories are made with git itself. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "git_head.h"

static char g_dir[256];

static void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sh(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    cr_assert_eq(system(cmd), 0, "failed: %s", cmd);
}

/* `git -C dir rev-parse HEAD`, the reference. */
static void git_says(const char *dir, char *out, size_t cap)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "git -C '%s' rev-parse HEAD", dir);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    cr_assert_not_null(fgets(out, (int)cap, p));
    out[strcspn(out, "\n")] = '\0';
    cr_assert_eq(pclose(p), 0);
}

static void make_repo(void)
{
    snprintf(g_dir, sizeof g_dir, "/tmp/tlsrig-git-head-XXXXXX");
    cr_assert_not_null(mkdtemp(g_dir));
    sh("cd '%s' && git init -q -b main repo && cd repo && git -c user.name=t -c user.email=t@t "
       "commit -q --allow-empty -m one && git -c user.name=t -c user.email=t@t commit -q "
       "--allow-empty -m two && mkdir -p sub/deeper",
       g_dir);
}

static void remove_repo(void)
{
    sh("rm -rf '%s'", g_dir);
}

static void expect_same_as_git(const char *dir)
{
    char want[128], got[128];
    git_says(dir, want, sizeof want);
    cr_assert(git_head_read(dir, got, sizeof got), "no answer for %s", dir);
    cr_assert_str_eq(got, want);
}

TestSuite(git_head, .init = make_repo, .fini = remove_repo);

Test(git_head, a_loose_branch_ref_from_the_top_and_from_a_subfolder)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/repo", g_dir);
    expect_same_as_git(dir);
    snprintf(dir, sizeof dir, "%s/repo/sub/deeper", g_dir);
    expect_same_as_git(dir);
}

Test(git_head, a_packed_ref_after_gc_and_a_new_loose_one_over_it)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/repo", g_dir);
    sh("git -C '%s' pack-refs --all && test ! -e '%s/.git/refs/heads/main'", dir, dir);
    expect_same_as_git(dir);
    /* A commit after packing writes a loose ref that wins over the packed line. */
    sh("git -C '%s' -c user.name=t -c user.email=t@t commit -q --allow-empty -m three", dir);
    expect_same_as_git(dir);
}

Test(git_head, a_detached_head)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/repo", g_dir);
    sh("git -C '%s' checkout -q --detach HEAD~1", dir);
    expect_same_as_git(dir);
}

Test(git_head, a_linked_worktree_on_its_own_branch)
{
    char dir[512], wt[512];
    snprintf(dir, sizeof dir, "%s/repo", g_dir);
    snprintf(wt, sizeof wt, "%s/wt", g_dir);
    sh("git -C '%s' worktree add -q -b side '%s' HEAD~1", dir, wt);
    expect_same_as_git(wt);
    char main_head[128], wt_head[128];
    cr_assert(git_head_read(dir, main_head, sizeof main_head));
    cr_assert(git_head_read(wt, wt_head, sizeof wt_head));
    cr_assert_str_neq(main_head, wt_head);
}

Test(git_head, no_answer_for_an_unborn_branch_or_no_repository)
{
    char dir[512], got[128] = "unchanged";
    snprintf(dir, sizeof dir, "%s/empty", g_dir);
    sh("git init -q '%s'", dir);
    cr_assert_not(git_head_read(dir, got, sizeof got));
    snprintf(dir, sizeof dir, "/");
    cr_assert_not(git_head_read(dir, got, sizeof got));
}

Test(git_head, no_answer_for_a_head_that_names_no_commit)
{
    char dir[512], got[128];
    snprintf(dir, sizeof dir, "%s/repo", g_dir);
    sh("printf 'ref: refs/heads/../../../etc/passwd\\n' > '%s/.git/HEAD'", dir);
    cr_assert_not(git_head_read(dir, got, sizeof got));
    sh("printf 'not a ref\\n' > '%s/.git/HEAD'", dir);
    cr_assert_not(git_head_read(dir, got, sizeof got));
    sh("printf 'ref: refs/heads/missing\\n' > '%s/.git/HEAD'", dir);
    cr_assert_not(git_head_read(dir, got, sizeof got));
}

Test(git_head, a_short_buffer_is_no_answer_not_a_cut_commit)
{
    char dir[512], got[20];
    snprintf(dir, sizeof dir, "%s/repo", g_dir);
    cr_assert_not(git_head_read(dir, got, sizeof got));
}
