"""Lemmas come from simplemma's dictionaries kept on disk, and are the same lemmas simplemma gives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import simplemma

from trainer.scoring.lexicon import Lexicon, table_path

WORDS = {
    "en": ["heard", "frustrating", "apologies", "refunded", "routers", "won't", "unhelpfulness", "zzxq"],
    "de": ["entschuldigung", "würde", "rückerstattungen", "kundenservicemitarbeiterin", "angerufen", "zzxq"],
}


@pytest.mark.parametrize("language", sorted(WORDS))
def test_lemmas_read_from_disk_are_simplemmas_own(language: str) -> None:
    lexicon = Lexicon(language, Path(os.environ["TRAINER_CACHE"]))
    for word in WORDS[language]:
        expected = word if "'" in word else simplemma.lemmatize(word, lang=language).lower()
        assert lexicon.lemma(word) == expected, word
    assert lexicon.on_disk


def test_an_unwritable_cache_folder_still_gives_the_same_lemmas(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    lexicon = Lexicon("en", blocked)
    assert lexicon.lemma("heard") == "hear"
    assert lexicon.lemma("frustrating") == simplemma.lemmatize("frustrating", lang="en").lower()
    assert not lexicon.on_disk  # simplemma's dictionaries in memory instead


def test_the_table_is_written_once_and_atomically(tmp_path: Path) -> None:
    Lexicon("en", tmp_path).lemma("heard")
    path = table_path(tmp_path, "en")
    assert path.is_file()
    assert [p.name for p in path.parent.iterdir()] == ["en.sqlite"]  # no half-written file left beside it
    written = path.stat().st_mtime_ns
    assert Lexicon("en", tmp_path).lemma("apologies") == "apology"
    assert path.stat().st_mtime_ns == written
