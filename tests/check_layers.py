#!/usr/bin/env python3
"""The floors of lib/ as docs/architecture.md states them, checked on the code.

Reads the floor table of docs/architecture.md (rows `| N | `folder`, ... | ... |`)
and every `#include "folder/..."` of lib/, then fails when
  - a folder of lib/ is missing from the table, or the table names a folder
    that does not exist;
  - a file includes from a higher floor (a layer uses only those below it,
    and its own floor);
  - the folders of one floor include each other in a cycle;
  - headers of lib/ include each other in a cycle.
Run: python3 tests/check_layers.py [repository root]
"""
import pathlib
import re
import sys


def floors(doc):
    table = {}
    for line in doc.read_text().splitlines():
        m = re.match(r"\|\s*(\d+)\s*\|([^|]*)\|", line)
        if m:
            for folder in re.findall(r"`([a-z_]+)`", m.group(2)):
                table[folder] = int(m.group(1))
    return table


def includes(path):
    return re.findall(r'^#include "([^"]+)"', path.read_text(), re.M)


def cycle(graph):
    """A cycle of the directed graph {node: set(nodes)} as a list, or None."""
    state, stack = {}, []

    def visit(n):
        state[n] = 1
        stack.append(n)
        for m in sorted(graph.get(n, ())):
            if state.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if m not in state:
                found = visit(m)
                if found:
                    return found
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(graph):
        if n not in state:
            found = visit(n)
            if found:
                return found
    return None


def main():
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    lib = root / "lib"
    table = floors(root / "docs" / "architecture.md")
    errors = []
    folders = sorted(p.name for p in lib.iterdir() if p.is_dir())
    for f in folders:
        if f not in table:
            errors.append(f"lib/{f}/ is not in docs/architecture.md's floor table")
    for f in table:
        if f not in folders and f != "protocol":
            errors.append(f"docs/architecture.md names lib/{f}/, which does not exist")
    folder_graph, header_graph = {}, {}
    for path in sorted(lib.glob("*/*.[ch]")):
        here = path.parent.name
        rel = f"{here}/{path.name}"
        for inc in includes(path):
            target = inc if "/" in inc else f"{here}/{inc}"
            there = target.split("/")[0]
            if there == "keel":  # public headers
                continue
            if there in table and here in table and table[there] > table[here]:
                errors.append(f"lib/{rel} (floor {table[here]}) includes {inc} "
                              f"(floor {table[there]}): a layer uses only those below it")
            if there != here:
                folder_graph.setdefault(here, set()).add(there)
            if path.suffix == ".h":
                header_graph.setdefault(rel, set()).add(target)
    loop = cycle(folder_graph)
    if loop:
        errors.append("folders include each other: " + " -> ".join(loop))
    loop = cycle(header_graph)
    if loop:
        errors.append("headers include each other: " + " -> ".join(loop))
    for e in errors:
        print("check_layers:", e)
    print(f"check_layers: {len(folders)} folders, {sum(1 for _ in lib.glob('*/*.[ch]'))} files, "
          f"{len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
