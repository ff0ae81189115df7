"""mypy --strict (Debian's mypy) passes on the keel package and on the Python examples,
with tests/python/mypy.ini (pandas, dask and matplotlib ship no type information in
Debian 12: their imports are typed Any). Skipped, saying so, when mypy is absent."""

import os
import pathlib
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
CONFIG = ROOT / "tests" / "python" / "mypy.ini"


def _mypy(*targets):
    exe = shutil.which("mypy")
    if exe is None:
        pytest.skip("mypy is not installed (Debian: apt-get install mypy); the typing check "
                    "did not run")
    env = dict(os.environ, MYPYPATH=str(ROOT / "bindings" / "python"))
    return subprocess.run([exe, "--config-file", str(CONFIG), "--no-incremental",
                           "--cache-dir", os.devnull, *map(str, targets)],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=600)


def test_mypy_strict_on_the_package():
    r = _mypy(ROOT / "bindings" / "python" / "keel")
    assert r.returncode == 0, r.stdout + r.stderr


def test_mypy_strict_on_the_examples():
    examples = sorted((ROOT / "examples" / "python").glob("*.py"))
    assert examples
    r = _mypy(*examples)
    assert r.returncode == 0, r.stdout + r.stderr
