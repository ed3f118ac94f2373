"""Mutation report: JSON (every mutant) and Markdown (summary, per file, survivors, table).

Statuses: killed (by a killer, or by its timeout), survived, equivalent (listed with a reason
in equivalents.tsv, or compiler-proven: the mutant's object code is byte-identical to the
pristine one), build-failed. Score = killed / (total - build-failed - equivalent).
"""
import json
import os
from collections import Counter, defaultdict


def load_equivalents(path):
    """id -> reason from a TSV file (`id<TAB>reason`, # comments). Every reason is required."""
    eq = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t", 1)
            if len(parts) != 2 or not parts[1].strip():
                raise ValueError(f"{path}:{n}: expected `id<TAB>reason`")
            eq[parts[0].strip()] = parts[1].strip()
    return eq


def score(results):
    c = Counter(r["status"] for r in results)
    scored = len(results) - c["build-failed"] - c["equivalent"]
    return {
        "total": len(results),
        "killed": c["killed"],
        "survived": c["survived"],
        "equivalent": c["equivalent"],
        "build_failed": c["build-failed"],
        "scored": scored,
        "score": (c["killed"] / scored) if scored else None,
    }


def write(out_dir, meta, results):
    os.makedirs(out_dir, exist_ok=True)
    summary = score(results)
    doc = {"meta": meta, "summary": summary, "mutants": results}
    tmp = os.path.join(out_dir, "mutation.json.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1)
    os.replace(tmp, os.path.join(out_dir, "mutation.json"))
    tmp = os.path.join(out_dir, "mutation.md.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(markdown(meta, summary, results))
    os.replace(tmp, os.path.join(out_dir, "mutation.md"))
    return summary


def _pct(x):
    return "n/a" if x is None else f"{100 * x:.1f}%"


def markdown(meta, summary, results):
    out = ["# Mutation testing of the hw drivers", ""]
    out.append(f"Score: **{_pct(summary['score'])}** = {summary['killed']} killed / "
               f"{summary['scored']} scored ({summary['total']} mutants, "
               f"{summary['equivalent']} equivalent, {summary['build_failed']} build-failed, "
               f"{summary['survived']} survived).")
    out.append("")
    for k in ("commit", "started", "seconds", "selection", "killers", "timeouts"):
        if k in meta:
            out.append(f"- {k}: `{meta[k]}`")
    by_killer = Counter(r.get("killer") for r in results if r["status"] == "killed")
    out.append("- killed by: " + ", ".join(f"{k} {n}" for k, n in sorted(by_killer.items())))
    out += ["", "## Per file", "", "| file | mutants | killed | survived | equivalent | "
            "build-failed | score |", "|---|---|---|---|---|---|---|"]
    per = defaultdict(list)
    for r in results:
        per[r["file"]].append(r)
    for f in sorted(per):
        s = score(per[f])
        out.append(f"| {f} | {s['total']} | {s['killed']} | {s['survived']} | "
                   f"{s['equivalent']} | {s['build_failed']} | {_pct(s['score'])} |")
    out += ["", "## Per operator", "", "| operator | mutants | killed | survived | score |",
            "|---|---|---|---|---|"]
    per = defaultdict(list)
    for r in results:
        per[r["operator"]].append(r)
    for o in sorted(per):
        s = score(per[o])
        out.append(f"| {o} | {s['total']} | {s['killed']} | {s['survived']} | "
                   f"{_pct(s['score'])} |")
    for title, status in (("Survivors", "survived"), ("Equivalents", "equivalent")):
        rows = [r for r in results if r["status"] == status]
        out += ["", f"## {title} ({len(rows)})", ""]
        if rows:
            out += ["| id | line | operator | change | reason |", "|---|---|---|---|---|"]
            for r in rows:
                out.append(f"| `{r['id']}` | {r['line']} | {r['operator']} | "
                           f"`{_cell(r['original'])}` -> `{_cell(r['replacement'])}` | "
                           f"{_cell(r.get('reason', ''))} |")
    out += ["", "## Every mutant", "", "| id | line | operator | change | status | killer | s |",
            "|---|---|---|---|---|---|---|"]
    for r in results:
        out.append(f"| `{r['id']}` | {r['line']} | {r['operator']} | "
                   f"`{_cell(r['original'])}` -> `{_cell(r['replacement'])}` | {r['status']} | "
                   f"{r.get('killer') or ''} | {r.get('seconds', 0):.1f} |")
    return "\n".join(out) + "\n"


def _cell(s):
    s = s.replace("|", "\\|").replace("\n", " ")
    return s if len(s) <= 60 else s[:57] + "..."
