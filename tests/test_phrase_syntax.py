"""What a trainer writes in a phrase list means what the README says it means."""

from __future__ import annotations

import pytest

from tests.conftest import PROJECT
from trainer.content.phrases import Group
from trainer.scoring.matcher import PhraseIndex, tokenize


def matched(phrase: str, text: str, language: str = "en") -> bool:
    index = PhraseIndex(language)
    owner = index.add(Group(phrases=[phrase]))
    tokens, _ = tokenize(text, language)
    return bool(index.find(tokens, text).get(owner))


@pytest.mark.parametrize("phrase, text, found", [
    ("=hear", "I hear you.", True),
    ("=hear", "I heard you.", False),  # simplemma reads "heard" as "hear": "=" means the written form only
    ("i =hear you", "I heard you.", False),
    ("hear", "I heard you.", True),  # without "=", every form of the word
    ("ich =werde", "Ich würde Sie anrufen.", False),  # "würde" has the lemma "werden", like "werde"
    ("ich =werde", "Ich werde Sie anrufen.", True),
    ("ich werde|=hätte", "Ich hätte gern", True),
    ("ich werde|=hätte", "Ich habe", False),
])
def test_an_equals_sign_means_the_written_form_only(phrase, text, found):
    language = "de" if "ich" in phrase else "en"
    assert matched(phrase, text, language) is found


def test_validate_reports_a_bad_exception_with_its_line(run_cli, tmp_path):
    """An exception is a phrase too: a malformed one is a one-line error, not a crash on the first turn read."""
    text = (PROJECT / "rubrics" / "phrases" / "en.yaml").read_text(encoding="utf-8")
    marker = "    exceptions:\n"
    assert marker in text
    path = tmp_path / "en.yaml"
    path.write_text(text.replace(marker, marker + '      - "no|nope-nope problem"\n', 1), encoding="utf-8")
    result = run_cli("validate", str(path))
    assert result.exit_code == 1
    line = text[: text.index(marker)].count("\n") + 1  # the list the bad phrase is in
    assert f"{path}:{line}:" in result.stderr
    assert ".exceptions" in result.stderr and "each choice in 'a|b' must be one word" in result.stderr
