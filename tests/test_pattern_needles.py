"""A phrase list's regular expressions are skipped only for turns they cannot match."""

from __future__ import annotations

import re

import pytest
import yaml

from tests.conftest import FIXTURES, PROJECT
from trainer.content.vocabulary import Language
from trainer.scoring.matcher import fold, needles, normalise

TRICKY = ["ſeriously?", "I AM the customer", "İSTANBUL?? seriously", "ΣΊΓΟΥΡΑ; OR NOT?", "KELVIN 5 K days"]


@pytest.mark.parametrize("language", [x.value for x in Language])
def test_a_pattern_that_matches_a_turn_is_never_skipped(language: str) -> None:
    lists = yaml.safe_load((PROJECT / "rubrics" / "phrases" / f"{language}.yaml").read_text(encoding="utf-8"))
    patterns = [p for section in ("signals", "cues", "customer") for d in lists[section].values()
                for p in d.get("patterns", []) + [p for g in d.get("also", []) for p in g.get("patterns", [])]]
    cases = yaml.safe_load((FIXTURES / "signals" / f"{language}.yaml").read_text(encoding="utf-8"))["cases"]
    texts = [normalise(c["text"]) for c in cases] + TRICKY
    texts += [t.upper() for t in texts]
    skipped_some = False
    for pattern in patterns:
        words = needles(pattern)
        compiled = re.compile(pattern, re.IGNORECASE)
        for text in texts:
            folded = fold(text)
            skipped = words is not None and folded is not None and not any(w in folded for w in words)
            skipped_some = skipped_some or skipped
            assert not (skipped and compiled.search(text)), (pattern, text)
    assert skipped_some  # the check above would pass trivially if nothing were ever skipped


def test_needles_are_what_every_match_must_contain() -> None:
    assert needles(r"\bi(?:'ve| have) (?:already )?told you\s*[,.!]") == ("told you",)
    assert needles(r"\b(at|before|after) \d{1,2}\b") == ("after", "at", "before")
    assert needles(r"\b\d{1,2}[:.]\d{2}\b") is None  # nothing literal: always run
    assert needles(r"(?:already )?x") is None  # one letter is not worth looking for
