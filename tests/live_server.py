"""A real web server for tests (gunicorn in a subprocess, with tests/live_settings.py)
and a small HTTP client that acts like a browser without JavaScript: it keeps cookies,
sends the CSRF token of the form it was shown, and follows redirects only when asked,
so every status is seen."""

import html
import http.client
import os
import re
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[1]


def wait_for(condition, *, timeout=60.0, what="condition", interval=0.2):
    """Poll until `condition()` is true; generous timeouts, the machine may be busy."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


class LiveServer:
    """gunicorn serving the project on a free port of loopback, with its own environment
    (DATABASE_URL, REDIS_URL ...). Use as a context manager; `log()` is its output."""

    def __init__(self, *, database_url: str, log_path: Path, workers=1, threads=1, env=None):
        self.port = free_port()
        self.log_path = Path(log_path)
        self.command = [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--timeout",
            "120",
            "--graceful-timeout",
            "5",
            # Several servers may run at once: none takes the shared control socket.
            "--no-control-socket",
        ]
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.live_settings",
            "DATABASE_URL": database_url,
            "DEBUG": "True",
            "LOG_LEVEL": "WARNING",
            **(env or {}),
        }
        self.process = None

    def __enter__(self):
        with self.log_path.open("w") as output:
            self.process = subprocess.Popen(
                self.command,
                cwd=ROOT,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            wait_for(self._answers, timeout=120, what=f"the web server (log: {self.log()[-2000:]})")
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def _answers(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"the web server exited:\n{self.log()[-4000:]}")
        if not port_open(self.port):
            return False
        try:
            return WebClient(self.port, timeout=30).get("/accounts/login/").status == 200
        except OSError:
            return False

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def client(self, **kwargs) -> "WebClient":
        return WebClient(self.port, **kwargs)


MESSAGE = re.compile(r'<li class="message message-(\w+)"[^>]*>(.*?)</li>', re.S)
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ERROR = re.compile(r'<p class="error"[^>]*>(.*?)</p>', re.S)


@dataclass
class Response:
    method: str
    path: str
    status: int
    headers: dict
    text: str
    seconds: float

    @property
    def location(self) -> str:
        return self.headers.get("location", "")

    def messages(self) -> list[tuple[str, str]]:
        """The page's flash messages as (level, text)."""
        return [(level, html.unescape(text).strip()) for level, text in MESSAGE.findall(self.text)]

    def errors(self) -> list[str]:
        """Form errors shown next to fields or above the form."""
        return [html.unescape(text).strip() for text in ERROR.findall(self.text)]


@dataclass
class WebClient:
    port: int
    timeout: float = 90
    cookies: dict = field(default_factory=dict)
    responses: list = field(default_factory=list)

    def request(self, method: str, path: str, data=None) -> Response:
        body = urlencode(data, doseq=True).encode() if data is not None else None
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        started = time.monotonic()
        try:
            connection.request(method, path, body, headers)
            raw = connection.getresponse()
            content = raw.read()
        finally:
            connection.close()
        seconds = time.monotonic() - started
        for header in raw.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        response = Response(
            method=method,
            path=path,
            status=raw.status,
            headers={name.lower(): value for name, value in raw.headers.items()},
            text=content.decode("utf-8", errors="replace"),
            seconds=seconds,
        )
        self.responses.append(response)
        return response

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, data: dict, *, form_page: str | None = None) -> Response:
        """Open the page with the form (the action's own URL unless told), then send the
        form with the CSRF token that page carried, as a browser would."""
        page = self.get(form_page or path)
        match = CSRF_FIELD.search(page.text)
        if not match:
            raise AssertionError(f"no form with a CSRF token on {page.path} ({page.status})")
        return self.request("POST", path, {**data, "csrfmiddlewaretoken": match.group(1)})

    def follow(self, response: Response, *, limit=5) -> Response:
        while response.status in (301, 302, 303) and limit:
            target = urlsplit(response.location)
            response = self.get((target.path or "/") + (f"?{target.query}" if target.query else ""))
            limit -= 1
        return response

    def log_in(self, username: str, password: str) -> Response:
        return self.post("/accounts/login/", {"username": username, "password": password})


class RedisServer:
    """redis-server on a free port of loopback, without persistence; it can be stopped
    and started again on the same port while the application keeps its REDIS_URL."""

    def __init__(self):
        from tests.conftest import service_required

        self.binary = shutil.which("redis-server")
        if not self.binary:
            service_required("redis-server is not installed")
        self.port = free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: port_open(self.port), timeout=30, what="redis-server")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        wait_for(lambda: not port_open(self.port), timeout=30, what="redis-server to stop")

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc_info):
        self.stop()


class SmtpServer:
    """A minimal SMTP server on loopback that accepts every message and keeps it: it
    stands in for the organisation's mail server, which a test can start late."""

    def __init__(self, port: int):
        self.port = port
        self.messages = []
        self.server = None

    def start(self):
        owner = self

        class Session(socketserver.StreamRequestHandler):
            def reply(self, line: bytes):
                self.wfile.write(line + b"\r\n")

            def handle(self):
                self.reply(b"220 test mail server ready")
                while line := self.rfile.readline():
                    verb = line.split(b" ", 1)[0].strip().upper()
                    if verb == b"DATA":
                        self.reply(b"354 end with a line holding a dot")
                        lines = []
                        while (data := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
                            lines.append(data[1:] if data.startswith(b"..") else data)
                        owner.messages.append(message_from_bytes(b"".join(lines)))
                        self.reply(b"250 queued")
                    elif verb == b"QUIT":
                        self.reply(b"221 bye")
                        return
                    else:  # EHLO, HELO, MAIL, RCPT, RSET, NOOP
                        self.reply(b"250 ok")

        class Server(socketserver.ThreadingTCPServer):
            allow_reuse_address = True
            daemon_threads = True

        self.server = Server(("127.0.0.1", self.port), Session)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()
