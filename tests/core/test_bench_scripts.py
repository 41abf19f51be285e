"""The benchmark scripts keep working: a tiny seed, a short run and a short load."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def small_register(tmp_path_factory):
    """A register of 1/100 of the full size, seeded once for the tests below."""
    tmp_path = tmp_path_factory.mktemp("bench")
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
    return env


@pytest.mark.slow
def test_run_on_a_small_register(small_register):
    run = subprocess.run(
        [sys.executable, "bench/run.py", "--requests", "2", "--heavy-runs", "1"],
        cwd=ROOT,
        env=small_register,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert "agreements: approved, ends < 90 d" in run.stdout
    assert "evaluations: overdue" in run.stdout
    # The floor is measured in the same run, and every page shows its ratio to it.
    assert re.search(r"floor: agreements, page 1 +[\d.]+", run.stdout)
    assert re.search(r"dashboard \(staff\) +[\d.]+ +[\d.]+ +\d+ +[\d.]+×", run.stdout)
    assert re.search(r"PDF summary, typical \(\d pages\) .* [\d.]+×", run.stdout)
    assert "CSV export, all 300 agreements" in run.stdout
    assert re.search(r"peak traced memory: [\d.]+ MiB for 300 rows", run.stdout)
    assert re.search(r"daily reminder job +[\d.]+ +[\d.]+ +\d+", run.stdout)
    assert re.search(r"reminder job: [1-9][\d,]* reminders claimed", run.stdout)
    assert re.search(r"PDF summary, typical \(\d pages\)", run.stdout)
    assert re.search(r"PDF summary, long \(\d pages\)", run.stdout)


@pytest.mark.slow
def test_load_on_a_small_register(small_register):
    load = subprocess.run(
        [
            sys.executable,
            "bench/load.py",
            *("--users", "3", "--seconds", "4", "--warm-up", "1"),
        ],
        cwd=ROOT,
        env=small_register,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert load.returncode == 0, load.stdout + load.stderr
    assert re.search(r"[1-9]\d* requests, [\d.]+ requests/s, 0 errors", load.stdout)
    assert '"database is locked" in the gunicorn log: 0 times' in load.stdout
    assert re.search(r"^all +[1-9]", load.stdout, re.MULTILINE)
