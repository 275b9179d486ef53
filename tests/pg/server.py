"""A real PostgreSQL server for the tests, started in a temporary folder and stopped afterwards.

PostgreSQL refuses to run as root, so when the tests run as root (CI does) the server runs as the
unprivileged OS user ``tutor-test``, created here if missing. Authentication is what a course
would use: peer over the local socket (the OS account is the role) and scram passwords over TCP.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

SERVER_USER = "tutor-test"


def os_bindir() -> Path | None:
    """The operating system's PostgreSQL (`apt-get install postgresql`)."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda d: int(d.split("/")[-2]) if d.split("/")[-2].isdigit() else 0)
    return Path(dirs[-1]) if dirs and (Path(dirs[-1]) / "pg_ctl").exists() else None


def wheel_bindir() -> Path | None:
    """The server binaries of the `pgserver` wheel (the test extra installs it), for a machine
    without the OS package: `pip install -e '.[test]'` alone then runs these tests too."""
    import importlib.util

    spec = importlib.util.find_spec("pgserver")
    if spec is None or not spec.origin:
        return None
    path = Path(spec.origin).parent / "pginstall" / "bin"
    return path if (path / "pg_ctl").exists() else None


def bindir() -> Path | None:
    if os.environ.get("TUTOR_TEST_PG") == "wheel":
        return wheel_bindir()
    return os_bindir() or wheel_bindir()


def reachable(user: str | None, path: Path) -> bool:
    if user is None:
        return os.access(path, os.X_OK)
    return subprocess.run(["runuser", "-u", user, "--", "test", "-x", str(path)], capture_output=True).returncode == 0


def is_root() -> bool:
    return os.geteuid() == 0


def ensure_os_user(name: str) -> bool:
    """Create a login-less OS user (root only); True if it was created now."""
    try:
        pwd.getpwnam(name)
        return False
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name], check=True,
                       capture_output=True)
        return True


def as_user(user: str | None, cmd: list[str], **kw) -> subprocess.CompletedProcess:
    full = ["runuser", "-u", user, "--", *cmd] if user else cmd
    r = subprocess.run(full, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        raise OSError(f"{' '.join(full)} failed ({r.returncode}): {(r.stderr or r.stdout).strip()[-500:]}")
    return r


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    root: Path
    port: int
    superuser: str
    run_as: str | None
    bins: Path
    created_users: list[str] = field(default_factory=list)

    @property
    def sockdir(self) -> Path:
        return self.root / "sock"

    def url(self, user: str, password: str | None = None, db: str = "course") -> str:
        """TCP with a password (many machines) when a password is given, else the local socket (peer)."""
        if password is not None:
            return f"postgresql://{user}:{password}@127.0.0.1:{self.port}/{db}"
        return f"postgresql://{user}@/{db}?host={self.sockdir}&port={self.port}"

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.url(self.superuser, db="postgres"), autocommit=True) as c:
            c.execute(sql.encode())

    def stop(self) -> None:
        try:
            as_user(self.run_as, [str(self.bins / "pg_ctl"), "stop", "-D", str(self.root / "data"), "-m", "immediate", "-w"])
        except OSError:
            pass
        for u in self.created_users:
            subprocess.run(["userdel", u], capture_output=True)
        shutil.rmtree(self.root, ignore_errors=True)


def watch(server: Server) -> None:
    """Stop the server and remove its folder when this process ends, even if it is killed (a
    pytest worker killed by a timeout or the OOM killer never runs its fixture teardown)."""
    import shlex

    stop = [str(server.bins / "pg_ctl"), "stop", "-D", str(server.root / "data"), "-m", "immediate"]
    if server.run_as:
        stop = ["runuser", "-u", server.run_as, "--", *stop]
    script = (f"while kill -0 {os.getpid()} 2>/dev/null; do sleep 1; done; "
              f"{shlex.join(stop)} >/dev/null 2>&1; rm -rf {shlex.quote(str(server.root))}")
    subprocess.Popen(["sh", "-c", script], start_new_session=True, stdin=subprocess.DEVNULL,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def start() -> Server:
    bins = bindir()
    if bins is None:
        raise FileNotFoundError("PostgreSQL is not installed (no pg_ctl); `.ci/run` installs it with apt-get install postgresql")
    run_as = None
    me = pwd.getpwuid(os.geteuid()).pw_name
    created = []
    if is_root():
        if ensure_os_user(SERVER_USER):
            created.append(SERVER_USER)
        run_as = SERVER_USER
    superuser = run_as or me
    root = Path(tempfile.mkdtemp(prefix="tutor-pg-", dir="/tmp"))
    os.chmod(root, 0o755)
    if not reachable(run_as, bins / "postgres"):
        # e.g. the wheel inside a virtual environment under /root: give the server user its own copy
        # (the package and its auditwheel libraries, which the binaries find by relative rpath)
        package = bins.parent.parent
        for part in (package, package.with_name(package.name + ".libs")):
            if part.exists():
                shutil.copytree(part, root / "wheel" / part.name, symlinks=True)
        bins = root / "wheel" / package.name / "pginstall" / "bin"
    (root / "sock").mkdir()
    (root / "data").mkdir()
    if run_as:
        shutil.chown(root / "sock", run_as)
        shutil.chown(root / "data", run_as)
    port = free_port()
    as_user(run_as, [str(bins / "initdb"), "-D", str(root / "data"), "-U", superuser, "-A", "peer", "--no-sync", "-E", "UTF8",
                     "--locale", "C"])
    data = root / "data"
    (data / "pg_hba.conf").write_text("local all all peer map=tutor\nhost all all 127.0.0.1/32 scram-sha-256\n")
    # the account running the tests may act as the superuser and the lecturer; everyone else is themselves
    (data / "pg_ident.conf").write_text(f"tutor {me} {superuser}\ntutor {me} lecturer\ntutor /^(.*)$ \\1\n")
    server = Server(root, port, superuser, run_as, bins, created)
    opts = f"-k {root / 'sock'} -p {port} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300 -c shared_buffers=32MB"
    as_user(run_as, [str(bins / "pg_ctl"), "start", "-D", str(data), "-w", "-t", "60", "-l", str(data / "server.log"), "-o", opts])
    watch(server)
    server.admin("CREATE ROLE lecturer LOGIN CREATEROLE PASSWORD 'lecturer-pw'")
    server.admin("CREATE DATABASE course OWNER lecturer")
    return server
