"""Customer and trainee text as plain text: markup, brackets and escape sequences are shown, never interpreted."""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

# C0 controls become their Unicode "control pictures" (ESC shows as ␛); tabs and newlines keep their meaning.
_PICTURES = {code: chr(0x2400 + code) for code in range(0x20) if chr(code) not in "\n\t"}
_PICTURES[0x7F] = "␡"
_PICTURES.update({code: f"\\x{code:02x}" for code in range(0x80, 0xA0)})  # C1 controls, CSI (0x9b) among them


def visible(text: str) -> str:
    """The text with every control character replaced by a visible stand-in."""
    return text.translate(_PICTURES)


def plain(text: str, style: str = "") -> Content:
    """Content that is exactly the text as typed; never parsed as markup."""
    return Content.styled(visible(text), style) if style else Content(visible(text))


def plain_cell(text: str) -> Text:
    """A DataTable cell that is exactly the text as typed: the table reads a str as markup, and measures Content wrong."""
    return Text(visible(text))
