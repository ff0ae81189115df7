#!/usr/bin/env python3
"""No stale or internal text in what users read: README.md, docs/*.md,
bindings/python/README.md and the public headers include/keel/*.h.

Stale: a promise about the future ("not written yet", "the solver will rely
on", "once options land", "later, with ..."), a measurement tied to one
machine ("measured on this machine"). Internal: references to the project's
issue tracker ("issue 12", "the rebalancing issue", "the review's"), which a
reader of the docs cannot see. Line breaks do not hide a phrase (the text of
each file is joined, comment leaders removed, before matching).

docs/performance.md may say that a speed goal is not met, with the measured
ratio: that is a measurement, not stale text; no other page may.

Usage: check_stale_text.py <source root>
"""
import glob
import os
import re
import sys

PATTERNS = [
    (r"\bissues?\s+\d+", "a reference to an issue of the project's tracker"),
    (r"\bthe\s+(?:[a-z-]+\s+){0,2}issue\b", "a reference to an issue of the project's tracker"),
    (r"\bthe review'?s?\b|\(review\b", "a reference to an internal review"),
    (r"\bnot (?:written|implemented|done) yet\b|\bnot yet (?:written|implemented|done)\b",
     "a promise"),
    (r"\bwill (?:rely|be added|be written|come|land)\b", "a promise"),
    (r"\bonce\s+[a-z-]+(?:\s+[a-z-]+)?\s+lands?\b", "a promise"),
    (r"\blater,\s+with\b|\bin a later (?:version|release|change)\b|\bcoming soon\b", "a promise"),
    (r"\bon this machine\b", "a measurement tied to one machine: give the machine"),
    (r"\bTODO\b|\bFIXME\b|\bXXX\b", "a note to the authors"),
]
GOAL = (r"\bgoal\b[^.]{0,80}\bnot met\b|\bnot met\b", "a goal not met (performance.md only)")


def text_of(path):
    raw = open(path, encoding="utf-8").read()
    lines = []
    for line in raw.split("\n"):
        lines.append(re.sub(r"^\s*(?:/\*\*?|\*/|\*|//+|#+)\s?", "", line))
    return "\n".join(lines)


def main():
    root = sys.argv[1]
    files = [os.path.join(root, "README.md"), os.path.join(root, "bindings", "python", "README.md")]
    files += sorted(glob.glob(os.path.join(root, "docs", "*.md")))
    files += sorted(glob.glob(os.path.join(root, "include", "keel", "*.h")))
    files.append(os.path.join(root, "include", "keel.h"))
    bad = []
    for path in files:
        if not os.path.exists(path):
            continue
        text = text_of(path)
        flat = re.sub(r"\s+", " ", text)
        pats = list(PATTERNS)
        if os.path.basename(path) != "performance.md":
            pats.append(GOAL)
        for pat, why in pats:
            for m in re.finditer(pat, flat, re.I if "TODO" not in pat else 0):
                # the line of the match in the original text
                words = flat[:m.start()].split()
                line = text.count("\n", 0, max(0, len(" ".join(words)))) + 1
                ctx = flat[max(0, m.start() - 50):m.end() + 30]
                bad.append(f"{os.path.relpath(path, root)} (near line {line}): "
                           f"{m.group(0)!r} — {why}: ...{ctx}...")
    for b in bad:
        print(b)
    print(f"{len(files)} files read, {len(bad)} stale or internal phrase(s)")
    if bad:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
