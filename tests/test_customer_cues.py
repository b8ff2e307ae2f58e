"""The customer's cues (manager_request, abuse) in every language: the cases under tests/fixtures/customer_cues/.

A cue opens rubric criteria (`applies: after_manager_request`, `applies: after_abuse`), so a missed cue silently
skips them and a false one grades what was never owed. Each file's header says what counts as each cue.
benchmarks/customer_cues.py measures the same cases (and the persona library's lines) as recall and precision.
"""

from __future__ import annotations

import pytest
import yaml

from tests.conftest import FIXTURES
from trainer.scoring.detectors import detectors_for

CUES = ("manager_request", "abuse")
CASE_FILES = sorted((FIXTURES / "customer_cues").glob("*.yaml"))


def _cases():
    for path in CASE_FILES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for i, case in enumerate(data["cases"]):
            # A known limit of the matcher stays visible as a strict xfail: it must start passing when fixed.
            marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if case.get("xfail") else []
            yield pytest.param(data["language"], case, id=f"{path.stem}-{i}-{case['text'][:40]}", marks=marks)


@pytest.mark.parametrize(("language", "case"), list(_cases()))
def test_customer_cue_case(language: str, case: dict) -> None:
    reading = detectors_for(language).read_customer(case["text"])
    found = {cue for cue, spans in reading.customer.items() if spans}
    for name in case.get("found", []):
        assert name in found, f"{name} not found in {case['text']!r} (found {sorted(found)})"
    for name in case.get("not_found", []):
        assert name not in found, f"{name} wrongly found in {case['text']!r} at {reading.customer[name]}"


def test_case_files_are_well_formed() -> None:
    assert CASE_FILES, "no customer cue cases"
    for path in CASE_FILES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert data["language"] == path.stem
        for case in data["cases"]:
            named = set(case.get("found", [])) | set(case.get("not_found", []))
            assert named and named <= set(CUES), f"{path.name}: {case['text']!r} names {sorted(named)}"
            assert not set(case.get("found", [])) & set(case.get("not_found", [])), case["text"]
            assert case.get("half") in ("tune", "held_out"), f"{path.name}: {case['text']!r} has no half"
