#!/usr/bin/env python3
"""Checks bindings/rust/keel-sys against the C headers: Debian's bindgen
generates declarations from include/keel.h, and every keel_* function must
exist in keel-sys with parameters and result of the same kind (integer
width, float, pointer constness and pointee), and every keel_* struct with
the same fields in the same order. Usage: check_sys_bindings.py SRC BUILD"""

import re
import subprocess
import sys
from pathlib import Path

INT4 = {"c_int", "c_uint", "i32", "u32", "keel_asset", "__uint32_t", "uint32_t",
        "keel_status", "keel_option_type", "keel_liquidation_side", "keel_concentration_mode",
        "keel_impact"}
WORD = {"usize", "size_t", "c_ulong", "u64", "__uint64_t", "uint64_t"}


def norm(t: str) -> str:
    t = t.strip().replace("::std::os::raw::", "").replace("std::os::raw::", "")
    t = re.sub(r"\s+", " ", t)
    m = re.match(r"\*(mut|const) (.+)$", t)
    if m:
        return f"*{m.group(1)} {norm(m.group(2))}"
    if t in INT4:
        return "int4"
    if t in WORD:
        return "word"
    return t


def split_params(params: str) -> list:
    out, depth, cur = [], 0, ""
    for ch in params:
        if ch in "(<":
            depth += 1
        elif ch in ")>":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(cur)
    return [norm(p.split(":", 1)[1]) for p in out if ":" in p]


def functions(text: str) -> dict:
    fns = {}
    for m in re.finditer(r"pub fn (keel_\w+)\s*\((.*?)\)\s*(?:->\s*([^;]+))?;", text, re.S):
        fns[m.group(1)] = (split_params(m.group(2)), norm(m.group(3) or "()"))
    return fns


def structs(text: str) -> dict:
    found = {}
    for m in re.finditer(r"pub struct (keel_\w+)\s*\{(.*?)\n\}", text, re.S):
        fields = re.findall(r"pub (\w+)\s*:", m.group(2))
        if fields:
            found[m.group(1)] = fields
    return found


def main() -> int:
    src, build = Path(sys.argv[1]), Path(sys.argv[2])
    generated = subprocess.run(
        ["bindgen", str(src / "include" / "keel.h"), "--allowlist-function", "keel_.*",
         "--allowlist-type", "keel_.*", "--no-layout-tests", "--size_t-is-usize", "--",
         f"-I{src / 'include'}", f"-I{build / 'include'}"],
        check=True, capture_output=True, text=True).stdout
    ours = (src / "bindings" / "rust" / "keel-sys" / "src" / "lib.rs").read_text()
    want, have = functions(generated), functions(ours)
    problems = []
    for name in sorted(set(want) - set(have)):
        problems.append(f"missing in keel-sys: {name}")
    for name in sorted(set(have) - set(want)):
        problems.append(f"in keel-sys but not in the headers: {name}")
    for name in sorted(set(want) & set(have)):
        if want[name] != have[name]:
            problems.append(f"{name}: header {want[name]} vs keel-sys {have[name]}")
    sw, sh = structs(generated), structs(ours)
    for name in sorted(sw):
        if name in sh and sw[name] != sh[name]:
            # keel-sys names a field `type_` where C says `type` (a Rust keyword)
            if [f.rstrip("_") for f in sw[name]] != [f.rstrip("_") for f in sh[name]]:
                problems.append(f"struct {name}: header {sw[name]} vs keel-sys {sh[name]}")
        elif name not in sh:
            problems.append(f"struct missing in keel-sys: {name}")
    for p in problems:
        print(p)
    print(f"{len(want)} functions and {len(sw)} structs compared; {len(problems)} differences")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
