"""The detectors hold the level they reached on the labelled corpus: an edit that breaks a language fails here."""

from __future__ import annotations

import pytest

from tests.conftest import PROJECT
from trainer.content.vocabulary import Language
from trainer.scoring.quality import Quality, evaluate, read_corpus

# macro-F1 on the corpus batches below, as benchmarks/score_quality.py printed it when these were set;
# raise them as the detectors improve, never lower them to let a change through. A new batch joins
# BATCHES (and the floors are set anew from what it measured) only once it has been measured untuned.
FLOOR = {"en": 0.89, "de": 0.89, "lv": 0.90, "pl": 0.88, "ru": 0.90, "nl": 0.90}
OVERALL = 0.89
BATCHES = ("{language}.jsonl", "{language}-2.jsonl")


@pytest.fixture(scope="module")
def quality() -> Quality:
    written = PROJECT / "corpus" / "written"
    return evaluate(read_corpus([written / b.format(language=x.value) for x in Language for b in BATCHES]))


@pytest.mark.parametrize("language", list(FLOOR))
def test_each_language_keeps_its_level_on_the_corpus(quality, language):
    assert quality.macro_f1(Language(language)) >= FLOOR[language]


def test_the_corpus_as_a_whole_keeps_its_level(quality):
    assert quality.macro_f1() >= OVERALL


def test_the_untuned_batch_keeps_its_level():
    """Batch 3 (trainee replies) is never tuned on item by item; a floor on its whole figure still catches a list
    edit that stops generalising, without anyone reading its items (0.805 when set)."""
    written = PROJECT / "corpus" / "written"
    untuned = evaluate(read_corpus([written / f"{x.value}-3.jsonl" for x in Language]))
    assert untuned.macro_f1() >= 0.79


def test_the_corpus_covers_every_signal_in_every_language(quality):
    """Every figure above rests on at least ten positives of each signal in each language."""
    from trainer.content.vocabulary import Signal

    for language in Language:
        for signal in Signal:
            assert quality.signal(signal, language).positives >= 10, (language.value, signal.value)
