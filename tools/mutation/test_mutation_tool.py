"""Tests of the mutation tool (ctest mutation_tool): the generator, apply, stable ids, the
score, the equivalents list against the drivers as they are, and the step deadline."""
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import killers  # noqa: E402
import mutants  # noqa: E402
import report  # noqa: E402
from run import DRIVER_DIR, DRIVERS  # noqa: E402

ROOT = os.environ.get("TLSRIG_SOURCE_DIR",
                      os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

SNIPPET = """/* periph_write32(CRYP_CR, 0); in a comment */
#define LIMIT 16
static const char *s = "x < 3";

int f(const unsigned char key[16], unsigned n)
{
    unsigned char buf[16] = {0};
    periph_write32(CRYP_CR, cr | CRYP_CR_FFLUSH);
    periph_write32(CRYP_CR, periph_read32(CRYP_CR) & ~CRYP_CR_CRYPEN);
    for (unsigned i = 0; i < n; i++)
        buf[i] = key[i];
    if (!(n >= 4))
        return 0;
    return buf[3];
}
"""


def by(ms, op, orig=None, repl=None):
    return [m for m in ms if m.operator == op and (orig is None or m.original == orig) and
            (repl is None or m.replacement == repl)]


class Generate(unittest.TestCase):
    def setUp(self):
        self.ms = mutants.generate("snippet.c", SNIPPET)

    def test_only_function_bodies_are_mutated(self):
        lines = {m.line for m in self.ms}
        self.assertTrue(lines, "no mutants")
        self.assertTrue(min(lines) >= 7, f"mutant outside a function body: {sorted(lines)}")

    def test_array_sizes_of_declarations_are_left_alone(self):
        self.assertFalse([m for m in self.ms if m.line == 7 and m.original == "16"])

    def test_register_write_operators(self):
        self.assertEqual(len(by(self.ms, "drop-write")), 2)
        self.assertTrue(by(self.ms, "set-clear", "| ", "& ~"))
        self.assertTrue(by(self.ms, "set-clear", "& ~", "| "))
        self.assertTrue(by(self.ms, "bit-drop", "CRYP_CR_FFLUSH", "0u"))
        self.assertTrue(by(self.ms, "bit-move", "CRYP_CR_CRYPEN", "(CRYP_CR_CRYPEN << 1)"))

    def test_comparisons_literals_returns_negation(self):
        self.assertTrue(by(self.ms, "cmp", "<", "<="))
        self.assertTrue(by(self.ms, "cmp", ">=", ">"))
        self.assertTrue(by(self.ms, "off-by-one", "4", "5"))
        self.assertTrue(by(self.ms, "off-by-one", "4", "3"))
        self.assertTrue(by(self.ms, "return", "0", "-1"))
        self.assertTrue(by(self.ms, "return", "buf[3]", "0"))
        self.assertTrue(by(self.ms, "negate", "!", ""))
        self.assertTrue(by(self.ms, "delete-stmt", "buf[i] = key[i];", ";"))

    def test_apply_changes_exactly_one_site(self):
        m = by(self.ms, "cmp", "<", "<=")[0]
        out = mutants.apply(SNIPPET, m)
        diff = [(a, b) for a, b in zip(SNIPPET.split("\n"), out.split("\n")) if a != b]
        self.assertEqual(diff, [("    for (unsigned i = 0; i < n; i++)",
                                 "    for (unsigned i = 0; i <= n; i++)")])

    def test_apply_refuses_a_changed_source(self):
        m = by(self.ms, "cmp", "<", "<=")[0]
        with self.assertRaises(ValueError):
            mutants.apply(SNIPPET.replace("i < n", "i != n"), m)

    def test_identical_lines_in_two_places_are_two_mutants(self):
        text = "int f(void)\n{\n    return 0;\n}\nint g(void)\n{\n    return 0;\n}\n"
        ms = [m for m in mutants.generate("t.c", text) if m.operator == "return"]
        self.assertEqual([m.line for m in ms], [3, 7])
        self.assertEqual(len({m.id for m in ms}), 2)

    def test_ids_survive_lines_moving(self):
        moved = mutants.generate("snippet.c", "\n\n" + SNIPPET)
        self.assertEqual({m.id for m in self.ms}, {m.id for m in moved})
        self.assertEqual(len({m.id for m in self.ms}), len(self.ms))


class Drivers(unittest.TestCase):
    def generated(self):
        out = []
        for d in DRIVERS:
            with open(os.path.join(ROOT, DRIVER_DIR, d), encoding="utf-8") as f:
                out += mutants.generate(d, f.read())
        return out

    def test_every_driver_has_register_write_mutants(self):
        ms = self.generated()
        for d in ("cryp_hw.c", "hash_hw.c", "rng_hw.c"):
            self.assertTrue([m for m in ms if m.file == d and m.operator == "drop-write"], d)

    def test_every_listed_equivalent_is_a_current_mutant_with_a_reason(self):
        eq = report.load_equivalents(os.path.join(os.path.dirname(__file__), "equivalents.tsv"))
        ids = {m.id for m in self.generated()}
        stale = sorted(set(eq) - ids)
        self.assertEqual(stale, [], "equivalents.tsv lists mutants the drivers no longer have")
        for i, reason in eq.items():
            self.assertGreater(len(reason), 20, f"{i}: a reason must say why")


class Score(unittest.TestCase):
    def test_build_failed_and_equivalent_are_not_scored(self):
        rs = [{"status": s} for s in
              ["killed"] * 19 + ["survived", "build-failed", "equivalent", "build-failed"]]
        s = report.score(rs)
        self.assertEqual((s["total"], s["scored"], s["killed"]), (23, 20, 19))
        self.assertAlmostEqual(s["score"], 0.95)

    def test_equivalent_without_reason_is_refused(self):
        with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as f:
            f.write("# c\ncryp_hw.c:0123456789\t\n")
        try:
            with self.assertRaises(ValueError):
                report.load_equivalents(f.name)
        finally:
            os.unlink(f.name)


class Merge(unittest.TestCase):
    def test_reruns_replace_by_id_and_equivalents_apply_to_survivors(self):
        import json
        import run
        base = {"meta": {"commit": "a"}, "mutants": [
            {"id": "x:1", "file": "x", "line": 1, "operator": "cmp", "original": "<",
             "replacement": "<=", "status": "survived"},
            {"id": "x:2", "file": "x", "line": 2, "operator": "cmp", "original": "<",
             "replacement": "<=", "status": "survived"},
            {"id": "x:3", "file": "x", "line": 3, "operator": "cmp", "original": "<",
             "replacement": "<=", "status": "killed", "killer": "selftest"}]}
        newer = {"meta": {"commit": "b"}, "mutants": [
            dict(base["mutants"][0], status="killed", killer="unit"),
            dict(base["mutants"][0], id="x:4", status="survived")]}
        with tempfile.TemporaryDirectory() as d:
            paths = []
            for name, doc in (("a.json", base), ("b.json", newer)):
                paths.append(os.path.join(d, name))
                with open(paths[-1], "w") as f:
                    json.dump(doc, f)
            s = run.merge(paths, os.path.join(d, "out"), {"x:2": "a reason long enough to read"})
            self.assertEqual((s["killed"], s["survived"], s["equivalent"]), (2, 1, 1))
            self.assertEqual(s["total"], 4, "a mutant only in the newer report is added")
            with open(os.path.join(d, "out", "mutation.json")) as f:
                merged = json.load(f)
            first = [r for r in merged["mutants"] if r["id"] == "x:1"][0]
            self.assertEqual((first["killer"], first["rerun_commit"]), ("unit", "b"))


class Deadline(unittest.TestCase):
    def test_a_hung_step_is_killed_and_reported_as_timeout(self):
        with tempfile.TemporaryDirectory() as d:
            # The child and its own child must both go: the whole process group is killed.
            r = killers.run_step(["sh", "-c", "sleep 60 & wait"], 1, os.path.join(d, "log"))
            self.assertFalse(r.ok)
            self.assertTrue(r.timed_out)
            self.assertLess(r.seconds, 30)

    def test_a_failing_step_is_not_a_timeout(self):
        with tempfile.TemporaryDirectory() as d:
            r = killers.run_step(["false"], 10, os.path.join(d, "log"))
            self.assertFalse(r.ok)
            self.assertFalse(r.timed_out)


if __name__ == "__main__":
    unittest.main()
