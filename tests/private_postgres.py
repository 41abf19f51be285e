"""A PostgreSQL server of a test's own: initdb in a temporary folder, on a free port of
loopback, so a test may stop and restart it without touching anybody else's server."""

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.conftest import free_port, service_required

ROLE = "partners"


def _postgres_bin() -> Path | None:
    folders = sorted(
        (Path(path).parent for path in glob.glob("/usr/lib/postgresql/*/bin/initdb")),
        key=lambda folder: int(folder.parent.name) if folder.parent.name.isdigit() else 0,
    )
    if folders:
        return folders[-1]
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class PrivatePostgres:
    """Use as a context manager. As root the server runs as the `postgres` system user,
    because PostgreSQL refuses to run as root."""

    def __init__(self):
        self.bin = _postgres_bin()
        if self.bin is None:
            service_required("PostgreSQL server programs (initdb, pg_ctl) are not installed")
        self.run_as = None
        if os.geteuid() == 0:
            try:
                self.run_as = pwd.getpwnam("postgres")
            except KeyError:
                service_required("running as root without a postgres user to run PostgreSQL")
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="private-postgres-"))
        self.data = self.folder / "data"
        self.log_path = self.folder / "server.log"

    def url(self, database="postgres") -> str:
        return f"postgres://{ROLE}@127.0.0.1:{self.port}/{database}"

    def _run(self, program, *arguments, timeout=120):
        command = [str(self.bin / program), *arguments]
        if self.run_as:
            command = ["runuser", "-u", self.run_as.pw_name, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        if result.returncode != 0:
            raise AssertionError(
                f"{program} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}\n"
                f"{self.log()[-3000:]}"
            )
        return result

    def __enter__(self):
        if self.run_as:
            os.chown(self.folder, self.run_as.pw_uid, self.run_as.pw_gid)
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            ROLE,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off -c max_connections=60"
        )
        try:
            self._run(
                "pg_ctl",
                "-D",
                str(self.data),
                "-l",
                str(self.log_path),
                "-o",
                options,
                "-w",
                "-t",
                "90",
                "start",
            )
        except BaseException:
            self.cleanup()
            raise
        return self

    def __exit__(self, *exc_info):
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            self.cleanup()

    def restart(self):
        """Stop (ending every connection, as a crash or an upgrade would) and start again."""
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.log_path),
            "-m",
            "fast",
            "-w",
            "-t",
            "90",
            "restart",
        )

    def cleanup(self):
        shutil.rmtree(self.folder, ignore_errors=True)

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""
