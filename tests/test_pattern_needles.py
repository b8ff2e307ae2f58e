"""A phrase list's regular expressions are skipped only for turns they cannot match."""

from __future__ import annotations

import copy
import dataclasses
import re

import pytest
import yaml

from tests.conftest import FIXTURES, PROJECT
from trainer.content.vocabulary import Language
from trainer.scoring.detectors import detectors_for
from trainer.scoring.matcher import PhraseIndex, fold, has_needle, needles, normalise, tokenize

TRICKY = ["ſeriously?", "I AM the customer", "İSTANBUL?? seriously", "ΣΊΓΟΥΡΑ; OR NOT?", "KELVIN 5 K days",
          "at 5 or 17:30 🙄", "٣:٤٥ then", "YoU HeArD me", "DON'T", "ǅungle ǄUNGLE"]


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
            skipped = words is not None and folded is not None and not has_needle(words, text, folded)
            skipped_some = skipped_some or skipped
            assert not (skipped and compiled.search(text)), (pattern, text)
    assert skipped_some  # the check above would pass trivially if nothing were ever skipped


def test_needles_are_what_every_match_must_contain() -> None:
    assert needles(r"\bi(?:'ve| have) (?:already )?told you\s*[,.!]") == (("f", "told you"),)
    assert needles(r"\b(at|before|after) \d{1,2}\b") == (("d", ""),)  # a digit: rarer than "at"
    assert needles(r"\b(at|before|after) [a-z]") == (("f", "after"), ("f", "at"), ("f", "before"))
    assert needles(r"\b\d{1,2}[:.]\d{2}\b") == (("d", ""),)  # a digit, rarer than a colon or a full stop
    assert needles(r"[🙄😏]|🤦") == (("f", "😏"), ("f", "🙄"), ("f", "🤦"))
    assert needles(r"(?-i:\b(?:HEARD|TOLD))\b") == (("e", "HEARD"), ("e", "TOLD"))  # as written: shouted
    assert needles(r"(?-i:(?i:ok)AY)") == (("f", "ok"),)  # the longer literal is not the rarer here: AY is one run
    assert needles(r"(?:already )?x") is None  # one letter is not worth looking for
    assert needles(r"[:.]x") is None


@pytest.mark.parametrize("language", [x.value for x in Language])
def test_the_index_finds_what_running_every_pattern_finds(language: str) -> None:
    """Skipping by needles, by word and by shouting changes no match of any turn of the detector cases."""
    index: PhraseIndex = detectors_for(language).trainee_index
    every = copy.copy(index)
    every.patterns = [dataclasses.replace(p, needles=None) for p in index.patterns]
    every._regexes = {}
    cases = yaml.safe_load((FIXTURES / "signals" / f"{language}.yaml").read_text(encoding="utf-8"))["cases"]
    texts = [c["text"] for c in cases] + TRICKY
    texts += [t.upper() for t in texts]
    for text in texts:
        tokens = tokenize(text, language)[0]
        assert index.find(tokens, text) == every.find(tokens, text), text
