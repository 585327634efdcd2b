"""Headless Debian Chromium through Playwright, and a live WSGI server.

    from playwright.sync_api import sync_playwright
    with LiveServer(app) as server, sync_playwright() as pw:
        browser = launch_chromium(pw)
        page = browser.new_page()
        page.goto(server.url + "/")
        ...
        browser.close()

Playwright's own browser downloads are not used (`playwright install` cannot
reach its download host here): Debian's `chromium` package is.
"""

from __future__ import annotations

import os
import threading

from werkzeug.serving import make_server

CHROMIUM = os.environ.get("KEFU_TEST_CHROMIUM", "/usr/bin/chromium")

# --no-sandbox: we run as root in CI. The rest keep Chromium off the network,
# which is closed here (otherwise it keeps trying Google's hosts).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def launch_chromium(playwright, *, args=(), **kwargs):
    """Launch headless Debian Chromium; extra kwargs go to chromium.launch()."""
    if not os.access(CHROMIUM, os.X_OK):
        raise RuntimeError(
            f"{CHROMIUM} not found: run `bash scripts/install-system-deps.sh` as root"
        )
    kwargs.setdefault("headless", True)
    return playwright.chromium.launch(
        executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *args], **kwargs
    )


class LiveServer:
    """Serve a WSGI app on 127.0.0.1 and a free port in a background thread."""

    def __init__(self, app, host: str = "127.0.0.1", port: int = 0):
        self.app = app
        self.host = host
        self._requested_port = port
        self._server = None
        self._thread: threading.Thread | None = None
        self.port: int | None = None

    @property
    def url(self) -> str:
        """Base URL without a trailing slash, e.g. http://127.0.0.1:40123."""
        if self.port is None:
            raise RuntimeError("LiveServer is not started")
        return f"http://{self.host}:{self.port}"

    def start(self) -> "LiveServer":
        if self._server is not None:
            return self
        # Port 0: the OS picks a free port at bind time, so no race.
        self._server = make_server(
            self.host, self._requested_port, self.app, threaded=True
        )
        self.port = self._server.server_port
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"LiveServer:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()  # returns once serve_forever has exited
        self._server.server_close()
        self._thread.join(timeout=10)
        self._server = None
        self._thread = None

    def __enter__(self) -> "LiveServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
