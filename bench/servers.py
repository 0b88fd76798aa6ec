"""Start the site under gunicorn on loopback with production settings, for tests and benchmarks."""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(workdir, **extra):
    """Production settings on a private SQLite file (unless DATABASE_URL says otherwise)."""
    Path(workdir).mkdir(parents=True, exist_ok=True)
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SQLITE_PATH=str(Path(workdir) / "site.sqlite3"),
        DJANGO_STATIC_ROOT=str(Path(workdir) / "static"),
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    env.update(extra)
    return env


def manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-2000:]}")
    return result.stdout


def prepare_site(env):
    manage(env, "migrate", "--noinput")
    manage(env, "load_report")
    manage(env, "collectstatic", "--noinput")


@contextmanager
def postgres_database(url, name):
    """A fresh, empty database ``name`` on the server of ``url``, dropped afterwards; its URL.

    The bench never writes to the database ``url`` names, only to ones of its own beside it.
    """
    import psycopg

    parts = urlsplit(url)
    server = parts._replace(path="/postgres").geturl()
    quoted = '"' + name.replace('"', '""') + '"'

    def run(statement):
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(statement)

    run(f"DROP DATABASE IF EXISTS {quoted}")
    run(f"CREATE DATABASE {quoted}")
    try:
        yield parts._replace(path=f"/{name}").geturl()
    finally:
        if not os.environ.get("BENCH_KEEP"):
            run(f"DROP DATABASE IF EXISTS {quoted}")


@contextmanager
def gunicorn(env, *, workers=2, log_path):
    """Serve the site with gunicorn until the block ends; yields its base URL."""
    port = free_port()
    gunicorn_bin = Path(sys.executable).with_name("gunicorn")
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [
                str(gunicorn_bin),
                # The project's configuration, as `make serve` and the systemd unit use it.
                "-c",
                "config/gunicorn.conf.py",
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--timeout",
                "60",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base_url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    urllib.request.urlopen(f"{base_url}/themes/", timeout=2).read()
                    break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"gunicorn did not start; see {log_path}") from None
                    time.sleep(0.2)
            yield base_url
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
