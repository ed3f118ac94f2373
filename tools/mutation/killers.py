"""Build a mutant in the scratch tree and run the killers on it, cheapest first.

Killers (a mutant is killed by the first that fails; a pristine tree must pass them all):
  selftest  ctest hwcrypto_selftest_hw: the agent's SELFTEST known-answer tests
            (crypto_selftest_run()) over the drivers and the register models
  unit      ctest hwcrypto_drivers + hwcrypto_faults: the drivers against OpenSSL, the
            driver-bug switches, the model behaviours the drivers rely on
  catalog   tlsrig run --board sim --backend both on CATALOG_SCENARIOS: sw/hw parity, and the
            image's own SELFTEST at start
Every step has a deadline; a step that runs past it is killed (process group) and the mutant
counts as killed by timeout.
"""
import os
import shutil
import signal
import subprocess
import tempfile
import time

from scratch import KILLER_TARGETS, LIB_TARGETS

# One scenario per hw code path the TLS stack reaches, both backends each:
#   AES-128-GCM + SHA-256 PRF/handshake hash + ECDSA (SHA-256) + hw RNG entropy
#   AES-256-GCM (256-bit key schedule, SHA-384 stays in software)
#   AES-128-CBC + HMAC (the suite's MAC) and RSA key exchange
#   SHA-1: a certificate chain signed with SHA-1, accepted by the profile (SHA-1 verified)
CATALOG_SCENARIOS = [
    "happy-ecdhe-ecdsa-aes128-gcm-p256",
    "happy-rsa-aes256-gcm",
    "happy-ecdhe-rsa-aes128-cbc-p256",
    "sha1-ca-allowed",
]

KILLERS = ["selftest", "unit", "catalog"]


class StepResult:
    def __init__(self, ok, timed_out, seconds, detail):
        self.ok, self.timed_out, self.seconds, self.detail = ok, timed_out, seconds, detail


def run_step(cmd, timeout, log, cwd=None, env=None):
    """Run cmd in its own process group; on timeout kill that group."""
    start = time.monotonic()
    with open(log, "ab") as f:
        f.write(("\n$ " + " ".join(cmd) + "\n").encode())
        f.flush()
        proc = subprocess.Popen(cmd, stdout=f, stderr=subprocess.STDOUT, cwd=cwd, env=env,
                                start_new_session=True)
        try:
            rc = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return StepResult(False, True, time.monotonic() - start, f"timeout after {timeout}s")
        except BaseException:
            # Interrupted (SIGINT/SIGTERM): the step's whole process group goes with us.
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise
    return StepResult(rc == 0, False, time.monotonic() - start, f"exit {rc}")


def _ctest(build, regex, timeout, log):
    return run_step(["ctest", "--test-dir", build, "-R", regex, "--timeout", str(int(timeout)),
                     "--output-on-failure"], timeout + 10, log)


class Killers:
    def __init__(self, src, build, log, jobs=2):
        self.src, self.build_dir, self.log, self.jobs = src, build, log, jobs
        self.timeouts = {"build": 600, "selftest": 120, "unit": 300, "catalog": 600}

    def build(self, targets):
        return run_step(["cmake", "--build", self.build_dir, "-j", str(self.jobs), "--target"] +
                        targets, self.timeouts["build"], self.log)

    def build_lib(self):
        return self.build(LIB_TARGETS)

    def build_for(self, name):
        return self.build(KILLER_TARGETS[name])

    def killer(self, name):
        if name == "selftest":
            return _ctest(self.build_dir, "^hwcrypto_selftest_hw$", self.timeouts[name], self.log)
        if name == "unit":
            return _ctest(self.build_dir, "^hwcrypto_(drivers|faults)$", self.timeouts[name],
                          self.log)
        if name == "catalog":
            out = tempfile.mkdtemp(prefix="mut-catalog-")
            shutil.rmtree(out)  # the run claims a directory that does not exist yet
            cmd = [os.path.join(self.build_dir, "tlsrig"), "run", "--board", "sim", "--backend",
                   "both", "--quiet", "--out", out]
            for s in CATALOG_SCENARIOS:
                cmd += ["--scenario", s]
            r = run_step(cmd, self.timeouts[name], self.log, cwd=self.src)
            shutil.rmtree(out, ignore_errors=True)
            return r
        raise ValueError(name)

    def calibrate(self, seconds):
        """Deadlines from the pristine tree's times: 5x + 30 s, at least 60 s (a loaded
        machine must not turn a slow pass into a kill)."""
        for name, s in seconds.items():
            self.timeouts[name] = int(max(60, 5 * s + 30))
