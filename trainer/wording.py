"""Small pieces of wording both front ends use, so the CLI and the app say things the same way."""

from __future__ import annotations


def plural(count: int, noun: str) -> str:
    """'1 file', '3 files'."""
    return f"{count} {noun}{'' if count == 1 else 's'}"
