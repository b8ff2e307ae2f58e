"""Small pieces of wording both front ends use, so the CLI and the app say things the same way."""

from __future__ import annotations

ENDINGS = {
    "resolved": "resolved: the customer is satisfied",
    "left": "the customer left",
    "escalated": "handed over to a supervisor",
    "ended_after_boundary": "the customer ended it after the boundary was ignored",
    "out_of_turns": "out of turns: the customer's patience or the replies ran out",
    "hung_up": "the trainee hung up",
}


def ending(outcome: str | None) -> str:
    """How a call ended, in words; "" for a call that has not."""
    return ENDINGS.get(outcome or "", (outcome or "").replace("_", " "))


def plural(count: int, noun: str) -> str:
    """'1 file', '3 files'."""
    return f"{count} {noun}{'' if count == 1 else 's'}"
