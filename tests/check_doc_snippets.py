#!/usr/bin/env python3
"""Compiles and runs the ```c blocks of the pages given and checks what they claim.

A block that defines main() is compiled against the library (the include dir and the
build dir holding libkeel.so) and run; the text of the comment on each printf line must
appear in its output. Blocks without main() are fragments and are skipped; a page with no
runnable block fails (the pages given are those whose C is complete). Usage:
  check_doc_snippets.py <include dir> <build dir> <page.md>...
"""
import os
import re
import subprocess
import sys
import tempfile


def blocks(text, lang):
    return re.findall(r"```" + lang + r"\n(.*?)```", text, re.S)


def check_c(code, include, build):
    if "int main(" not in code:
        return 0
    want = re.findall(r'printf\(.*?/\*\s*(.*?)\s*\*/', code)
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "snippet.c")
        exe = os.path.join(tmp, "snippet")
        with open(src, "w") as f:
            f.write(code)
        subprocess.run(["cc", "-std=c11", "-Wall", "-Werror", "-I", include,
                        "-I", os.path.join(build, "include"), src, "-o", exe,
                        "-L", build, "-lkeel", "-lm", "-Wl,-rpath," + build], check=True)
        out = subprocess.run([exe], check=True, capture_output=True, text=True).stdout
    for w in want:
        if w not in out:
            raise SystemExit(f"C snippet printed {out!r}, its comment claims {w!r}")
    return 1


def main():
    include, build, pages = sys.argv[1], sys.argv[2], sys.argv[3:]
    ran = 0
    for page in pages:
        with open(page) as f:
            text = f.read()
        for code in blocks(text, "c"):
            ran += check_c(code, include, build)
    print(f"{ran} snippet(s) run")
    if ran == 0:
        raise SystemExit("no runnable snippet found")


if __name__ == "__main__":
    main()
