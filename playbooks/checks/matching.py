"""Whether a post carries an approved message: the same facts in the same words, perhaps fewer of them."""

from __future__ import annotations

import re

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
# A website copy or a faithful shortened version keeps most of the message's words...
CARRY_SHARE = 0.6
# ...and enough of them to carry its content, not just its subject ("flood alert for the district").
MIN_SHARED = 8


def tokens(text: str) -> set[str]:
    return {t for t in _TOKEN.findall(text.lower()) if len(t) > 2 or t.isdigit()}


def share(post_text: str, message_text: str) -> float:
    """How much of one text is the other: of the post's words the share found in the message (a shortened
    copy scores high), or of the message's words the share found in the post (a copy with additions
    scores high), whichever is larger; 0 when they share fewer than MIN_SHARED words (or half the
    message's, for a very short message)."""
    return share_of(tokens(post_text), tokens(message_text))


def share_of(post: set[str] | frozenset[str], message: set[str] | frozenset[str]) -> float:
    """`share` on texts already split into tokens (the checks split each approved message once)."""
    if not post or not message:
        return 0.0
    shared = len(post & message)
    if shared < min(MIN_SHARED, max(2, len(message) // 2)):
        return 0.0
    return max(shared / len(post), shared / len(message))


def carries(post_text: str, message_text: str) -> bool:
    return share(post_text, message_text) >= CARRY_SHARE
