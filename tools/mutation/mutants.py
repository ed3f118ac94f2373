"""Mutant generation for the hw crypto drivers (C), one source-level change per mutant.

Written by hand: no C mutation tool is packaged in Debian 12 (mull and dextool are not), and
the drivers are small, regular C, so a lexical scanner is enough. The scanner blanks comments,
strings and preprocessor lines, tracks brace depth (only function bodies are mutated) and
never touches array sizes in declarations (a bigger buffer is not a behaviour change).

Each mutant has a stable id (file, hash of the line's text, column, operator, replacement), so
the checked-in list of justified equivalents survives edits elsewhere in the file.
"""
import hashlib
import re
from dataclasses import dataclass, asdict

OPERATORS = {
    "drop-write": "a periph_write32() statement removed (a register write dropped)",
    "bit-drop": "a register bit/field constant replaced by 0 (bit never set, mask empty)",
    "bit-move": "a register bit constant moved to the next bit (M << 1), a field value's "
    "low bit flipped (M ^ 1), a shift off by one (S + 1)",
    "set-clear": "set and clear swapped: |= M <-> &= ~M, | M <-> & ~M",
    "cmp": "relational operator replaced (< <=, > >=, == !=)",
    "off-by-one": "an integer literal n replaced by n+1 and n-1 (loop bounds, lengths, indices)",
    "arith": "arithmetic/bitwise operator replaced (+ -, * /, << >>, | &, ^ |, && ||)",
    "negate": "a logical negation removed (!x -> x)",
    "return": "a return value replaced (0 -> -1, anything else -> 0)",
    "delete-stmt": "an expression statement deleted",
}

# Register constants from stm32_regs.h, by kind. Addresses (CRYP_CR, CRYP_KLR(n), ...) are not
# constants here: a write to the wrong register comes from off-by-one on their index.
_BIT_RE = re.compile(r"^(CRYP|HASH|RNG)_(CR|SR|STR)_[A-Z0-9_]+$")
_FIELD_RE = re.compile(r"^(CRYP_ALGO_|CRYP_PHASE_|CRYP_KEYSIZE_|CRYP_DATATYPE_|HASH_CR_ALGO_)")
_COUNT_NAMES = {"CRYP_CS_WORDS", "HASH_CSR_COUNT_NO_HMAC", "PERIPH_WAIT_LIMIT"}

_DECL_START = re.compile(
    r"^\s*(static\s+|const\s+|volatile\s+)*(unsigned|signed|int|char|size_t|uint\d+_t|"
    r"int\d+_t|hw_\w+_t|mbedtls_\w+_t|uint64_t|void)\b[^=;(]*[\w\]]\s*(=|;|,|\[)")
_CONTROL = re.compile(r"^\s*(if|for|while|switch|return|break|continue|goto|else|do|case)\b")


@dataclass
class Mutant:
    id: str
    file: str
    line: int
    col: int
    operator: str
    original: str
    replacement: str
    source_line: str

    def to_dict(self):
        return asdict(self)


def code_mask(lines):
    """Per line: the text with comments, string/char literals and preprocessor lines blanked
    to spaces (same length), and the brace depth at the start of the line."""
    masked, depths = [], []
    in_block = False
    depth = 0
    for raw in lines:
        out = list(raw)
        if not in_block and raw.lstrip().startswith("#"):
            masked.append(" " * len(raw))
            depths.append(depth)
            continue
        i = 0
        start_depth = depth
        while i < len(raw):
            ch = raw[i]
            if in_block:
                if raw.startswith("*/", i):
                    out[i] = out[i + 1] = " "
                    in_block = False
                    i += 2
                    continue
                out[i] = " "
                i += 1
                continue
            if raw.startswith("/*", i):
                out[i] = out[i + 1] = " "
                in_block = True
                i += 2
                continue
            if raw.startswith("//", i):
                for j in range(i, len(raw)):
                    out[j] = " "
                break
            if ch in "\"'":
                j = i + 1
                while j < len(raw) and raw[j] != ch:
                    j += 2 if raw[j] == "\\" else 1
                for k in range(i, min(j + 1, len(raw))):
                    out[k] = " "
                i = j + 1
                continue
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            i += 1
        masked.append("".join(out))
        depths.append(start_depth)
    return masked, depths


def _stable_id(fname, text, col, op, repl, occurrence=0):
    """Hash of the site; the same change on an identical line elsewhere in the file gets its
    occurrence number (from the top) as well, so `return 0;` in two functions are two mutants."""
    key = f"{fname}\0{text.strip()}\0{col}\0{op}\0{repl}"
    if occurrence:
        key += f"\0{occurrence}"
    h = hashlib.sha1(key.encode()).hexdigest()
    return f"{fname}:{h[:10]}"


def _decl_array_spans(code):
    """Spans [start, end) of `[N]` in declarations (array sizes): not mutated."""
    if not _DECL_START.match(code):
        return []
    return [(m.start(), m.end()) for m in re.finditer(r"\[[^\]]*\]", code)]


def _in_spans(pos, spans):
    return any(a <= pos < b for a, b in spans)


def _prev_token_is_operand(code, pos):
    j = pos - 1
    while j >= 0 and code[j] == " ":
        j -= 1
    return j >= 0 and (code[j].isalnum() or code[j] in "_)]")


def _sites(code, fname):
    """(col, operator, original, replacement) for every site on one masked line."""
    sites = []
    skip = _decl_array_spans(code)

    # Register constants.
    for m in re.finditer(r"\b[A-Z][A-Z0-9_]+\b", code):
        name, col = m.group(0), m.start()
        if col + len(name) < len(code) and code[col + len(name)] == "(":
            continue  # function-like macro: an address
        if name in _COUNT_NAMES:
            sites.append((col, "off-by-one", name, f"({name} - 1u)"))
        elif name.endswith("_SHIFT") and name.startswith(("CRYP_", "HASH_")):
            sites.append((col, "bit-move", name, f"({name} + 1)"))
        elif name.startswith("HASH_CR_ALGO_") and name != "HASH_CR_ALGO_MASK":
            # ALGO is CR bits 18 and 7: flip its low bit (SHA-224 <-> SHA-256, SHA-1 -> MD5).
            sites.append((col, "bit-move", name, f"({name} ^ HASH_CR_ALGO0)"))
            sites.append((col, "bit-drop", name, "0u"))
        elif _FIELD_RE.match(name):
            sites.append((col, "bit-move", name, f"({name} ^ 1u)"))
            sites.append((col, "bit-drop", name, "0u"))
        elif _BIT_RE.match(name) and not name.endswith(("_MASK", "_SHIFT")):
            sites.append((col, "bit-move", name, f"({name} << 1)"))
            sites.append((col, "bit-drop", name, "0u"))

    # Set/clear swaps.
    for m in re.finditer(r"&\s*~\s*(?=[A-Za-z_(])", code):
        sites.append((m.start(), "set-clear", m.group(0), "| "))
    for m in re.finditer(r"(?<![|&])\|(?![|=])\s*(?=[A-Z][A-Z0-9_]+\b)", code):
        if _prev_token_is_operand(code, m.start()):
            sites.append((m.start(), "set-clear", m.group(0), "& ~"))
    for m in re.finditer(r"\|=", code):
        sites.append((m.start(), "set-clear", "|=", "&= ~"))

    # Relational operators.
    for m in re.finditer(r"<=|>=|==|!=|(?<![<>-])<(?![<=])|(?<![<>-])>(?![>=])", code):
        op = m.group(0)
        if op in "<>" and not _prev_token_is_operand(code, m.start()):
            continue
        repl = {"<": "<=", "<=": "<", ">": ">=", ">=": ">", "==": "!=", "!=": "=="}[op]
        sites.append((m.start(), "cmp", op, repl))

    # Integer literals.
    for m in re.finditer(r"(?<![\w.])(0[xX][0-9a-fA-F]+|\d+)([uU]?[lL]{0,2}[uU]?)(?![\w.])", code):
        if _in_spans(m.start(), skip) or re.match(r"^\s*return\s+\d+\w*;\s*$", code):
            continue  # `return N;` is the return operator's site
        text, suffix = m.group(1), m.group(2)
        value = int(text, 16) if text.lower().startswith("0x") else int(text)
        if value > 0xFFFFFFFF:
            continue
        fmt = (lambda v: f"0x{v:X}") if text.lower().startswith("0x") else str
        before = code[: m.start()].rstrip()
        after = code[m.end():].lstrip()
        if before.endswith(("<<", ">>")):
            # A shift amount: one mutant (the field lands one bit off).
            sites.append((m.start(), "off-by-one", m.group(0), fmt(value + 1) + suffix))
            continue
        if before.endswith(("&", "|", "^", "&=", "|=", "^=")) or after.startswith(
                ("&", "|", "^", "<<", ">>")) and not after.startswith(("&&", "||")):
            # A mask or bit pattern: flip its lowest bit.
            sites.append((m.start(), "bit-move", m.group(0), fmt(value ^ 1) + suffix))
            continue
        sites.append((m.start(), "off-by-one", m.group(0), fmt(value + 1) + suffix))
        if value > 0:
            sites.append((m.start(), "off-by-one", m.group(0), fmt(value - 1) + suffix))

    # Arithmetic and bitwise operators (binary only).
    arith = {"+": "-", "-": "+", "*": "/", "/": "*", "%": "/", "<<": ">>", ">>": "<<",
             "^": "|", "&&": "||", "||": "&&", "+=": "-=", "-=": "+=", "^=": "&="}
    for m in re.finditer(r"<<|>>|&&|\|\||\+=|-=|\^=|(?<![+\-<>=!&|*/%^])[+\-*/%^](?![+\-=>])",
                         code):
        op = m.group(0)
        if op in ("+", "-", "*") and not _prev_token_is_operand(code, m.start()):
            continue  # unary
        if op == "*" and re.search(r"\b(char|int|void|t|context)\s*$", code[: m.start()]):
            continue  # a pointer declarator
        sites.append((m.start(), "arith", op, arith[op]))
    for m in re.finditer(r"(?<![|&])[|&](?![|&=~])", code):
        if not _prev_token_is_operand(code, m.start()):
            continue
        after = code[m.end():].lstrip()
        if m.group(0) == "|" and re.match(r"[A-Z][A-Z0-9_]+\b", after):
            continue  # already a set-clear site
        sites.append((m.start(), "arith", m.group(0), "&" if m.group(0) == "|" else "|"))

    # Negation.
    for m in re.finditer(r"!(?!=)", code):
        sites.append((m.start(), "negate", "!", ""))

    # Return values.
    m = re.match(r"^(\s*return\s+)([^;]+);\s*$", code)
    if m:
        expr = m.group(2).strip()
        repl = "-1" if expr == "0" else "0"
        sites.append((len(m.group(1)), "return", m.group(2), repl))
    return sites


def _statement_sites(code, prev_code):
    """Whole-line expression statements: delete-stmt, or drop-write for register writes."""
    stripped = code.strip()
    if not stripped.endswith(";") or stripped == ";":
        return []
    if code.count("(") != code.count(")") or "{" in code or "}" in code:
        return []
    if _CONTROL.match(code) or _DECL_START.match(code) or stripped.startswith("static"):
        return []
    prev = prev_code.strip()
    if prev and not prev.endswith((";", "{", "}", ")")) and not re.match(r"^(else|do)$", prev):
        return []  # a continuation line of a longer statement
    start = len(code) - len(code.lstrip())
    op = "drop-write" if stripped.startswith("periph_write32(") else "delete-stmt"
    return [(start, op, stripped, ";")]


def generate(fname, text):
    """Every mutant of one source file (fname is its base name)."""
    lines = text.split("\n")
    masked, depths = code_mask(lines)
    mutants, seen = [], set()
    prev_code = ""
    for idx, code in enumerate(masked):
        if depths[idx] < 1 or not code.strip():
            if code.strip():
                prev_code = code
            continue
        sites = _sites(code, fname) + _statement_sites(code, prev_code)
        prev_code = code
        for col, op, orig, repl in sorted(sites, key=lambda s: (s[0], s[1], s[3])):
            if lines[idx][col:col + len(orig)] != orig:
                continue
            n = 0
            mid = _stable_id(fname, lines[idx], col, op, repl)
            while mid in seen:
                n += 1
                mid = _stable_id(fname, lines[idx], col, op, repl, n)
            seen.add(mid)
            mutants.append(Mutant(mid, fname, idx + 1, col + 1, op, orig, repl,
                                  lines[idx].strip()))
    return mutants


def apply(text, mutant):
    """The source text with one mutant applied."""
    lines = text.split("\n")
    line = lines[mutant.line - 1]
    col = mutant.col - 1
    if line[col:col + len(mutant.original)] != mutant.original:
        raise ValueError(f"{mutant.id}: source changed at line {mutant.line}")
    lines[mutant.line - 1] = line[:col] + mutant.replacement + line[col + len(mutant.original):]
    return "\n".join(lines)
