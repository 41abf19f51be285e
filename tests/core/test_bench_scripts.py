"""The benchmark scripts keep working: a tiny seed and a short run."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_seed_and_run_on_a_small_register(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bench.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    seed = subprocess.run(
        [sys.executable, "bench/seed.py", "--scale", "0.01"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert seed.returncode == 0, seed.stderr
    assert "agreements:       300" in seed.stdout
    run = subprocess.run(
        [sys.executable, "bench/run.py", "--requests", "2"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert "agreements: approved, ends < 90 d" in run.stdout
    assert "evaluations: overdue" in run.stdout
