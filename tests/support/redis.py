"""A throwaway Redis server for tests, from Debian's redis-server package, on a free port of 127.0.0.1.

    server = RedisServer().start()
    app = make_app(REDIS_URL=server.url)
    ...
    server.stop()

Nothing is written to disk; each test empties it with flush().
"""
import os
import shutil
import socket
import subprocess
import tempfile
import time

import redis

BINARY = "redis-server"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    def __init__(self):
        self.process = None
        self.url = None
        self.tmpdir = None

    def start(self):
        binary = shutil.which(BINARY) or f"/usr/bin/{BINARY}"
        if not os.path.exists(binary):
            raise RuntimeError("No redis-server: run `bash scripts/install-system-deps.sh` as root")
        self.tmpdir = tempfile.mkdtemp(prefix="kefu-redis-")
        for _attempt in range(5):  # another process may take the free port before the server binds it
            port = _free_port()
            log = open(os.path.join(self.tmpdir, "redis.log"), "ab")
            self.process = subprocess.Popen(
                [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no",
                 "--dir", self.tmpdir, "--daemonize", "no"], stdout=log, stderr=subprocess.STDOUT)
            client = redis.Redis(port=port, socket_connect_timeout=1)
            for _ in range(100):
                if self.process.poll() is not None:
                    break
                try:
                    client.ping()
                except redis.ConnectionError:
                    time.sleep(0.05)
                    continue
                self.url = f"redis://127.0.0.1:{port}/0"
                return self
            self.process.kill()
            self.process.wait()
        with open(os.path.join(self.tmpdir, "redis.log"), encoding="utf-8", errors="replace") as log:
            raise RuntimeError(f"redis-server did not start: {log.read()[-2000:]}")

    def flush(self):
        redis.Redis.from_url(self.url).flushall()

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        if self.tmpdir:
            shutil.rmtree(self.tmpdir, ignore_errors=True)
