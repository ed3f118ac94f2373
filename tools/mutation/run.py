#!/usr/bin/env python3
"""Mutation testing of the hw crypto drivers (target/crypto/hw): generate mutants, apply each
one alone in a scratch copy of the tree, rebuild, run the killers, report the score.

Usage: run.py --repo DIR --work DIR [--driver FILE]... [--max N] [--seed S] [--only ID]...
              [--killers selftest,unit,catalog] [--list] [--min-score PCT]
       run.py --merge BASE.json NEWER.json... --out DIR
              (NEWER results replace BASE's of the same id, e.g. survivors re-run after new
              tests, and add the others, e.g. a run resumed with --skip; equivalents.tsv is
              applied again to what still survives)
Exit: 0 done (and the score reaches --min-score), 1 below --min-score, 2 usage,
      3 infrastructure (the pristine tree fails a killer, the scratch build fails).
"""
import argparse
import filecmp
import json
import os
import random
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import mutants  # noqa: E402
import report  # noqa: E402
import scratch  # noqa: E402
from killers import KILLERS, Killers  # noqa: E402

DRIVERS = ["cryp_hw.c", "aes_alt.c", "gcm_alt.c", "gcm_hw.c", "hash_hw.c", "sha1_alt.c",
           "sha256_alt.c", "rng_hw.c"]
DRIVER_DIR = "target/crypto/hw"
HERE = os.path.dirname(os.path.abspath(__file__))


def log(msg):
    print(f"[mutation] {msg}", flush=True)


def select(all_mutants, args):
    chosen = all_mutants
    if args.only:
        ids = set(args.only)
        chosen = [m for m in chosen if m.id in ids]
    if args.max and len(chosen) > args.max:
        # A seeded uniform sample: the first N of a seeded shuffle, so for one seed and one
        # source a smaller sample is part of every larger one.
        # Run in that order too: a run stopped after K mutants is exactly `--max K`.
        order = list(chosen)
        random.Random(args.seed).shuffle(order)
        chosen = order[args.skip : args.max]
    return chosen


def objects_of(build, fname):
    """The driver's object files in every library that compiles it (one per config)."""
    hits = []
    for root, _dirs, files in os.walk(build):
        if fname + ".o" in files and "mbedtls_" in root:
            hits.append(os.path.join(root, fname + ".o"))
    return sorted(hits)


def stripped(path, dest):
    subprocess.run(["objcopy", "--strip-debug", path, dest], check=True)
    return dest


def code_identical(build, fname, pristine_dir):
    for obj in objects_of(build, fname):
        key = obj.replace("/", "_")
        ref = os.path.join(pristine_dir, key)
        now = stripped(obj, os.path.join(pristine_dir, key + ".now"))
        if not os.path.exists(ref) or not filecmp.cmp(ref, now, shallow=False):
            return False
    return True


def snapshot_objects(build, files, pristine_dir):
    os.makedirs(pristine_dir, exist_ok=True)
    for f in files:
        for obj in objects_of(build, f):
            stripped(obj, os.path.join(pristine_dir, obj.replace("/", "_")))


def run_killers(k, names):
    """(status, killer name or None, seconds per step); each killer builds what it runs."""
    times = {}
    for name in names:
        b = k.build_for(name)
        times["build-" + name] = round(b.seconds, 1)
        if not b.ok:
            if b.timed_out:
                return "killed", "build-" + name + ":timeout", times
            return "build-failed", None, times
        r = k.killer(name)
        times[name] = round(r.seconds, 1)
        if not r.ok:
            return "killed", name + (":timeout" if r.timed_out else ""), times
    return "survived", None, times


def merge(paths, out, equivalents):
    docs = []
    for p in paths:
        with open(p, encoding="utf-8") as f:
            docs.append(json.load(f))
    by_id = {r["id"]: r for r in docs[0]["mutants"]}
    for d in docs[1:]:
        for r in d["mutants"]:
            if r["id"] in by_id:
                by_id[r["id"]] = dict(r, rerun_commit=d["meta"].get("commit"))
            else:  # a later part of the same sample (--skip)
                by_id[r["id"]] = dict(r, commit=d["meta"].get("commit"))
    results = list(by_id.values())
    for r in results:
        if r["status"] == "survived" and r["id"] in equivalents:
            r.update(status="equivalent", reason=equivalents[r["id"]])
    meta = dict(docs[0]["meta"], merged_from=[{"path": p, "commit": d["meta"].get("commit")}
                                              for p, d in zip(paths, docs)])
    summary = report.write(out, meta, results)
    log(f"merged {len(paths)} reports into {out}")
    return summary


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", help="the work tree whose drivers are mutated")
    ap.add_argument("--work", help="scratch dir (src/, build/, runs/)")
    ap.add_argument("--mbedtls", default=os.environ.get("MBEDTLS_SOURCE_DIR", ""))
    ap.add_argument("--driver", action="append", help="only this driver file (repeatable)")
    ap.add_argument("--max", type=int, default=0, help="a seeded sample of N mutants")
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--skip", type=int, default=0,
                    help="with --max: start after the first N of the sample (resume a run)")
    ap.add_argument("--only", action="append", help="only this mutant id (repeatable)")
    ap.add_argument("--killers", default=",".join(KILLERS))
    ap.add_argument("--list", action="store_true", help="list the mutants and exit")
    ap.add_argument("--min-score", type=float, default=0.0)
    ap.add_argument("--out", help="report dir (default WORK/runs/<UTC time>)")
    ap.add_argument("--merge", nargs="+", metavar="REPORT_JSON")
    args = ap.parse_args()
    if args.merge:
        if not args.out or len(args.merge) < 2:
            print("run.py: --merge needs two or more reports and --out", file=sys.stderr)
            return 2
        equivalents = report.load_equivalents(os.path.join(HERE, "equivalents.tsv"))
        s = merge(args.merge, args.out, equivalents)
        pct = None if s["score"] is None else 100 * s["score"]
        log(f"score {'n/a' if pct is None else f'{pct:.1f}%'}: {s['killed']} killed of "
            f"{s['scored']} scored; {s['survived']} survived, {s['equivalent']} equivalent, "
            f"{s['build_failed']} build-failed, {s['total']} mutants")
        return 1 if pct is not None and pct < args.min_score else 0

    if not args.repo or not args.work:
        print("run.py: --repo and --work are required (or --merge)", file=sys.stderr)
        return 2
    drivers = args.driver or DRIVERS
    for d in drivers:
        if d not in DRIVERS:
            print(f"run.py: unknown driver {d} (one of {', '.join(DRIVERS)})", file=sys.stderr)
            return 2
    killers = [k for k in args.killers.split(",") if k]
    if any(k not in KILLERS for k in killers):
        print(f"run.py: killers are {', '.join(KILLERS)}", file=sys.stderr)
        return 2
    equivalents = report.load_equivalents(os.path.join(HERE, "equivalents.tsv"))

    all_mutants = []
    for d in drivers:
        with open(os.path.join(args.repo, DRIVER_DIR, d), encoding="utf-8") as f:
            all_mutants += mutants.generate(d, f.read())
    chosen = select(all_mutants, args)
    if args.list:
        for m in chosen:
            print(f"{m.id}\t{m.line}\t{m.operator}\t{m.original} -> {m.replacement}")
        print(f"{len(chosen)} of {len(all_mutants)} mutants", file=sys.stderr)
        return 0

    work = os.path.abspath(args.work)
    src, build = os.path.join(work, "src"), os.path.join(work, "build")
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    out = args.out or os.path.join(work, "runs", stamp)
    os.makedirs(out, exist_ok=True)
    steplog = os.path.join(out, "steps.log")
    log(f"{len(chosen)} of {len(all_mutants)} mutants, killers {','.join(killers)}; "
        f"report in {out}")

    n = scratch.sync(args.repo, src)
    log(f"scratch tree {src}: {n} file(s) copied")
    if scratch.configure(src, build, args.mbedtls, steplog) != 0:
        log(f"configure failed (see {steplog})")
        return 3
    k = Killers(src, build, steplog)

    # The pristine tree must pass every killer; its times set the deadlines.
    log("pristine: building and running every killer")
    b = k.build_lib()
    for name in killers:
        if b.ok:
            b = k.build_for(name)
    if not b.ok:
        log(f"pristine build failed ({b.detail}); see {steplog}")
        return 3
    pristine_times = {}
    for name in killers:
        r = k.killer(name)
        pristine_times[name] = r.seconds
        if not r.ok:
            log(f"pristine tree fails killer {name} ({r.detail}); see {steplog}")
            return 3
    k.calibrate(pristine_times)
    pristine_objs = os.path.join(work, "pristine-objects")
    snapshot_objects(build, drivers, pristine_objs)
    log("pristine: " + ", ".join(f"{n} {s:.1f}s" for n, s in pristine_times.items()) +
        f"; deadlines {k.timeouts}")

    commit = subprocess.run(["git", "-C", args.repo, "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    meta = {"commit": commit, "started": stamp, "selection": {
        "drivers": drivers, "max": args.max, "seed": args.seed, "only": args.only,
        "generated": len(all_mutants), "run": len(chosen)}, "killers": killers,
        "timeouts": k.timeouts, "pristine_seconds": pristine_times}
    results = []
    t0 = time.monotonic()
    originals = {}

    def stop(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, stop)
    try:
        for i, m in enumerate(chosen, 1):
            path = os.path.join(src, DRIVER_DIR, m.file)
            if m.file not in originals:
                with open(path, encoding="utf-8") as f:
                    originals[m.file] = f.read()
            with open(path, "w", encoding="utf-8") as f:
                f.write(mutants.apply(originals[m.file], m))
            start = time.monotonic()
            r = m.to_dict()
            b = k.build_lib()
            if not b.ok and b.timed_out:
                r.update(status="killed", killer="build:timeout")
            elif not b.ok:
                r.update(status="build-failed")
            elif code_identical(build, m.file, pristine_objs):
                r.update(status="equivalent",
                         reason="compiler-proven: object code identical to the pristine build")
            else:
                status, killer, times = run_killers(k, killers)
                r.update(status=status, killer=killer, times=times)
                # A listed equivalent still meets every killer: the list only explains survivors.
                if status == "survived" and m.id in equivalents:
                    r.update(status="equivalent", reason=equivalents[m.id])
                elif status == "killed" and m.id in equivalents:
                    r["warning"] = "listed in equivalents.tsv but killed: the entry is wrong"
                    log(f"warning: {m.id} is listed as equivalent but was killed by {killer}")
            r["seconds"] = round(time.monotonic() - start, 1)
            results.append(r)
            with open(path, "w", encoding="utf-8") as f:
                f.write(originals[m.file])
            s = report.score(results)
            log(f"{i}/{len(chosen)} {m.id} L{m.line} {m.operator} "
                f"'{m.original}' -> '{m.replacement}': {r['status']}"
                f"{' by ' + r['killer'] if r.get('killer') else ''} ({r['seconds']}s); "
                f"score so far {s['killed']}/{s['scored']}")
            if i % 10 == 0:
                meta["seconds"] = round(time.monotonic() - t0)
                report.write(out, meta, results)
    except KeyboardInterrupt:
        log(f"interrupted after {len(results)} mutants; the scratch sources are restored")
        meta["interrupted"] = True
        meta["seconds"] = round(time.monotonic() - t0)
        report.write(out, meta, results)
        return 130
    finally:
        for fname, text in originals.items():
            with open(os.path.join(src, DRIVER_DIR, fname), "w", encoding="utf-8") as f:
                f.write(text)
    meta["seconds"] = round(time.monotonic() - t0)
    summary = report.write(out, meta, results)
    pct = None if summary["score"] is None else 100 * summary["score"]
    log(f"score {'n/a' if pct is None else f'{pct:.1f}%'}: {summary['killed']} killed of "
        f"{summary['scored']} scored; {summary['survived']} survived, "
        f"{summary['equivalent']} equivalent, {summary['build_failed']} build-failed, "
        f"{summary['total']} mutants in {meta['seconds']} s")
    log(f"report: {out}/mutation.md, {out}/mutation.json")
    if pct is not None and pct < args.min_score:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
