"""Benchmark: how well the customer cues (manager_request, abuse) are read, per language.

Run: .venv/bin/python benchmarks/customer_cues.py [--language en] [--show]

For each language with a file under tests/fixtures/customer_cues/ prints, per cue, recall and precision
on the cases of the `tune` half and of the `held_out` half (a case counts for a cue where it lists the cue
under `found` (a positive) or `not_found` (a negative); precision is over the cases that list the cue), and on the
persona library's own lines (personas/<lang>/**.yaml, `lines` and `lines_when`; `opening` lines count as other
lines): lines of intent ask_for_manager must give manager_request, lines of intent insult must give abuse, and
every other line of that language (all intents) that gives the cue is a false alarm, counted against precision.

--show lists the tune cases got wrong and the persona false alarms. It never lists held_out cases (tune only on
the tune half; measure held_out) nor persona misses.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from trainer.scoring.detectors import detectors_for  # noqa: E402

CUES = ("manager_request", "abuse")
CASES = ROOT / "tests" / "fixtures" / "customer_cues"
PERSONAS = ROOT / "personas"
INTENT_OF = {"manager_request": "ask_for_manager", "abuse": "insult"}


@dataclass
class Count:
    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0
    wrong: list[str] = field(default_factory=list)

    def cell(self) -> str:
        recall = f"{self.tp / (self.tp + self.fn):4.2f}" if self.tp + self.fn else "  - "
        precision = f"{self.tp / (self.tp + self.fp):4.2f}" if self.tp + self.fp else "  - "
        return f"R {recall} ({self.tp}/{self.tp + self.fn})  P {precision} (fp {self.fp}/{self.fp + self.tn})"


def persona_lines(language: str) -> list[tuple[str, str]]:
    """(intent, text) for every line of the personas of this language; opening lines get intent `opening`."""
    found = []
    for path in sorted((PERSONAS / language).rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for text in data.get("opening") or []:
            found.append(("opening", str(text)))
        for intent, moods in (data.get("lines") or {}).items():
            groups = moods.values() if isinstance(moods, dict) else [moods]
            for group in groups:
                found.extend((intent, str(text)) for text in group or [])
        for group in data.get("lines_when") or []:
            found.extend((group["intent"], str(text)) for text in group.get("lines") or [])
    return found


def cues_in(language: str, text: str) -> set[str]:
    reading = detectors_for(language).read_customer(text)
    return {cue for cue, spans in reading.customer.items() if spans}


def measure(language: str) -> dict[tuple[str, str], Count]:
    counts = {(half, cue): Count() for half in ("tune", "held_out", "persona") for cue in CUES}
    data = yaml.safe_load((CASES / f"{language}.yaml").read_text(encoding="utf-8"))
    for case in data["cases"]:
        got = cues_in(language, case["text"])
        for cue in CUES:
            c = counts[(case["half"], cue)]
            if cue in case.get("found", []):
                if cue in got:
                    c.tp += 1
                else:
                    c.fn += 1
                    c.wrong.append(f"miss  {case['text']}")
            elif cue in case.get("not_found", []):
                if cue in got:
                    c.fp += 1
                    c.wrong.append(f"alarm {case['text']}")
                else:
                    c.tn += 1
    for intent, text in persona_lines(language):
        got = cues_in(language, text)
        for cue in CUES:
            c = counts[("persona", cue)]
            if intent == INTENT_OF[cue]:
                if cue in got:
                    c.tp += 1
                else:
                    c.fn += 1  # persona misses are not listed: they are a test set
            elif cue in got:
                c.fp += 1
                c.wrong.append(f"alarm [{intent}] {' '.join(text.split())}")
            else:
                c.tn += 1
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--language", action="append", help="only this language (may repeat)")
    parser.add_argument("--show", action="store_true", help="list tune cases got wrong and persona false alarms")
    args = parser.parse_args()
    languages = args.language or sorted(p.stem for p in CASES.glob("*.yaml"))
    for language in languages:
        counts = measure(language)
        for half in ("tune", "held_out", "persona"):
            for cue in CUES:
                print(f"{language}  {half:8}  {cue:15}  {counts[(half, cue)].cell()}")
        if args.show:
            for half in ("tune", "persona"):
                for cue in CUES:
                    for line in counts[(half, cue)].wrong:
                        print(f"    {language} {half} {cue}: {line}")


if __name__ == "__main__":
    main()
