"""Load: gunicorn (2 workers) on loopback, simulated users clicking through the register.

    DATABASE_URL=sqlite:///var/bench.sqlite3 .venv/bin/python bench/load.py [--users 20] [--seconds 60]

Run it on a seeded database (bench/seed.py). It creates its users (load_staff_N and
load_manager_N, password LOAD_PASSWORD; each manager with an authenticator device) if
they are missing, collects the static files, starts gunicorn with production settings
(DEBUG off, so managers give a second factor; plain HTTP on 127.0.0.1), logs every user
in through the login form and the two-factor step, and then each user requests pages back to back
for the given time (after a warm-up that is not counted): the dashboard, partner and agreement lists (deep pages, a search,
filters), agreement and partner pages, a new partner through the form (its CSRF token
read from the page, as a browser does) and an agreement summary PDF. It prints, for each
kind of request, the count, throughput and p50/p95/p99 latency, the errors, and whether
gunicorn's log holds "database is locked". The partners it created are deleted at the
end. Exit status 1 when any request failed.

A small threaded driver on the standard library: gunicorn's sync workers close each
connection after one response, so a client that keeps connections gains nothing here.
"""

import argparse
import http.client
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

LOAD_PASSWORD = "load-test-Hallon-2026"
LOAD_PARTNER_PREFIX = "Lasttest "
SECRET_KEY = secrets.token_urlsafe(50)
# How often each kind of request comes up in a user's clicking (weights).
MIX = {
    "dashboard": 10,
    "partner list": 15,
    "partner search": 5,
    "agreement list": 15,
    "evaluations overdue": 5,
    "agreement page": 20,
    "partner page": 10,
    "new partner (form + post)": 5,
    "summary PDF": 5,
}
HIDDEN_INPUT = re.compile(r"<input\b[^>]*\btype=\"hidden\"[^>]*>")
ATTRIBUTE = re.compile(r"\b(name|value)=\"([^\"]*)\"")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """One user's cookies; a new connection a request, like gunicorn's sync workers."""

    def __init__(self, port: int, timeout: float):
        self.port = port
        self.timeout = timeout
        self.cookies = SimpleCookie()

    def request(self, method: str, path: str, form: dict | list | None = None):
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            # Django checks the Origin of a POST against the host (CSRF).
            headers["Origin"] = f"http://127.0.0.1:{self.port}"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(header)
        return response.status, response.headers, content

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, form):
        return self.request("POST", path, form)


def hidden_inputs(html: str) -> list[tuple[str, str]]:
    fields = []
    for tag in HIDDEN_INPUT.findall(html):
        attributes = dict(ATTRIBUTE.findall(tag))
        if "name" in attributes:
            fields.append((attributes["name"], attributes.get("value", "")))
    return fields


def log_in(browser: Browser, user: dict) -> None:
    status, _headers, body = browser.get("/accounts/login/")
    assert status == 200, f"login page: {status}"
    form = hidden_inputs(body.decode())
    form += [("username", user["username"]), ("password", LOAD_PASSWORD)]
    status, headers, _body = browser.post("/accounts/login/", form)
    assert status == 302 and "login" not in headers["Location"], f"login of {user}: {status}"
    if user.get("totp_key"):
        # Managers give the code of their authenticator app, as the server requires
        # with DEBUG off (TWO_FACTOR_REQUIRED).
        from django_otp.oath import totp

        status, headers, _body = browser.get("/")  # sends them to the code's page
        assert status == 302, f"dashboard before the code, {user['username']}: {status}"
        location = urllib.parse.urlsplit(headers["Location"])
        step = location.path + (f"?{location.query}" if location.query else "")
        status, _headers, body = browser.get(step)
        assert status == 200, f"two-factor page of {user['username']}: {status} {step}"
        form = hidden_inputs(body.decode())
        form.append(("code", f"{totp(bytes.fromhex(user['totp_key'])):06d}"))
        status, headers, _body = browser.post(step, form)
        assert status == 302 and "two-factor" not in headers["Location"], (
            f"two-factor step of {user['username']}: {status}"
        )


@dataclass
class Results:
    timings: dict = field(default_factory=dict)  # kind -> [seconds]
    errors: dict = field(default_factory=dict)  # kind -> [message]
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, seconds: float, error: str | None):
        with self.lock:
            self.timings.setdefault(kind, []).append(seconds)
            if error:
                self.errors.setdefault(kind, []).append(error)


@dataclass
class Register:
    """Ids to click on, read once before the run."""

    agreements: list
    evaluated_agreements: list
    partners: list
    partner_pages: int
    agreement_pages: int


def one_click(browser: Browser, kind: str, user: dict, register: Register, rng: random.Random):
    """Make one request (two for the form) of `kind`; returns an error message or None."""
    if kind == "dashboard":
        return expect(browser.get("/"), 200)
    if kind == "partner list":
        page = rng.choice([1, 2, rng.randint(1, register.partner_pages)])
        return expect(browser.get(f"/partners/?page={page}"), 200)
    if kind == "partner search":
        word = rng.choice(["kultur", "öppna", "ängen", "bro", "norr"])
        return expect(browser.get(f"/partners/?q={urllib.parse.quote(word)}&country=SE"), 200)
    if kind == "agreement list":
        query = rng.choice(
            [
                "",
                "?state=approved&ends_within=90",
                "?state=pending",
                f"?page={rng.randint(1, register.agreement_pages)}",
            ]
        )
        return expect(browser.get(f"/agreements/{query}"), 200)
    if kind == "evaluations overdue":
        return expect(browser.get("/evaluations/?due=overdue"), 200)
    if kind == "agreement page":
        return expect(browser.get(f"/agreements/{rng.choice(register.agreements)}/"), 200)
    if kind == "partner page":
        return expect(browser.get(f"/partners/{rng.choice(register.partners)}/"), 200)
    if kind == "summary PDF":
        status, headers, body = browser.get(
            f"/agreements/{rng.choice(register.evaluated_agreements)}/summary.pdf"
        )
        if status != 200 or not body.startswith(b"%PDF"):
            return f"PDF: {status}"
        return None
    if kind == "new partner (form + post)":
        status, _headers, body = browser.get("/partners/new/")
        if status != 200:
            return f"form: {status}"
        form = hidden_inputs(body.decode())
        form += [
            ("name", f"{LOAD_PARTNER_PREFIX}{secrets.token_hex(6)} Ängsföreningen"),
            ("kind", "association"),
            ("country", "SE"),
            ("city", "Malmö"),
            ("responsible", str(user["pk"])),
        ]
        status, headers, body = browser.post("/partners/new/", form)
        if status != 302 or not re.match(r"^/partners/\d+/$", headers.get("Location", "")):
            return f"post: {status} {body[:300]!r}"
        return None
    raise ValueError(kind)


def expect(response, status):
    got, _headers, body = response
    if got != status:
        return f"{got}: {body[:200]!r}"
    return None


def simulated_user(user, register, port, deadline, results, seed, timeout, ready):
    rng = random.Random(seed)
    browser = Browser(port, timeout)
    try:
        log_in(browser, user)
    except Exception as error:
        results.record("log in", 0, f"{type(error).__name__}: {error}")
        ready.abort()  # the run stops: the figures would not mean anything
        return
    ready.wait()  # the clock starts when every user is logged in
    kinds, weights = zip(*MIX.items(), strict=True)
    while time.monotonic() < deadline.time:
        kind = rng.choices(kinds, weights)[0]
        started = time.perf_counter()
        try:
            error = one_click(browser, kind, user, register, rng)
        except Exception as exception:  # a timeout or a reset connection is an error too
            error = f"{type(exception).__name__}: {exception}"
        # Warm-up requests (fonts loading, caches filling) and requests cut off at the
        # end do not count.
        if deadline.start <= time.monotonic() < deadline.time:
            results.record(kind, time.perf_counter() - started, error)


@dataclass
class Deadline:
    start: float = 0
    time: float = float("inf")

    def begin(self, warm_up: float, seconds: float):
        self.start = time.monotonic() + warm_up
        self.time = self.start + seconds


def setup_database(users: int) -> tuple[list[dict], Register]:
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import Group
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import User
    from accounts.roles import MANAGERS_GROUP, STAFF_GROUP
    from agreements.models import Agreement
    from evaluations.models import Evaluation
    from partnerships.models import Partner

    people = []
    for number in range(users):
        role = MANAGERS_GROUP if number % 5 == 4 else STAFF_GROUP
        username = f"load_{'manager' if role == MANAGERS_GROUP else 'staff'}_{number}"
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username, f"{username}@bench.example", LOAD_PASSWORD, first_name="Load"
            )
            user.groups.add(Group.objects.get(name=role))
        person = {"username": username, "pk": user.pk}
        if role == MANAGERS_GROUP:
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            if device is None:
                device = TOTPDevice.objects.create(user=user, name="load", confirmed=True)
            person["totp_key"] = device.key
        people.append(person)
    agreements = list(Agreement.objects.values_list("pk", flat=True).order_by("?")[:2000])
    evaluated = (
        list(Evaluation.objects.values_list("period__agreement_id", flat=True).distinct()[:500])
        or agreements[:10]
    )
    partners = list(Partner.objects.values_list("pk", flat=True).order_by("?")[:2000])
    register = Register(
        agreements=agreements,
        evaluated_agreements=evaluated,
        partners=partners,
        partner_pages=max(1, min(200, Partner.objects.count() // settings.PAGE_SIZE)),
        agreement_pages=max(1, min(200, Agreement.objects.count() // settings.PAGE_SIZE)),
    )
    return people, register


def delete_load_partners() -> int:
    from partnerships.models import Partner

    deleted, _per_model = Partner.objects.filter(name__startswith=LOAD_PARTNER_PREFIX).delete()
    return deleted


def server_environment() -> dict:
    """Production settings, but plain HTTP on loopback: no TLS proxy in front."""
    env = {
        **os.environ,
        "DEBUG": "False",
        "SECRET_KEY": SECRET_KEY,
        "SESSION_COOKIE_SECURE": "False",
        "CSRF_COOKIE_SECURE": "False",
        "SECURE_SSL_REDIRECT": "False",
        "SECURE_HSTS_SECONDS": "0",
        "BEHIND_TLS_PROXY": "False",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


def start_gunicorn(port: int, workers: int, log_path: Path, static_root: Path):
    env = {**server_environment(), "STATIC_ROOT": str(static_root)}
    log = open(log_path, "wb")  # noqa: SIM115 - closed after the server stops
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "120",
            "--error-logfile",
            "-",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    return process, log


def wait_until_up(port: int, process, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn stopped while starting; see its log")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def percentile(sorted_values, fraction):
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * fraction))]


def report(results: Results, seconds: float, users: int, workers: int, vendor: str, log_text):
    total = sum(len(t) for t in results.timings.values())
    errors = sum(len(e) for e in results.errors.values())
    print(
        f"\ndatabase: {vendor}; gunicorn {workers} workers; {users} users for {seconds:.0f} s; "
        f"{total:,} requests, {total / seconds:.1f} requests/s, {errors} errors\n"
    )
    print(
        f"{'request':<28} {'count':>6} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'errors':>7}"
    )
    all_timings = []
    for kind in MIX:
        timings = sorted(results.timings.get(kind, []))
        all_timings += timings
        if not timings:
            continue
        print(
            f"{kind:<28} {len(timings):>6} {len(timings) / seconds:>7.1f} "
            f"{statistics.median(timings) * 1000:>8.0f} {percentile(timings, 0.95) * 1000:>8.0f} "
            f"{percentile(timings, 0.99) * 1000:>8.0f} {len(results.errors.get(kind, [])):>7}"
        )
    all_timings.sort()
    if all_timings:
        print(
            f"{'all':<28} {total:>6} {total / seconds:>7.1f} "
            f"{statistics.median(all_timings) * 1000:>8.0f} "
            f"{percentile(all_timings, 0.95) * 1000:>8.0f} "
            f"{percentile(all_timings, 0.99) * 1000:>8.0f} {errors:>7}"
        )
    locked = log_text.count("database is locked")
    print(f'\n"database is locked" in the gunicorn log: {locked} times')
    for kind, messages in results.errors.items():
        for message in messages[:3]:
            print(f"error, {kind}: {message}")
    return errors + locked


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--warm-up", type=float, default=5, help="seconds of requests not counted, first"
    )
    parser.add_argument("--timeout", type=float, default=120, help="seconds a request may take")
    args = parser.parse_args()

    people, register = setup_database(args.users)
    from django.db import connection

    vendor = connection.vendor
    connection.close()
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="bench-load-") as scratch:
        static_root = Path(scratch) / "static"
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env={**server_environment(), "STATIC_ROOT": str(static_root)},
            check=True,
        )
        log_path = Path(scratch) / "gunicorn.log"
        server, log = start_gunicorn(port, args.workers, log_path, static_root)
        results = Results()
        try:
            wait_until_up(port, server)
            deadline = Deadline()
            ready = threading.Barrier(
                args.users,
                action=lambda: deadline.begin(args.warm_up, args.seconds),
            )
            threads = [
                threading.Thread(
                    target=simulated_user,
                    args=(people[i], register, port, deadline, results, i, args.timeout, ready),
                )
                for i in range(args.users)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(30)
            log.close()
            deleted = delete_load_partners()
        log_text = log_path.read_text(errors="replace")
    if "log in" in results.errors:
        print(log_text[-3000:])
        print("logging in failed:", results.errors["log in"][:3])
        return 1
    problems = report(results, args.seconds, args.users, args.workers, vendor, log_text)
    print(f"deleted the {deleted} partners the run created")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
