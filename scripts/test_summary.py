#!/usr/bin/env python3
"""Prints the totals of a meson test run, counting the individual tests inside
each runner (Check, pytest, cargo test), and ends with 'N passed, N failed'."""

import json
import re
import sys


def main(log_path: str) -> int:
    passed = failed = 0
    rows = []
    with open(log_path, encoding="utf-8") as f:
        for line in f:
            t = json.loads(line)
            out = t.get("stdout", "") or ""
            ok = t["result"] in ("OK", "EXPECTEDFAIL", "SKIP")
            p = fl = 0
            check = re.findall(r"Checks: (\d+), Failures: (\d+), Errors: (\d+)", out)
            pytest = re.findall(r"(\d+) passed(?:, (\d+) failed)?", out)
            cargo = re.findall(r"test result: \w+\. (\d+) passed; (\d+) failed", out)
            if check:
                for n, fail, err in check:
                    fl += int(fail) + int(err)
                    p += int(n) - int(fail) - int(err)
                kind = "Check"
            elif cargo:
                for n, fail in cargo:
                    p += int(n)
                    fl += int(fail)
                kind = "cargo test"
            elif pytest:
                for n, fail in pytest:
                    p += int(n)
                    fl += int(fail or 0)
                kind = "pytest"
            else:
                p, fl = (1, 0) if ok else (0, 1)
                kind = "script"
            if not ok and fl == 0:
                fl = 1
            passed += p
            failed += fl
            rows.append((t["name"], kind, p, fl, t["result"]))
    width = max((len(r[0]) for r in rows), default=10)
    for name, kind, p, fl, res in rows:
        print(f"  {name:<{width}}  {kind:<10} {p:4d} passed {fl:3d} failed  {res}")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
