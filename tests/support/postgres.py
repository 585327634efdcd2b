"""A throwaway PostgreSQL cluster for tests, using Debian's server binaries.

    server = PostgresServer().start()
    server.create_database("kefu_template")
    ...  # migrate kefu_template, then close every connection to it
    server.create_database("kefu_test_1", template="kefu_template")
    engine = sqlalchemy.create_engine(server.url("kefu_test_1"))
    ...
    server.stop()

If KEFU_TEST_POSTGRES_URL is set (any SQLAlchemy/libpq URL of a superuser or
a role with CREATEDB), that server is used instead and start()/stop() do
nothing.
"""

from __future__ import annotations

import atexit
import glob
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time

import psycopg
from psycopg import sql
from sqlalchemy.engine import URL, make_url

ENV_URL = "KEFU_TEST_POSTGRES_URL"
SERVICE_USER = "postgres"  # system user created by Debian's postgresql package
SUPERUSER = "postgres"  # database role created by initdb


def find_bindir() -> str:
    """Return the newest /usr/lib/postgresql/<version>/bin holding a server."""
    candidates = []
    for postgres in glob.glob("/usr/lib/postgresql/*/bin/postgres"):
        version = postgres.split("/")[4]
        key = tuple(int(p) for p in re.findall(r"\d+", version))
        candidates.append((key, os.path.dirname(postgres)))
    if not candidates:
        raise RuntimeError(
            "No PostgreSQL server in /usr/lib/postgresql/*/bin: "
            "run `bash scripts/install-system-deps.sh` as root "
            f"(or set {ENV_URL} to use a running server)"
        )
    return max(candidates)[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _data_parent() -> str:
    """Where the cluster lives: tmpfs when roomy (file creation on disk makes
    CREATE DATABASE several times slower), else /tmp. A directory readable by
    the postgres user is needed, so not $TMPDIR or pytest's tmp_path."""
    override = os.environ.get("KEFU_TEST_POSTGRES_DIR")
    if override:
        return override
    try:
        st = os.statvfs("/dev/shm")
        if st.f_bavail * st.f_frsize >= 1 << 30 and os.access("/dev/shm", os.W_OK):
            return "/dev/shm"
    except OSError:
        pass
    return "/tmp"


class PostgresServer:
    """A PostgreSQL server: a private cluster, or the one in $KEFU_TEST_POSTGRES_URL."""

    def __init__(self, external_url: str | None = None):
        if external_url is None:
            external_url = os.environ.get(ENV_URL) or None
        self.external = external_url is not None
        self.tmpdir: str | None = None
        self.start_seconds: float | None = None
        self._base: URL | None = None
        if self.external:
            self._base = make_url(external_url).set(drivername="postgresql+psycopg")

    # -- lifecycle ---------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._base is not None

    def start(self) -> "PostgresServer":
        if self.running:
            return self
        t0 = time.monotonic()
        bindir = find_bindir()
        self.tmpdir = tempfile.mkdtemp(prefix="kefu-pg-", dir=_data_parent())
        self._as_root = os.geteuid() == 0
        if self._as_root:
            # The server refuses to run as root: hand the directory to the
            # unprivileged system user and run the binaries as that user.
            try:
                pw = pwd.getpwnam(SERVICE_USER)
            except KeyError:
                raise RuntimeError(
                    f"running as root but there is no '{SERVICE_USER}' system user "
                    "(Debian's postgresql package creates it)"
                ) from None
            os.chown(self.tmpdir, pw.pw_uid, pw.pw_gid)
        self._pg_ctl = os.path.join(bindir, "pg_ctl")
        self._datadir = os.path.join(self.tmpdir, "data")
        self._logfile = os.path.join(self.tmpdir, "postgres.log")
        try:
            self._run(
                os.path.join(bindir, "initdb"),
                "-D", self._datadir,
                "-U", SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            )
            with open(os.path.join(self._datadir, "postgresql.conf"), "a") as f:
                f.write(
                    "\n# kefu tests: fast and throwaway\n"
                    "listen_addresses = '127.0.0.1'\n"
                    f"unix_socket_directories = '{self.tmpdir}'\n"
                    "fsync = off\n"
                    "synchronous_commit = off\n"
                    "full_page_writes = off\n"
                    "max_connections = 200\n"
                    "log_min_messages = warning\n"
                )
            # Another process may grab the free port before the server binds it.
            for attempt in range(5):
                port = _free_port()
                proc = self._run(
                    self._pg_ctl, "start",
                    "-D", self._datadir,
                    "-l", self._logfile,
                    "-w", "-t", "60",
                    "-o", f"-p {port}",
                    check=False,
                )
                if proc.returncode == 0:
                    break
                if "could not bind" not in self.log_tail() or attempt == 4:
                    raise RuntimeError(
                        f"pg_ctl start failed:\n{proc.stdout}{proc.stderr}\n{self.log_tail()}"
                    )
            self._base = URL.create(
                "postgresql+psycopg",
                username=SUPERUSER,
                host="127.0.0.1",
                port=port,
                database="postgres",
            )
            self._wait_ready()
        except BaseException:
            self._base = None
            self._stop_cluster()
            raise
        atexit.register(self.stop)
        self.start_seconds = time.monotonic() - t0
        return self

    def stop(self) -> None:
        if self.external:
            return
        self._base = None
        self._stop_cluster()
        atexit.unregister(self.stop)

    def __enter__(self) -> "PostgresServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- URLs and databases -----------------------------------------------

    def url(self, dbname: str = "postgres") -> str:
        """SQLAlchemy URL (psycopg 3 driver) of database `dbname`."""
        return self._url(dbname).render_as_string(hide_password=False)

    def conninfo(self, dbname: str = "postgres") -> str:
        """libpq URI of database `dbname`, for psycopg.connect()."""
        return (
            self._url(dbname)
            .set(drivername="postgresql")
            .render_as_string(hide_password=False)
        )

    def connect(self, dbname: str = "postgres", **kwargs) -> psycopg.Connection:
        return psycopg.connect(self.conninfo(dbname), **kwargs)

    def create_database(
        self, name: str, template: str | None = None, strategy: str | None = "auto"
    ) -> None:
        """CREATE DATABASE name [TEMPLATE template] [STRATEGY strategy].

        Cloning fails if anything is connected to the template: dispose of
        engines/pools that used it first. strategy "auto" uses FILE_COPY on
        PostgreSQL 15+ (faster than the WAL_LOG default for small databases);
        None leaves the server's default.
        """
        query = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template is not None:
            query += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        with self.connect(autocommit=True) as conn:
            if strategy == "auto":
                strategy = "FILE_COPY" if conn.info.server_version >= 150000 else None
            if strategy is not None:
                if strategy.upper() not in ("FILE_COPY", "WAL_LOG"):
                    raise ValueError(f"unknown strategy {strategy!r}")
                query += sql.SQL(" STRATEGY {}").format(sql.SQL(strategy.upper()))
            conn.execute(query)

    def drop_database(self, name: str) -> None:
        """DROP DATABASE IF EXISTS, ending any sessions still connected."""
        query = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(name)
        )
        with self.connect(autocommit=True) as conn:
            conn.execute(query)

    # -- internals ----------------------------------------------------------

    def _url(self, dbname: str) -> URL:
        if self._base is None:
            raise RuntimeError("PostgresServer is not started")
        return self._base.set(database=dbname)

    def _run(self, *cmd: str, check: bool = True) -> subprocess.CompletedProcess:
        if self._as_root:
            cmd = ("runuser", "-u", SERVICE_USER, "--", *cmd)
        proc = subprocess.run(
            cmd, cwd=self.tmpdir, capture_output=True, text=True,
            stdin=subprocess.DEVNULL,
        )
        if check and proc.returncode != 0:
            raise RuntimeError(
                f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout}{proc.stderr}"
            )
        return proc

    def _wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with self.connect(connect_timeout=2) as conn:
                    conn.execute("SELECT 1")
                return
            except psycopg.OperationalError as exc:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"postgres not ready:\n{self.log_tail()}") from exc
                time.sleep(0.05)

    def log_tail(self, lines: int = 30) -> str:
        try:
            with open(self._logfile, errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except (OSError, AttributeError):
            return ""

    def _stop_cluster(self) -> None:
        if not self.tmpdir:
            return
        if os.path.exists(os.path.join(self._datadir, "postmaster.pid")):
            proc = self._run(
                self._pg_ctl, "stop", "-D", self._datadir, "-m", "fast",
                "-w", "-t", "30", check=False,
            )
            if proc.returncode != 0:
                self._run(
                    self._pg_ctl, "stop", "-D", self._datadir, "-m", "immediate",
                    "-w", "-t", "30", check=False,
                )
        shutil.rmtree(self.tmpdir, ignore_errors=True)
        self.tmpdir = None
