"""The scratch tree the mutants are applied in: a copy of the work tree's source files and its
own build directory. The user's work tree and build directory are never written."""
import filecmp
import os
import shutil
import subprocess

# What each step builds. The driver library of the hw tests first (the compiler-equivalence
# check compares its object; its config is profile full + CTR, a superset of the sim image's),
# then per killer only what that killer runs, so a mutant killed early costs one small build.
LIB_TARGETS = ["mbedtls_hwtest_native"]
KILLER_TARGETS = {
    "selftest": ["test_hwcrypto_selftest_hw"],
    "unit": ["test_hwcrypto_drivers", "test_hwcrypto_faults"],
    "catalog": ["tlsrig", "tlsrig-agent-sim-sw-full", "tlsrig-agent-sim-hw-full"],
}


def source_files(repo):
    """Tracked and untracked (not ignored) files of the work tree, relative paths."""
    out = subprocess.run(["git", "-C", repo, "ls-files", "-co", "--exclude-standard", "-z"],
                         check=True, capture_output=True).stdout.decode()
    return [p for p in out.split("\0") if p and os.path.isfile(os.path.join(repo, p))]


def sync(repo, src):
    """Copy changed files only, so the scratch build stays incremental. Returns the count."""
    changed = 0
    for rel in source_files(repo):
        a, b = os.path.join(repo, rel), os.path.join(src, rel)
        if os.path.exists(b) and filecmp.cmp(a, b, shallow=False):
            continue
        os.makedirs(os.path.dirname(b), exist_ok=True)
        shutil.copy2(a, b)
        os.utime(b)  # newer than any object built from the previous copy
        changed += 1
    return changed


def configure(src, build, mbedtls_dir, log):
    if os.path.exists(os.path.join(build, "CMakeCache.txt")):
        return 0
    cmd = ["cmake", "-S", src, "-B", build, "-DCMAKE_BUILD_TYPE=RelWithDebInfo",
           "-DTLSRIG_CONFIG_PROFILES=full", "-DTLSRIG_CROSS=OFF",
           # The mutated hw drivers are built on the 2.28 stack only.
           "-DTLSRIG_STACKS=mbedtls-2.28"]
    env = dict(os.environ, MBEDTLS_SOURCE_DIR=mbedtls_dir)
    with open(log, "ab") as f:
        return subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT, env=env).returncode
