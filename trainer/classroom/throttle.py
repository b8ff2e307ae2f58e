"""Failed sign-ins slowed down per client and per name, in bounded memory."""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass


@dataclass
class _Failures:
    count: int
    until: float  # no attempt before this (monotonic seconds)
    last: float


class Throttle:
    """After `free` failures for a key, each further one doubles the wait (from `first` to `longest` seconds).

    At most `keys` keys are remembered, the least recently failed forgotten first, and a key
    that has not failed for `forget` seconds starts afresh: a flood cannot grow the memory.
    """

    def __init__(self, free: int = 5, first: float = 1.0, longest: float = 300.0, keys: int = 10_000,
                 forget: float = 3600.0, clock=time.monotonic) -> None:  # type: ignore[no-untyped-def]
        self.free, self.first, self.longest, self.keys, self.forget = free, first, longest, keys, forget
        self.clock = clock
        self._failures: OrderedDict[str, _Failures] = OrderedDict()

    def wait(self, *keys: str) -> float:
        """Seconds until any of these keys may try again; 0 when all may now."""
        now = self.clock()
        waits = [0.0]
        for key in keys:
            f = self._failures.get(key)
            if f is not None and now - f.last < self.forget:
                waits.append(f.until - now)
        return max(0.0, *waits)

    def fail(self, *keys: str) -> None:
        now = self.clock()
        for key in keys:
            f = self._failures.pop(key, None)
            if f is None or now - f.last >= self.forget:
                f = _Failures(0, now, now)
            f.count += 1
            f.last = now
            over = f.count - self.free
            if over > 0:
                f.until = now + min(self.longest, self.first * 2 ** (over - 1))
            self._failures[key] = f
            while len(self._failures) > self.keys:
                self._failures.popitem(last=False)

    def succeed(self, *keys: str) -> None:
        for key in keys:
            self._failures.pop(key, None)

    def __len__(self) -> int:
        return len(self._failures)
