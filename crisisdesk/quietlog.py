"""The poller's log, quiet by default (issue 13): one line a minute summing up its passes, instead of a
line for every pass (every second in the demo). Warnings and errors pass at once; `poll --verbose` shows
every pass as before."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

LINE_START = "polled %d feeds"
# The counts of one pass's line, in the order the poller gives them.
FIELDS = ("feeds", "new", "changed", "not modified", "failing")


class PerMinute(logging.Filter):
    """Folds the poller's per-pass INFO lines into one line per `every` seconds."""

    def __init__(self, every: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.every, self.clock = every, clock
        self.since = clock()
        self.passes = 0
        self.sums = [0] * len(FIELDS)
        self.failing = 0

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.INFO or not str(record.msg).startswith(LINE_START):
            return True
        args = record.args if isinstance(record.args, tuple) else ()
        counts = [int(a) if isinstance(a, int) else 0 for a in args][: len(FIELDS)]
        self.passes += 1
        for i, value in enumerate(counts):
            self.sums[i] += value
        self.failing = counts[-1] if len(counts) == len(FIELDS) else self.failing  # the latest pass's, not a sum
        if self.clock() - self.since < self.every:
            return False
        record.msg = "%d passes in the last minute: %d new posts, %d changed, %d feeds failing now"
        record.args = (self.passes, self.sums[1], self.sums[2], self.failing)
        self.since, self.passes, self.sums = self.clock(), 0, [0] * len(FIELDS)
        return True


def quiet_poller_log(logger_name: str = "crisisdesk.poller") -> PerMinute:
    folded = PerMinute()
    logging.getLogger(logger_name).addFilter(folded)
    return folded
