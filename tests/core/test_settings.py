"""The settings guard: start-up with unsafe production settings must stop loudly."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _start_django(**environment):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}
    }
    env.update(environment)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_debug_off_without_secret_key_stops_start_up_with_a_clear_message():
    result = _start_django(DEBUG="False")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is not set" in result.stderr


import pytest  # noqa: E402

GOOD_KEY = "q8Vd3kP0zL2mN7xR4tY6wB1cE5fG9hJ-sA_uI0oKlMnBvCxZ12"


@pytest.mark.parametrize(
    "key",
    [
        "short",
        "x" * 60,  # long, but one character: what check --deploy calls weak
        GOOD_KEY[:49],  # one short of 50
        "django-insecure-" + GOOD_KEY,  # a key Django made for development
    ],
    ids=["short", "one-character", "49-characters", "django-insecure"],
)
def test_debug_off_with_a_weak_secret_key_stops_start_up(key):
    result = _start_django(DEBUG="False", SECRET_KEY=key)
    assert result.returncode != 0
    assert "at least 50 characters with at least 5 different ones" in result.stderr


def test_debug_off_with_a_proper_secret_key_starts():
    assert len(GOOD_KEY) == 50
    result = _start_django(DEBUG="False", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="example.org")
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_development_defaults_start_without_any_environment():
    result = _start_django()
    assert result.returncode == 0, result.stderr


def test_database_url_selects_the_database():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['ENGINE'], settings.TIME_ZONE)"
    )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DATABASE_URL"] = "postgres://user:secret@db.example:5432/partners"
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "django.db.backends.postgresql Europe/Stockholm" in result.stdout
