"""The ctypes layouts of the history structs (keel_sim_replay, keel_sim_volatility,
keel_sim_event with its embedded keel_action, keel_sim_trace) against the C header: a small
C program compiled here prints sizeof and offsetof of every field, and each must equal the
binding's. A wrong offset would make C read or write beside the binding's buffers."""

import os
import pathlib
import shutil
import subprocess

import pytest

from keel import _ffi

ROOT = pathlib.Path(__file__).resolve().parents[2]
STRUCTS = {
    "keel_action": _ffi.CAction,
    "keel_sim_replay": _ffi.CSimReplay,
    "keel_sim_volatility": _ffi.CSimVolatility,
    "keel_sim_event": _ffi.CSimEvent,
    "keel_sim_trace": _ffi.CSimTrace,
    "keel_sim_params": _ffi.CSimParams,
    "keel_sim_summary": _ffi.CSimSummary,
}
C_NAMES = {"lambda_": "lambda"}  # a Python keyword in C's field name


def _c_layouts(tmp_path):
    cc = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    lib = os.environ.get("KEEL_LIBRARY") or _ffi.lib._name
    generated = pathlib.Path(lib).resolve().parent / "include"  # keel/version.h of the build
    if cc is None or not (generated / "keel" / "version.h").exists():
        pytest.skip("no C compiler or no build tree beside KEEL_LIBRARY")
    lines = ["#include <stdio.h>", "#include <stddef.h>", "#include <keel.h>",
             "int main(void) {"]
    for cname, struct in STRUCTS.items():
        lines.append(f'    printf("{cname} sizeof %zu\\n", sizeof({cname}));')
        for field, _ in struct._fields_:
            f = C_NAMES.get(field, field)
            lines.append(f'    printf("{cname} {field} %zu\\n", offsetof({cname}, {f}));')
    lines += ["    return 0;", "}"]
    src = tmp_path / "layouts.c"
    src.write_text("\n".join(lines) + "\n")
    exe = tmp_path / "layouts"
    subprocess.run([cc, "-std=c11", f"-I{ROOT / 'include'}", f"-I{generated}", str(src), "-o",
                    str(exe)], check=True, capture_output=True)
    out = subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout
    return {(s, f): int(v) for s, f, v in (line.split() for line in out.splitlines())}


def test_history_structs_match_the_header(tmp_path):
    import ctypes
    c = _c_layouts(tmp_path)
    for cname, struct in STRUCTS.items():
        assert c[(cname, "sizeof")] == ctypes.sizeof(struct), cname
        for field, _ in struct._fields_:
            assert c[(cname, field)] == getattr(struct, field).offset, (cname, field)
