"""Where alerts go (issue 14, item 6): the organisation's SMTP server and webhooks, and the timings.

A YAML file, `$CRISISDESK_ALERTS_CONFIG` or `var/alerts.yaml` (a runtime folder git ignores). The file
holds no secret: it names the environment variable (or the file) each secret is read from, when a
notification is sent, so the SMTP password and webhook URLs with their tokens never reach the database
or the audit log. Every mistake in it is one clear `AlertConfigError` line, never a traceback.

    smtp:
      host: smtp.example.org
      port: 587
      security: starttls          # starttls (default) | tls | none
      username: crisisdesk
      password_env: CRISISDESK_SMTP_PASSWORD   # or password_file: var/secrets/smtp-password
      sender: crisisdesk@example.org
      ca_file: /etc/ssl/certs/internal-ca.pem  # optional: a private CA
    webhooks:
      duty-room:
        url_env: CRISISDESK_WEBHOOK_DUTY_ROOM  # or url_file: var/secrets/duty-room.url
        format: auto              # auto (from the URL) | json | teams | slack | mattermost
    timing:
      escalation_minutes: 10      # overdue and nobody acted: the next lead is alerted
      approval_wait_minutes: 15   # a draft waiting for approval longer than this
      flag_score: 0.6             # rumour and look-alike flags from this score
      digest_at: 3                # this many waiting notifications to one recipient become one digest
      digest_window_minutes: 5    # ... and after that many within the window, the rest wait for a digest
      retry_base_seconds: 30      # backoff: 30 s, 60 s, 120 s ... up to retry_max_seconds
      retry_max_seconds: 900
      max_attempts: 12
"""

from __future__ import annotations

import os
import re
import ssl
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from core.config import PROJECT_ROOT
from sources import boundedyaml

SECURITY = ("starttls", "tls", "none")
FORMATS = ("auto", "json", "teams", "slack", "mattermost")
DEFAULT_PASSWORD_ENV = "CRISISDESK_SMTP_PASSWORD"  # noqa: S105 - the name of a variable, not a password
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,49}$")


class AlertConfigError(ValueError):
    """The alerts configuration is wrong: one line saying where and what."""


@dataclass(frozen=True)
class Secret:
    """Where a secret is read from: an environment variable or a file. Never the secret itself."""

    env: str | None = None
    file: Path | None = None

    def read(self, what: str) -> str:
        if self.env:
            value = os.environ.get(self.env, "").strip()
            if not value:
                raise AlertConfigError(f"{what}: the environment variable {self.env} is not set")
            return value
        if self.file:
            try:
                value = self.file.read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise AlertConfigError(f"{what}: cannot read {self.file}: {exc.strerror or exc}") from exc
            except UnicodeDecodeError:  # the wrong file named (a key, a database): never quote its bytes
                raise AlertConfigError(f"{what}: {self.file} is not UTF-8 text") from None
            if not value:
                raise AlertConfigError(f"{what}: {self.file} is empty")
            return value
        raise AlertConfigError(f"{what}: no source given (url_env or url_file)")

    def describe(self) -> str:
        return f"${self.env}" if self.env else str(self.file)


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str
    sender: str
    username: str | None = None
    password: Secret | None = None
    ca_file: Path | None = None
    timeout_s: float = 10.0

    def ca_problem(self) -> str | None:
        """Why ca_file cannot be the CA of the server's certificate, or None: else every send fails, by type."""
        if self.ca_file is None:
            return None
        try:
            ssl.create_default_context(cafile=str(self.ca_file))
        except ssl.SSLError:  # before OSError, of which it is a kind
            return f"smtp: ca_file {self.ca_file} holds no PEM certificate"
        except OSError as exc:
            return f"smtp: cannot read ca_file {self.ca_file}: {exc.strerror or exc}"
        return None


@dataclass(frozen=True)
class Webhook:
    name: str
    url: Secret
    format: str = "auto"

    def resolve(self) -> tuple[str, str]:
        """The URL (a secret: never logged, stored or audited) and the body format to use for it."""
        url = self.url.read(f"webhook {self.name}")
        if any(char.isspace() or not char.isprintable() for char in url):
            # A second line in url_file, a tab, a control character: the URL cannot be sent, and an error
            # from the HTTP library would quote it, token and all. Never quoted here.
            raise AlertConfigError(
                f"webhook {self.name}: the URL from {self.url.describe()} holds whitespace or a control character"
            )
        try:  # urlsplit and .port raise on "https://[x" and port 99999; their text is not ours to show
            parts = urlsplit(url)
            usable = parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
        except ValueError:
            usable = False
        if not usable:
            raise AlertConfigError(
                f"webhook {self.name}: the URL from {self.url.describe()} is not an http(s) URL with a host and "
                f"a port from 1 to 65535"
            )
        return url, self.format if self.format != "auto" else body_format_for(url)


def body_format_for(url: str) -> str:
    """The body a webhook URL expects, from the URL itself (item 6)."""
    parts = urlsplit(url)
    host, path = (parts.hostname or "").lower(), parts.path.lower()
    if host.endswith(("webhook.office.com", "outlook.office.com", "logic.azure.com")) or "/workflows/" in path:
        return "teams"
    if host == "hooks.slack.com":
        return "slack"
    if "mattermost" in host or path.startswith("/hooks/"):
        return "mattermost"
    return "json"


@dataclass(frozen=True)
class Timing:
    escalation_minutes: float = 10
    approval_wait_minutes: float = 15
    flag_score: float = 0.6
    digest_at: int = 3
    digest_window_minutes: float = 5
    retry_base_seconds: float = 30
    retry_max_seconds: float = 900
    max_attempts: int = 12


@dataclass(frozen=True)
class AlertConfig:
    source: str = "(none)"
    smtp: SmtpSettings | None = None
    webhooks: dict[str, Webhook] = field(default_factory=dict)
    timing: Timing = field(default_factory=Timing)

    def channel_problem(self, channel: str) -> str | None:
        """Why `channel` cannot be used at all, or None."""
        if channel == "email":
            return None if self.smtp else f"e-mail is not configured (no smtp section in {self.source})"
        name = channel.removeprefix("webhook:")
        return None if name in self.webhooks else f"no webhook named {name!r} in {self.source}"


def config_path() -> Path:
    explicit = os.environ.get("CRISISDESK_ALERTS_CONFIG")
    return Path(explicit) if explicit else PROJECT_ROOT / "var" / "alerts.yaml"


def load(path: Path | None = None) -> AlertConfig:
    """The configuration; none at all (no file) means no channels and the default timing."""
    path = path or config_path()
    if not path.exists():
        return AlertConfig(source=str(path))
    try:
        data = boundedyaml.read_yaml(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise AlertConfigError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise AlertConfigError(f"{path}: not UTF-8 text") from exc
    except (ValueError, yaml.YAMLError) as exc:
        raise AlertConfigError(f"{path}: {' '.join(str(exc).split())[:200]}") from exc
    return parse(data, source=str(path))


def parse(data: object, *, source: str = "(alerts config)") -> AlertConfig:
    if data is None:
        return AlertConfig(source=source)
    top = _mapping(data, source, ("smtp", "webhooks", "timing"))
    smtp = _smtp(top["smtp"], f"{source}: smtp") if top.get("smtp") is not None else None
    hooks: dict[str, Webhook] = {}
    for name, spec in _mapping(top.get("webhooks") or {}, f"{source}: webhooks", None).items():
        where = f"{source}: webhooks.{name}"
        if not _NAME.match(str(name)):
            raise AlertConfigError(f"{where}: a webhook name is lower-case letters, digits, '-' or '_'")
        fields = _mapping(spec, where, ("url_env", "url_file", "format"))
        fmt = str(fields.get("format", "auto"))
        if fmt not in FORMATS:
            raise AlertConfigError(f"{where}: format {fmt!r} is not one of {', '.join(FORMATS)}")
        url = _secret(fields, "url", where, required=True)
        assert url is not None
        hooks[str(name)] = Webhook(str(name), url, fmt)
    timing = _timing(top.get("timing") or {}, f"{source}: timing")
    return AlertConfig(source=source, smtp=smtp, webhooks=hooks, timing=timing)


def _mapping(value: object, where: str, allowed: tuple[str, ...] | None) -> dict[str, object]:
    if not isinstance(value, dict):
        raise AlertConfigError(f"{where}: expected a mapping, got {type(value).__name__}")
    if allowed is not None:
        if "password" in value or "url" in value:
            secret = "password" if "password" in value else "URL"
            raise AlertConfigError(f"{where}: put the {secret} in an environment variable or a file "
                                   f"({secret.lower()}_env or {secret.lower()}_file), never in this file")  # fmt: skip
        unknown = sorted(str(k) for k in value if k not in allowed)
        if unknown:
            raise AlertConfigError(f"{where}: unknown setting {unknown[0]!r} (known: {', '.join(allowed)})")
    return {str(k): v for k, v in value.items()}


def _secret(fields: dict[str, object], stem: str, where: str, *, required: bool) -> Secret | None:
    """Where a secret is read from; a relative file is under the project folder (e.g. var/secrets/...)."""
    env, file = fields.get(f"{stem}_env"), fields.get(f"{stem}_file")
    if env is not None and file is not None:
        raise AlertConfigError(f"{where}: give {stem}_env or {stem}_file, not both")
    if env is not None:
        if not isinstance(env, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", env):
            raise AlertConfigError(f"{where}: {stem}_env must name an environment variable")
        return Secret(env=env)
    if file is not None:
        if not isinstance(file, str) or not file.strip():
            raise AlertConfigError(f"{where}: {stem}_file must be a path")
        path = Path(file)
        return Secret(file=path if path.is_absolute() else PROJECT_ROOT / path)
    if required:
        raise AlertConfigError(f"{where}: {stem}_env or {stem}_file is required")
    return None


def _smtp(value: object, where: str) -> SmtpSettings:
    allowed = ("host", "port", "security", "username", "password_env", "password_file", "sender", "ca_file",
               "timeout_s")  # fmt: skip
    fields = _mapping(value, where, allowed)
    host = fields.get("host")
    if not isinstance(host, str) or not host.strip():
        raise AlertConfigError(f"{where}: host is required")
    security = str(fields.get("security", "starttls"))
    if security not in SECURITY:
        raise AlertConfigError(f"{where}: security {security!r} is not one of {', '.join(SECURITY)}")
    port = _number(fields.get("port", 465 if security == "tls" else 587), f"{where}: port", 1, 65535)
    sender = fields.get("sender")
    if not isinstance(sender, str) or "@" not in sender:
        raise AlertConfigError(f"{where}: sender must be an e-mail address")
    username = fields.get("username")
    if username is not None and not isinstance(username, str):
        raise AlertConfigError(f"{where}: username must be text")
    password = _secret(fields, "password", where, required=False)
    if username and security == "none" and host.strip() not in ("127.0.0.1", "::1", "localhost"):
        raise AlertConfigError(f"{where}: a password is never sent unencrypted: use security starttls or tls")
    if username and password is None:
        password = Secret(env=DEFAULT_PASSWORD_ENV)
    ca = fields.get("ca_file")
    if ca is not None and not isinstance(ca, str):
        raise AlertConfigError(f"{where}: ca_file must be a path")
    timeout = _number(fields.get("timeout_s", 10), f"{where}: timeout_s", 1, 120)
    return SmtpSettings(host=host.strip(), port=int(port), security=security, sender=sender.strip(),
                        username=username or None, password=password, ca_file=Path(ca) if ca else None,
                        timeout_s=float(timeout))  # fmt: skip


def _number(value: object, where: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise AlertConfigError(f"{where}: expected a number, got {value!r}")
    if not low <= value <= high:
        raise AlertConfigError(f"{where}: {value} is out of range ({low:g} to {high:g})")
    return float(value)


_TIMING_RANGES: dict[str, tuple[float, float]] = {
    "escalation_minutes": (1, 24 * 60), "approval_wait_minutes": (1, 24 * 60), "flag_score": (0, 1),
    "digest_at": (2, 1000), "digest_window_minutes": (0, 24 * 60), "retry_base_seconds": (1, 3600),
    "retry_max_seconds": (1, 24 * 3600), "max_attempts": (1, 1000),
}  # fmt: skip


def _timing(value: object, where: str) -> Timing:
    fields = _mapping(value, where, tuple(_TIMING_RANGES))
    numbers = {name: _number(v, f"{where}.{name}", *_TIMING_RANGES[name]) for name, v in fields.items()}
    for whole in ("digest_at", "max_attempts"):
        if whole in numbers:
            numbers[whole] = int(numbers[whole])
    return Timing(**numbers)  # type: ignore[arg-type]
