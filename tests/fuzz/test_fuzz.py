"""Bounded fuzzing runs in the suite (`make fuzz` runs longer): the targets must survive their inputs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
SEEDS = [HERE.parent / "fixtures" / "feeds", HERE.parent / "corpus" / "hostile"]


@pytest.mark.timeout(300)
@pytest.mark.parametrize(("target", "runs"), [("fuzz_ingest", 400), ("fuzz_render", 20000)])
def test_bounded_fuzz_run(target: str, runs: int, tmp_path: Path) -> None:
    pytest.importorskip("atheris", reason="atheris is in the dev extras")
    seeds = [str(p) for p in SEEDS] if target == "fuzz_ingest" else []
    (tmp_path / "corpus").mkdir()
    done = subprocess.run(
        [sys.executable, "-m", f"tests.fuzz.{target}", f"-runs={runs}", "-max_len=20000",
         f"-artifact_prefix={tmp_path}/", str(tmp_path / "corpus"), *seeds],
        capture_output=True, text=True, timeout=280, check=False, cwd=HERE.parent.parent,
    )  # fmt: skip
    crashes = sorted(p.name for p in tmp_path.glob("crash-*"))
    assert done.returncode == 0 and crashes == [], f"{crashes}: {done.stderr[-1500:]}"
