"""Credentials kept out of what is shown: a feed URL may carry `user:password@` or a token in its query.

The database keeps the URL as the registry gave it (the fetcher needs it); every view of it — the
accounts list, feed health, posts, the Sources page, exports — goes through `redact_url` or
`redact_text` first.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

MASK = "***"
# Query parameters that carry a secret by name (api_key, access_token, sig, password, ...).
_SECRET_PARAM = re.compile(
    r"(?i)^(?:.*[_-])?(?:key|apikey|token|secret|password|passwd|pwd|pass|auth|authorization|sig|signature|"
    r"credential|credentials|session|sessionid|sid|code|private)$"
)
_URL_IN_TEXT = re.compile(r"(?i)\b[a-z][a-z0-9+.-]*://[^\s'\"<>]+")
_USERINFO = re.compile(r"(?i)^([a-z][a-z0-9+.-]*://)[^/?#]*@")


def redact_url(url: str | None) -> str | None:
    """`url` without its user name, password and secret query values: https://***@host/path?key=***."""
    if not url:
        return url
    redacted = _USERINFO.sub(rf"\g<1>{MASK}@", url, count=1)
    try:
        query = urlsplit(redacted).query
    except ValueError:  # not parseable as a URL: the user info is gone, the rest is shown as it is
        return redacted
    if not query:
        return redacted
    parts = []
    for pair in query.split("&"):
        name, eq, value = pair.partition("=")
        parts.append(f"{name}={MASK}" if eq and value and _SECRET_PARAM.match(name) else pair)
    start = redacted.index("?") + 1
    return redacted[:start] + "&".join(parts) + redacted[start + len(query) :]


def redact_text(text: str | None) -> str | None:
    """Every URL inside `text` (an error message, say) redacted as by `redact_url`."""
    if not text or "://" not in text:
        return text
    return _URL_IN_TEXT.sub(lambda match: redact_url(match.group(0)) or "", text)
