"""The trainee's line for handing the call over to a supervisor, in the customer's language (trainer/data/handover.yaml)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml

from trainer.content.vocabulary import Language


@lru_cache(maxsize=1)
def _lines() -> dict[str, str]:
    text = resources.files("trainer").joinpath("data/handover.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def handover_line(language: Language) -> str:
    """What the trainee says to hand over; English where the file has no line for the language."""
    lines = _lines()
    return lines.get(language.value) or lines["en"]
