"""Deployment checks and the security headers every page carries."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_reports_nothing_with_production_settings():
    # The browser tests allow async-unsafe calls in this process; production never does.
    unset = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(
        DEBUG="False",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="partners.example.org",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_pages_carry_security_headers(staff_client):
    response = staff_client.get("/partners/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_the_login_page_has_the_headers_too(client, db):
    response = client.get("/accounts/login/")
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_an_idle_session_ends_on_the_server(staff_client):
    import datetime

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    assert staff_client.get("/").status_code == 200
    # Activity pushes the expiry forward; a session idle for longer than the limit is gone.
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = staff_client.get("/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_logout_deletes_the_session_on_the_server(staff_client):
    from django.contrib.sessions.models import Session

    staff_client.get("/")
    assert Session.objects.exists()
    staff_client.post("/accounts/logout/")
    assert not Session.objects.exists()


def test_activity_pushes_the_session_expiry_forward(staff_client, settings):
    import datetime

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    staff_client.get("/")
    session = Session.objects.get()
    soon = timezone.now() + datetime.timedelta(minutes=10)
    Session.objects.update(expire_date=soon)
    store = staff_client.session
    store["last_seen"] = 0  # the last refresh was long ago
    store.save()
    staff_client.get("/")
    session.refresh_from_db()
    assert session.expire_date > timezone.now() + datetime.timedelta(
        seconds=settings.SESSION_COOKIE_AGE - 60
    )
