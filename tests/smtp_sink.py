"""A real SMTP server on 127.0.0.1 that keeps what it receives, for tests with a real worker.

It can also refuse messages on purpose (``refuse``: a function of the recipient and how often
that recipient was offered before, true for "451 try again later"), like a greylisting server.
"""

import email
import socket
import threading
import time
from email import policy

from aiosmtpd.controller import Controller


class _Handler:
    def __init__(self, refuse=None):
        self.messages = []
        self.events = []  # (time.time(), recipient, accepted)
        self.refuse = refuse
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            offered = sum(1 for _at, rcpt, _ok in self.events if rcpt in envelope.rcpt_tos)
            refused = self.refuse is not None and any(
                self.refuse(rcpt, offered) for rcpt in envelope.rcpt_tos
            )
            for rcpt in envelope.rcpt_tos:
                self.events.append((time.time(), rcpt, not refused))
            if refused:
                return "451 4.7.1 Greylisted, please try again later"
            self.messages.append((envelope.rcpt_tos, message))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SMTPSink:
    def __init__(self, *, refuse=None):
        self.handler = _Handler(refuse)
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def recipients(self) -> list[str]:
        with self.handler.lock:
            return [rcpt for rcpts, _ in self.handler.messages for rcpt in rcpts]

    def accepted_at(self) -> list[float]:
        """When each accepted message arrived (time.time()), in order."""
        with self.handler.lock:
            return [at for at, _rcpt, ok in self.handler.events if ok]

    def events(self) -> list[tuple[float, str, bool]]:
        with self.handler.lock:
            return list(self.handler.events)
