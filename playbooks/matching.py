"""Whether a post carries an approved message: the same facts in the same words, perhaps fewer of them."""

from __future__ import annotations

import re

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
# A website copy or a faithful shortened version keeps most of the message's words.
REPUBLISH_SHARE = 0.6


def tokens(text: str) -> set[str]:
    return {t for t in _TOKEN.findall(text.lower()) if len(t) > 2 or t.isdigit()}


def carries(post_text: str, message_text: str) -> bool:
    """True when the post contains at least REPUBLISH_SHARE of the message's words, or the message
    contains that share of the post's (a shortened version)."""
    post, message = tokens(post_text), tokens(message_text)
    if not post or not message:
        return False
    shared = len(post & message)
    return shared / len(message) >= REPUBLISH_SHARE or (len(post) >= 5 and shared / len(post) >= REPUBLISH_SHARE + 0.2)
