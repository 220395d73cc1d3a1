"""Sending one notification (issue 14, item 6): e-mail over SMTP (STARTTLS, authentication) and webhooks.

Called outside every database transaction. Each failure is a `SendError` whose text names what went
wrong but never a secret (no password, no webhook URL): it is stored as the delivery's last error.
"""

from __future__ import annotations

import http.client
import json
import smtplib
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from core.config import USER_AGENT
from playbooks.workflow.alertconfig import AlertConfig, AlertConfigError, SmtpSettings

MAX_RESPONSE = 64 * 1024


class SendError(RuntimeError):
    """The notification did not go out; retried later with backoff. `channel_down`: the server itself
    failed (unreachable, TLS, authentication), so the channel's other notifications need not try now."""

    def __init__(self, message: str, *, channel_down: bool = True) -> None:
        super().__init__(message)
        self.channel_down = channel_down


@dataclass(frozen=True)
class Outgoing:
    """What one notification says: the subject, the text, and the alerts it covers (one, or a digest)."""

    subject: str
    text: str
    alerts: list[dict[str, Any]] = field(default_factory=list)


def send(config: AlertConfig, channel: str, addresses: list[str], note: Outgoing) -> None:
    """Send `note` over `channel` ("email" to `addresses`, or "webhook:<name>")."""
    try:
        if channel == "email":
            if config.smtp is None:
                raise SendError(config.channel_problem("email") or "e-mail is not configured")
            send_email(config.smtp, addresses, note)
            return
        name = channel.removeprefix("webhook:")
        hook = config.webhooks.get(name)
        if hook is None:
            raise SendError(config.channel_problem(channel) or f"no webhook {name!r}")
        url, fmt = hook.resolve()
        post_json(url, webhook_body(fmt, note), timeout_s=10.0)
    except AlertConfigError as exc:
        raise SendError(str(exc)) from None


def send_email(smtp: SmtpSettings, addresses: list[str], note: Outgoing) -> None:
    if not addresses:
        raise SendError("no e-mail address to send to")
    message = EmailMessage()
    message["From"] = smtp.sender
    message["To"] = ", ".join(addresses)
    # One line whatever the facts held (a headline from a partner feed): no header can be smuggled in.
    message["Subject"] = " ".join(note.subject.split())
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=smtp.sender.rsplit("@", 1)[-1])
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(note.text)
    context = ssl.create_default_context(cafile=str(smtp.ca_file) if smtp.ca_file else None)
    try:
        client: smtplib.SMTP
        if smtp.security == "tls":
            client = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout_s, context=context)
        else:
            client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout_s)
        with client:
            client.ehlo()
            if smtp.security == "starttls":
                if not client.has_extn("starttls"):
                    raise SendError(f"SMTP server {smtp.host}:{smtp.port} does not offer STARTTLS")
                client.starttls(context=context)
                client.ehlo()
            if smtp.username:
                password = smtp.password.read("smtp password") if smtp.password else ""
                client.login(smtp.username, password)
            refused = client.send_message(message)
        if refused:
            raise SendError(f"SMTP server refused {len(refused)} of {len(addresses)} recipients", channel_down=False)
    except SendError:
        raise
    except AlertConfigError as exc:
        raise SendError(str(exc)) from None
    except smtplib.SMTPAuthenticationError as exc:
        raise SendError(f"SMTP authentication as {smtp.username!r} failed ({exc.smtp_code})") from None
    except smtplib.SMTPRecipientsRefused:
        raise SendError("SMTP server refused every recipient", channel_down=False) from None
    except smtplib.SMTPResponseException as exc:
        # A 5xx about this message (too big, rejected content) is this message's; the rest is the server's.
        raise SendError(f"SMTP server said {exc.smtp_code}: {_text(exc.smtp_error)}",
                        channel_down=not isinstance(exc, smtplib.SMTPDataError)) from None  # fmt: skip
    except ssl.SSLError as exc:
        raise SendError(f"TLS with {smtp.host}:{smtp.port} failed: {exc.reason or exc}") from None
    except (OSError, smtplib.SMTPException) as exc:
        raise SendError(f"SMTP {smtp.host}:{smtp.port}: {type(exc).__name__}: {_text(str(exc))}") from None


def webhook_body(fmt: str, note: Outgoing) -> dict[str, Any]:
    """A plain JSON body, or what Microsoft Teams, Slack or Mattermost incoming webhooks expect."""
    note = Outgoing(" ".join(note.subject.split()), note.text, note.alerts)
    if fmt == "teams":
        return {"@type": "MessageCard", "@context": "https://schema.org/extensions", "summary": note.subject,
                "title": note.subject, "text": note.text.replace("\n", "  \n")}  # fmt: skip
    if fmt in ("slack", "mattermost"):
        body: dict[str, Any] = {"text": f"*{note.subject}*\n{note.text}"}
        if fmt == "mattermost":
            body["username"] = "crisisdesk"
        return body
    return {"source": "crisisdesk", "subject": note.subject, "text": note.text, "alerts": note.alerts}


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is not followed: urllib would turn the POST into a GET and the notification be lost."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def post_json(url: str, body: dict[str, Any], *, timeout_s: float) -> None:
    """POST `body` as JSON; any 2xx is success. The URL is a secret: no error text names it."""
    data = json.dumps(body, ensure_ascii=False, default=str).encode("utf-8")
    try:
        request = urllib.request.Request(  # noqa: S310 - the scheme was checked to be http(s) in Webhook.resolve
            url, data=data, method="POST",
            headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT},
        )  # fmt: skip
        with _OPENER.open(request, timeout=timeout_s) as response:
            response.read(MAX_RESPONSE)
            status = response.status
    except urllib.error.HTTPError as exc:
        if 300 <= exc.code < 400:
            raise SendError(f"webhook answered HTTP {exc.code}, a redirect: fix the URL to the one it points to",
                            channel_down=False) from None  # fmt: skip
        raise SendError(f"webhook answered HTTP {exc.code}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        raise SendError(f"webhook unreachable: {type(reason).__name__}: {_text(str(reason))}") from None
    except TimeoutError:
        raise SendError(f"webhook did not answer within {timeout_s:g} s") from None
    except OSError as exc:
        raise SendError(f"webhook failed: {type(exc).__name__}") from None
    except (ValueError, http.client.InvalidURL):  # their messages quote the URL, a secret
        raise SendError("webhook URL cannot be used") from None
    except http.client.HTTPException as exc:
        raise SendError(f"webhook failed: {type(exc).__name__}") from None
    if not 200 <= status < 300:
        raise SendError(f"webhook answered HTTP {status}")


def _text(value: object) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return " ".join(str(value).split())[:200]
