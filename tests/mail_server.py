"""A real SMTP server on 127.0.0.1 for mail tests (aiosmtpd), and the messages it received,
parsed with the standard library's ``email`` package."""

import socket
import threading
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


class Inbox:
    """Collects what the server accepts; refuses the next ``refuse`` messages with a 451."""

    def __init__(self):
        self.envelopes = []
        self.refuse = 0
        self.arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            self.refuse -= 1
            return "451 4.3.0 Try again later"
        with self.arrived:
            self.envelopes.append(envelope)
            self.arrived.notify_all()
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[EmailMessage]:
        return [
            message_from_bytes(envelope.original_content, policy=policy.default)
            for envelope in self.envelopes
        ]

    def wait_for_to(self, address: str, count: int, timeout: float = 30) -> bool:
        """Wait until ``count`` messages to ``address`` have arrived."""
        with self.arrived:
            return self.arrived.wait_for(
                lambda: sum(address in e.rcpt_tos for e in self.envelopes) >= count, timeout
            )

    def wait_for(self, count: int, timeout: float = 30) -> bool:
        """Wait until ``count`` messages have arrived (the sender thread sends them)."""
        with self.arrived:
            return self.arrived.wait_for(lambda: len(self.envelopes) >= count, timeout)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_server(settings):
    """A running SMTP server the site sends its mail to; yields its inbox."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 10
    try:
        yield inbox
    finally:
        controller.stop()


def parts(message: EmailMessage) -> tuple[str, str]:
    """The plain-text and HTML bodies of a parsed message."""
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()
