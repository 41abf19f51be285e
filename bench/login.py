"""How long signing in takes with Django's default hashers (PBKDF2 first) and with ours
(Argon2 first), measured in the same run, through the real login form.

    .venv/bin/python bench/login.py [--runs 15]

Uses a scratch SQLite database of its own. Prints the median and 95th percentile of a
full login request and of the hash check alone, and the ratio of ours to the default.
Figures, not a test.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/login-bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import check_password, make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from accounts.models import User  # noqa: E402

DJANGO_DEFAULT = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
PASSWORD = "ett-långt-lösenord-för-mätning"


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(hashers, runs):
    with override_settings(PASSWORD_HASHERS=hashers, AXES_ENABLED=False):
        user, _ = User.objects.get_or_create(username="bench")
        user.set_password(PASSWORD)
        user.save()
        encoded = user.password
        checks, logins = [], []
        for _ in range(runs):
            started = time.perf_counter()
            assert check_password(PASSWORD, encoded)
            checks.append(time.perf_counter() - started)
            client = Client()
            started = time.perf_counter()
            response = client.post("/accounts/login/", {"username": "bench", "password": PASSWORD})
            logins.append(time.perf_counter() - started)
            assert response.status_code == 302, response.status_code
        return encoded.split("$")[0], checks, logins


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    make_password("warm-up")
    rows = {}
    for label, hashers in (("Django default", DJANGO_DEFAULT), ("ours", settings.PASSWORD_HASHERS)):
        rows[label] = measure(hashers, args.runs)
    print(f"sign-in, {args.runs} runs each, one process (ms)")
    print(
        f"{'hashers':<16} {'algorithm':<15} {'check p50':>10} {'login p50':>10} {'login p95':>10}"
    )
    for label, (algorithm, checks, logins) in rows.items():
        print(
            f"{label:<16} {algorithm:<15} {statistics.median(checks) * 1000:>10.0f} "
            f"{statistics.median(logins) * 1000:>10.0f} {percentile(logins, 0.95) * 1000:>10.0f}"
        )
    ratio = statistics.median(rows["ours"][2]) / statistics.median(rows["Django default"][2])
    print(f"ours / default, login median: {ratio:.2f}x")


if __name__ == "__main__":
    main()
