"""The search benchmarks on PostgreSQL: starts a throwaway PostgreSQL server (Debian's binaries, as the tests
do), seeds N tickets into it, times `kefu reindex`, then runs bench/search_bench.py; stops the server at the end.

    .venv/bin/python bench/search_postgres.py 100000 [--runs 3]
"""
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from tests.support.postgres import PostgresServer  # noqa: E402


def run(env, *command):
    started = time.monotonic()
    subprocess.run(command, cwd=ROOT, env=env, check=True)
    return time.monotonic() - started


def main():
    tickets = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    runs = sys.argv[sys.argv.index("--runs") + 1] if "--runs" in sys.argv else "3"
    kefu = os.path.join(ROOT, ".venv", "bin", "kefu")
    with PostgresServer() as server:
        server.create_database("kefu_bench")
        instance = tempfile.mkdtemp(prefix="kefu-bench-pg-")
        env = {**os.environ, "KEFU_INSTANCE_PATH": instance, "KEFU_SQLALCHEMY_DATABASE_URI": server.url("kefu_bench"),
               "KEFU_SEARCH_BACKEND": "postgresql"}
        run(env, kefu, "init")
        run(env, kefu, "demo")
        print(f"seed: {run(env, kefu, 'seed', '--tickets', str(tickets)):.1f} s", flush=True)
        for attempt in range(int(runs)):
            print(f"reindex {attempt + 1}: {run(env, kefu, 'reindex'):.1f} s, load {os.getloadavg()}", flush=True)
        run(env, sys.executable, os.path.join(ROOT, "bench", "search_bench.py"), "--runs", runs)


if __name__ == "__main__":
    main()
