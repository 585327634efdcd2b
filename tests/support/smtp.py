"""A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps what it receives.

    with SmtpSink() as sink:
        app.config.update(MAIL_SERVER=sink.host, MAIL_PORT=sink.port)
        ...
        [msg] = sink.wait_for(1)
        assert msg.message["Subject"] == "..."
"""

from __future__ import annotations

import email.policy
import socket
import threading
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.parser import BytesParser

from aiosmtpd.controller import Controller


@dataclass
class ReceivedMessage:
    mail_from: str  # envelope sender (MAIL FROM)
    rcpt_tos: list[str]  # envelope recipients (RCPT TO)
    message: EmailMessage  # parsed with email.policy.default
    raw: bytes = field(repr=False)

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def text(self) -> str:
        """Body of the text/plain part (or text/html if there is none)."""
        body = self.message.get_body(preferencelist=("plain", "html"))
        return body.get_content() if body is not None else ""


class _Handler:
    def __init__(self, sink: "SmtpSink"):
        self.sink = sink

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        # SMTP lines end in CRLF; parse with plain newlines as mail clients do.
        msg = BytesParser(policy=email.policy.default).parsebytes(
            raw.replace(b"\r\n", b"\n")
        )
        self.sink._add(
            ReceivedMessage(
                mail_from=envelope.mail_from,
                rcpt_tos=list(envelope.rcpt_tos),
                message=msg,
                raw=raw,
            )
        )
        return "250 Message accepted for delivery"


class _Controller(Controller):
    """Serves on an already bound socket: port 0, no race for a free port."""

    def __init__(self, handler, sock: socket.socket, **kwargs):
        self._sock = sock
        super().__init__(handler, port=sock.getsockname()[1], **kwargs)

    def _create_server(self):
        return self.loop.create_server(
            self._factory_invoker, sock=self._sock, ssl=self.ssl_context
        )


class SmtpSink:
    """SMTP server in a background thread; received mail is in .messages."""

    host = "127.0.0.1"

    def __init__(self):
        self.messages: list[ReceivedMessage] = []
        self.port: int | None = None
        self._cond = threading.Condition()
        self._controller: Controller | None = None

    def start(self) -> "SmtpSink":
        if self._controller is not None:
            return self
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, 0))
        controller = _Controller(
            _Handler(self),
            sock,
            hostname=self.host,
            enable_SMTPUTF8=True,
            decode_data=False,
            ready_timeout=10,
        )
        try:
            controller.start()
        except BaseException:
            sock.close()
            raise
        self._controller, self.port = controller, controller.port
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> "SmtpSink":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _add(self, msg: ReceivedMessage) -> None:
        with self._cond:
            self.messages.append(msg)
            self._cond.notify_all()

    def clear(self) -> None:
        with self._cond:
            self.messages.clear()

    def wait_for(self, count: int = 1, timeout: float = 5.0) -> list[ReceivedMessage]:
        """Wait until at least `count` messages arrived; return a copy of all."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self.messages) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(
                        f"expected {count} message(s) within {timeout}s, "
                        f"got {len(self.messages)}: "
                        f"{[m.subject for m in self.messages]}"
                    )
                self._cond.wait(left)
            return list(self.messages)
