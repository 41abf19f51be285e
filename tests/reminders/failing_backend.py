"""An email backend standing in for an SMTP server that fails (the one mock we allow:
there is no real SMTP server here)."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class FailingBackend(BaseEmailBackend):
    # address -> how many more sends to it fail
    failures: dict = {}
    sent: list = []

    def send_messages(self, messages):
        for message in messages:
            address = message.to[0]
            if FailingBackend.failures.get(address, 0) > 0:
                FailingBackend.failures[address] -= 1
                raise smtplib.SMTPServerDisconnected("SMTP server went away")
        FailingBackend.sent.extend(messages)
        return len(messages)
