"""Every signal in every language: the cases under tests/fixtures/signals/ are what trainees actually type."""

from __future__ import annotations

import pytest
import yaml

from tests.conftest import FIXTURES
from trainer.content.vocabulary import Language, Signal
from trainer.scoring.detectors import detectors_for

CASE_FILES = sorted((FIXTURES / "signals").glob("*.yaml"))


def _cases():
    for path in CASE_FILES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for i, case in enumerate(data["cases"]):
            # A known limit of the matcher stays visible as a strict xfail: it must start passing when fixed.
            marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if case.get("xfail") else []
            yield pytest.param(data["language"], case, id=f"{path.stem}-{i}-{case['text'][:40]}", marks=marks)


@pytest.mark.parametrize(("language", "case"), list(_cases()))
def test_detector_case(language: str, case: dict) -> None:
    reading = detectors_for(language).read_trainee(case["text"], case.get("customer", ""))
    found = {s.value for s, spans in reading.signals.items() if spans}
    for name in case.get("found", []):
        assert name in found, f"{name} not found in {case['text']!r} (found {sorted(found)})"
    for name in case.get("not_found", []):
        assert name not in found, f"{name} wrongly found in {case['text']!r} at {reading.signals[Signal(name)]}"


def test_every_language_has_cases_for_every_signal() -> None:
    for language in Language:
        path = FIXTURES / "signals" / f"{language.value}.yaml"
        assert path.exists(), f"no detector cases for {language.value}"
        cases = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
        found = {n for c in cases for n in c.get("found", [])}
        not_found = {n for c in cases for n in c.get("not_found", [])}
        for signal in Signal:
            assert signal.value in found, f"{language.value}: no case where {signal.value} is found"
            assert signal.value in not_found, f"{language.value}: no case where {signal.value} must not be found"


def test_evidence_points_at_the_words() -> None:
    text = "Okay. I understand your frustration, really."
    reading = detectors_for("en").read_trainee(text)
    ((start, end),) = reading.signals[Signal.empathy]
    assert text[start:end] == "understand your frustration"
