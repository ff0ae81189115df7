#!/usr/bin/env python3
"""Runs every fenced C, Python and Rust block of README.md and docs/*.md and checks
the numbers it claims.

Usage: check_doc_snippets.py <source root> <build dir> [<cargo> <cargo target dir>]
(without cargo the Rust blocks are compiled only when `cargo` is on PATH, else
reported as not run and the test fails: a Rust block must not rot unnoticed).

Markers (HTML comments on the line before a fence; invisible on GitHub and in Doxygen):

  <!-- snippet: NAME -->          the block is a fragment of the example NAME: the
                                  fragments of one page with the same NAME and
                                  language are joined in page order and run as one
                                  program. A block without a marker runs alone.
  <!-- snippet: skip REASON -->   the block is not run (REASON is required: say
                                  why it cannot run, e.g. "needs a network").
  <!-- snippet: output examples/python/X.py -->  on a ```text block: the block is what that
                                  example prints; the example is run and every
                                  non-empty line of the block must be a line of
                                  its output (numbers at their precision, as claims).

A C block without `main(` is a fragment of a function body: its `#include` lines
go to the top and the rest into `int main(void) { ... return 0; }` (<stdio.h>
and <keel.h> are included). A Rust block without `fn main` goes, `use` lines
apart, into `fn main() -> Result<(), Box<dyn std::error::Error>> { ... Ok(()) }`.
Python runs as written.

Claims, checked against what the program prints:

  C     printf(...);   /* CLAIM */      the comment after a printf statement
  Rust  println!(...); // CLAIM         the comment after a println! statement
  Py    print(...)     # CLAIM          the comment after a print call
  Py    EXPR           # CLAIM          a bare expression with a comment, as at a
                                        prompt: its str() or repr() must match (so a
                                        remark on such a line fails: put remarks on
                                        their own line or after an assignment)

CLAIM is matched as text except that `...` matches anything and every number is
compared at its own precision: `1.3833` matches 1.38333 (rounded to 4 places),
`1445.78...` matches 1445.7831 (truncated), an integer matches exactly. C and Rust
comments of the form `= <number>` on other lines are an error (a number the
snippet claims but does not print).
"""
import ast
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tokenize

LANGS = {"c", "python", "rust"}
MARKER = re.compile(r"^<!--\s*snippet:\s*(.*?)\s*-->\s*$")
FENCE = re.compile(r"^```(\w*)\s*$")
NUM = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][+-]?\d+)?")
NUM_IN_OUTPUT = r"(-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][+-]?\d+)?)"


class Failure(Exception):
    pass


# ---- extraction --------------------------------------------------------------------

def extract(path):
    """[(lang, name or None, start line, code)] of the page's c/python/rust fences."""
    out = []
    lines = open(path, encoding="utf-8").read().split("\n")
    i, marker = 0, None
    while i < len(lines):
        mm = MARKER.match(lines[i])
        if mm:
            marker = mm.group(1)
            i += 1
            continue
        fm = FENCE.match(lines[i])
        if fm and lines[i].startswith("```"):
            lang, start = fm.group(1), i + 1
            j = i + 1
            while j < len(lines) and not lines[j].startswith("```"):
                j += 1
            if lang in LANGS:
                out.append((lang, marker, start, "\n".join(lines[i + 1:j]) + "\n"))
            elif marker and marker.split()[0] == "output":
                out.append(("output", marker, start, "\n".join(lines[i + 1:j]) + "\n"))
            elif marker and not marker.startswith("skip"):
                raise Failure(f"{path}:{start}: snippet marker on a ```{lang} block")
            marker = None
            i = j + 1
            continue
        if lines[i].strip():
            marker = None   # a marker binds only to the fence right after it
        i += 1
    return out


def programs(root):
    """(label, lang, code) of every program; skipped blocks as (label, reason)."""
    pages = [os.path.join(root, "README.md")] + sorted(
        os.path.join(root, "docs", f) for f in os.listdir(os.path.join(root, "docs"))
        if f.endswith(".md"))
    progs, skipped = [], []
    for page in pages:
        rel = os.path.relpath(page, root)
        named = {}
        for lang, marker, line, code in extract(page):
            label = f"{rel}:{line}"
            if lang == "output":
                progs.append([label, lang, [marker[len("output"):].strip() + "\n" + code]])
            elif marker and marker.split()[0] == "skip":
                reason = marker[4:].strip()
                if not reason:
                    raise Failure(f"{label}: `snippet: skip` needs a reason")
                skipped.append((label, reason))
            elif marker:
                key = (marker, lang)
                if key in named:
                    named[key][2].append(code)
                else:
                    named[key] = [f"{rel}:{line} ({marker})", lang, [code]]
                    progs.append(named[key])
            else:
                progs.append([label, lang, [code]])
    return [(label, lang, "".join(parts)) for label, lang, parts in progs], skipped


# ---- claims ------------------------------------------------------------------------

def claim_matches(claim, text):
    """Does `claim` (text, `...` wildcards, numbers at their precision) match in text?"""
    pattern, numbers = "", []
    pos = 0
    for m in re.finditer(r"\.\.\.|" + NUM.pattern, claim):
        pattern += re.escape(claim[pos:m.start()])
        if m.group(0) == "...":
            pattern += ".*?"
        else:
            tok = m.group(0)
            truncated = claim[m.end():m.end() + 3] == "..."
            numbers.append((tok, truncated))
            pattern += NUM_IN_OUTPUT
        pos = m.end()
    pattern += re.escape(claim[pos:])
    for line in text.split("\n"):
        for m in re.finditer(pattern, line):
            if all(number_matches(tok, trunc, got)
                   for (tok, trunc), got in zip(numbers, m.groups())):
                return True
    return False


def number_matches(claim, truncated, got):
    c, g = claim.replace(",", ""), got.replace(",", "")
    if re.fullmatch(r"-?\d+", c) and not truncated:
        return re.fullmatch(r"-?\d+", g) is not None and int(c) == int(g) \
            or float(g) == float(c)
    places = len(c.split(".")[1].split("e")[0].split("E")[0]) if "." in c else 0
    exp = 0
    if "e" in c.lower():
        exp = int(c.lower().split("e")[1])
    unit = 10.0 ** (exp - places)
    fc, fg = float(c), float(g)
    slack = 1e-12 * unit + 1e-15 * abs(fc)
    if abs(fg - fc) <= 0.5 * unit + slack:         # rounded to the claim's places
        return True
    # `1.2218...`: the claim is the value cut after its places (same sign)
    return truncated and (fg < 0) == (fc < 0 or c.startswith("-")) and \
        -slack <= abs(fg) - abs(fc) < unit + slack


PRINT_CALL = {"c": re.compile(r"\bprintf\s*\("), "rust": re.compile(r"\bprintln!\s*\(")}
# the comment right after the statement, on its line, in either style
COMMENT_AFTER = re.compile(r"[ \t]*(?:/\*\s*(.*?)\s*\*/|//[ \t]*([^\n]*))", re.S)
UNPRINTED = re.compile(r"/\*[^*]*=\s*-?\d[^*]*\*/|//[^\n]*=\s*-?\d")


def statement_end(code, i):
    """The index after `);` closing the call whose `(` is at i (string and character
    literals skipped, so a `;` or `)` inside a format string does not end it), or None."""
    depth, n = 0, len(code)
    while i < n:
        ch = code[i]
        if ch in "\"'":
            j = i + 1
            while j < n and code[j] != ch:
                j += 2 if code[j] == "\\" else 1
            i = j + 1
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                m = re.compile(r"\s*;").match(code, i + 1)
                return m.end() if m else None
        i += 1
    return None


def print_claims(lang, label, code):
    """The claims (comments after each printf / println! statement, `/* */` or `//`),
    in order; a `= <number>` comment anywhere else is an error."""
    claims, printed = [], []
    for m in PRINT_CALL[lang].finditer(code):
        end = statement_end(code, m.end() - 1)
        if end is None:
            continue
        c = COMMENT_AFTER.match(code, end)
        if c and (c.group(1) is not None or c.group(2) is not None):
            claims.append((c.group(1) if c.group(1) is not None else c.group(2)).strip())
            printed.append((m.start(), c.end()))
    for m in UNPRINTED.finditer(code):
        if not any(a <= m.start() < b for a, b in printed):
            line = code[:m.start()].count("\n") + 1
            raise Failure(f"{label}: line {line} of the block claims {m.group(0).strip()!r} "
                          "without printing it (print it with the claim as the comment)")
    return claims


def check_output(label, claims, out):
    for c in claims:
        if not claim_matches(c, out):
            raise Failure(f"{label}: claims {c!r}; the program printed:\n{out}")


# ---- C -----------------------------------------------------------------------------

def c_program(code):
    if re.search(r"\bmain\s*\(", code):
        return code
    head = [l for l in code.split("\n") if l.startswith("#include")]
    body = [l for l in code.split("\n") if not l.startswith("#include")]
    return ("#include <stdio.h>\n#include <keel.h>\n" + "\n".join(head) +
            "\nint main(void)\n{\n" + "\n".join("    " + l for l in body) +
            "\n    return 0;\n}\n")


def run_c(label, code, root, build, tmp):
    claims = print_claims("c", label, code)
    src = os.path.join(tmp, "snippet.c")
    exe = os.path.join(tmp, "snippet")
    with open(src, "w") as f:
        f.write(c_program(code))
    cc = os.environ.get("CC", "cc")
    r = subprocess.run([cc, "-std=c11", "-Wall", "-Wextra", "-Werror", "-Wno-unused-variable",
                        "-Wno-unused-but-set-variable",
                        "-I", os.path.join(root, "include"), "-I", os.path.join(build, "include"),
                        src, "-o", exe, "-L", build, "-lkeel", "-lm", "-Wl,-rpath," + build],
                       capture_output=True, text=True)
    if r.returncode:
        raise Failure(f"{label}: does not compile:\n{r.stderr}\n--- program:\n{c_program(code)}")
    r = subprocess.run([exe], capture_output=True, text=True, timeout=600)
    if r.returncode:
        raise Failure(f"{label}: exits {r.returncode}:\n{r.stdout}{r.stderr}")
    check_output(label, claims, r.stdout)
    return len(claims)


# ---- Python ------------------------------------------------------------------------

PY_PRELUDE = '''
def __keel_claim(value, claim, line, printed):
    import re as _re
    from check_doc_snippets import claim_matches
    if printed:
        print(*value)
        texts = [" ".join(str(v) for v in value)]
    else:
        texts = [str(value), repr(value)]
    if not any(claim_matches(claim, t) for t in texts):
        raise SystemExit(f"line {line}: claims {claim!r}, the value is {texts[-1]!r}")
    print(f"claim checked at line {line}")
'''


def python_program(code):
    """The code with each commented expression statement wrapped in a claim check."""
    comments, trailing = {}, set()
    for tok in tokenize.generate_tokens(io.StringIO(code).readline):
        if tok.type == tokenize.COMMENT:
            comments[tok.start[0]] = tok.string[1:].strip()
            if tok.line[:tok.start[1]].strip():
                trailing.add(tok.start[0])   # a comment after code on its line
    tree = ast.parse(code)
    n = 0

    class Wrap(ast.NodeTransformer):
        def visit_Expr(self, node):
            nonlocal n
            claim = comments.get(node.end_lineno)
            if claim is None or last.get(node.end_lineno) is not node:
                return node
            # the last statement on the line carries the comment
            v = node.value
            printed = (isinstance(v, ast.Call) and isinstance(v.func, ast.Name)
                       and v.func.id == "print" and not v.keywords)
            arg = ast.Tuple(elts=v.args, ctx=ast.Load()) if printed else v
            n += 1
            call = ast.Call(func=ast.Name(id="__keel_claim", ctx=ast.Load()),
                            args=[arg, ast.Constant(claim), ast.Constant(node.lineno),
                                  ast.Constant(printed)], keywords=[])
            return ast.copy_location(ast.Expr(value=call), node)

    # only the last statement ending on a commented line is a claim
    last = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt):
            if node.end_lineno not in last or node.col_offset > last[node.end_lineno].col_offset:
                last[node.end_lineno] = node
    for line in list(comments):
        if line not in last or not isinstance(last[line], ast.Expr):
            # a number with decimals after code that is not checked (an assignment,
            # the first line of a statement) would be a claim nobody verifies
            if line in trailing and re.search(r"\d\.\d", comments[line]):
                raise Failure(f"line {line} of the block claims {comments[line]!r} on a "
                              "statement that is not an expression, so it is not checked "
                              "(make the line an expression or a print(), or move the "
                              "remark to its own line)")
            del comments[line]
    tree = ast.fix_missing_locations(Wrap().visit(tree))
    return PY_PRELUDE + ast.unparse(tree) + "\n", n


def run_python(label, code, root, build, tmp):
    try:
        prog, n = python_program(code)
    except Failure as e:
        raise Failure(f"{label}: {e}") from None
    src = os.path.join(tmp, "snippet.py")
    with open(src, "w") as f:
        f.write(prog)
    env = dict(os.environ, KEEL_LIBRARY=os.path.join(build, "libkeel.so"),
               PYTHONPATH=os.pathsep.join([os.path.join(root, "bindings", "python"),
                                           os.path.dirname(os.path.abspath(__file__))]),
               MPLBACKEND="Agg")
    r = subprocess.run([sys.executable, src], capture_output=True, text=True, env=env,
                       cwd=tmp, timeout=600)
    if r.returncode:
        raise Failure(f"{label}: fails:\n{r.stdout}{r.stderr}\n--- program:\n{prog}")
    return n


def run_output(label, code, root, build, tmp):
    """A ```text block that claims to be what an example prints: run the example and
    find each of the block's lines in its output."""
    script, text = code.split("\n", 1)
    path = os.path.join(root, script)
    if not script.endswith(".py") or not os.path.exists(path):
        raise Failure(f"{label}: `snippet: output` names {script!r}, which is no Python example")
    env = dict(os.environ, KEEL_LIBRARY=os.path.join(build, "libkeel.so"),
               PYTHONPATH=os.path.join(root, "bindings", "python"), MPLBACKEND="Agg")
    r = subprocess.run([sys.executable, path], capture_output=True, text=True, env=env,
                       cwd=tmp, timeout=600)
    if r.returncode:
        raise Failure(f"{label}: {script} exits {r.returncode}:\n{r.stdout}{r.stderr}")
    claims = [line.strip() for line in text.split("\n") if line.strip()]
    for c in claims:
        if not claim_matches(c, r.stdout):
            raise Failure(f"{label}: the block shows {c!r}; {script} printed:\n{r.stdout}")
    return len(claims)


# ---- Rust --------------------------------------------------------------------------

def rust_program(code):
    if re.search(r"\bfn\s+main\s*\(", code):
        return code
    uses = [l for l in code.split("\n") if l.startswith("use ")]
    body = [l for l in code.split("\n") if not l.startswith("use ")]
    return ("\n".join(uses) + "\n\nfn main() -> Result<(), Box<dyn std::error::Error>> {\n" +
            "\n".join("    " + l for l in body) + "\n    Ok(())\n}\n")


def run_rust(blocks, root, build, cargo, target):
    """All Rust blocks as the bins of one scratch crate: one cargo build."""
    crate = os.path.join(target, "doc-snippets")
    shutil.rmtree(os.path.join(crate, "src"), ignore_errors=True)
    os.makedirs(os.path.join(crate, "src", "bin"))
    keel = os.path.join(root, "bindings", "rust", "keel")
    with open(os.path.join(crate, "Cargo.toml"), "w") as f:
        f.write('[package]\nname = "doc-snippets"\nversion = "0.0.0"\nedition = "2021"\n'
                'publish = false\n\n[dependencies]\nkeel = { path = "%s" }\n\n[workspace]\n' % keel)
    lock = os.path.join(root, "bindings", "rust", "Cargo.lock")
    names = []
    for k, (label, code) in enumerate(blocks):
        name = f"snippet{k}"
        names.append((name, label, print_claims("rust", label, code)))
        with open(os.path.join(crate, "src", "bin", name + ".rs"), "w") as f:
            f.write("#![allow(unused_variables, unused_mut, unused_imports)]\n" +
                    rust_program(code))
    if os.path.exists(lock) and not os.path.exists(os.path.join(crate, "Cargo.lock")):
        shutil.copy(lock, os.path.join(crate, "Cargo.lock"))
    env = dict(os.environ, KEEL_LIB_DIR=build, CARGO_TARGET_DIR=os.path.join(target, "target"),
               LD_LIBRARY_PATH=build)
    r = subprocess.run([cargo, "build", "--offline", "--quiet", "--bins"], cwd=crate, env=env,
                       capture_output=True, text=True)
    if r.returncode:
        raise Failure("Rust snippets do not compile (" +
                      ", ".join(f"{n} = {l}" for n, l, _ in names) + "):\n" + r.stderr)
    count = 0
    for name, label, claims in names:
        exe = os.path.join(target, "target", "debug", name)
        r = subprocess.run([exe], capture_output=True, text=True, env=env, timeout=600)
        if r.returncode:
            raise Failure(f"{label}: exits {r.returncode}:\n{r.stdout}{r.stderr}")
        check_output(label, claims, r.stdout)
        count += len(claims)
    return count


def main():
    root, build = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    cargo = sys.argv[3] if len(sys.argv) > 3 else shutil.which("cargo")
    target = os.path.abspath(sys.argv[4]) if len(sys.argv) > 4 else \
        os.path.join(build, "doc-snippets")
    only = os.environ.get("KEEL_SNIPPETS_ONLY")   # a substring of labels, while editing
    progs, skipped = programs(root)
    if only:
        progs = [p for p in progs if only in p[0]]
    failures, ran, claims = [], 0, 0
    rust = []
    for label, lang, code in progs:
        if lang == "rust":
            rust.append((label, code))
            continue
        with tempfile.TemporaryDirectory() as tmp:
            try:
                run = {"c": run_c, "python": run_python, "output": run_output}[lang]
                claims += run(label, code, root, build, tmp)
                ran += 1
                print(f"ok   {label} ({lang})")
            except (Failure, subprocess.TimeoutExpired) as e:
                failures.append(str(e))
                print(f"FAIL {label} ({lang})")
    if rust:
        if not cargo:
            failures.append("cargo not found: the Rust blocks are not run")
        else:
            try:
                claims += run_rust(rust, root, build, cargo, target)
                ran += len(rust)
                for label, _ in rust:
                    print(f"ok   {label} (rust)")
            except (Failure, subprocess.TimeoutExpired) as e:
                failures.append(str(e))
                print("FAIL rust blocks")
    for label, reason in skipped:
        print(f"skip {label}: {reason}")
    print(f"{ran} program(s) run, {claims} claim(s) checked, {len(skipped)} block(s) skipped")
    if failures:
        print("\n\n".join(failures), file=sys.stderr)
        raise SystemExit(1)


if __name__ == "__main__":
    try:
        main()
    except Failure as e:
        raise SystemExit(str(e))
