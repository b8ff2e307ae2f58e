"""How well the detectors read a labelled corpus: precision, recall and F1 per signal and language, and each miss.

A corpus item is one agent turn with the customer's turn before it and the signals a
person found in it (`corpus/README.md` has the format). The detectors read the turn
exactly as `trainer score` reads a trainee turn after that customer turn.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from trainer.content.vocabulary import Language, Signal
from trainer.scoring.detectors import detectors_for


@dataclass(frozen=True)
class Item:
    id: str
    language: Language
    customer: str
    agent: str
    signals: frozenset[Signal]
    origin: str = "written"


@dataclass(frozen=True)
class Verdict:
    item: Item
    found: frozenset[Signal]

    @property
    def misses(self) -> frozenset[Signal]:
        return self.item.signals - self.found

    @property
    def false_alarms(self) -> frozenset[Signal]:
        return self.found - self.item.signals


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def positives(self) -> int:
        return self.tp + self.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Quality:
    verdicts: list[Verdict]
    counts: dict[tuple[Language, Signal], Counts] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for verdict in self.verdicts:
            for signal in Signal:
                c = self.counts.setdefault((verdict.item.language, signal), Counts())
                labelled, found = signal in verdict.item.signals, signal in verdict.found
                c.tp += labelled and found
                c.fp += found and not labelled
                c.fn += labelled and not found

    @property
    def languages(self) -> list[Language]:
        return [x for x in Language if any(v.item.language is x for v in self.verdicts)]

    def signal(self, signal: Signal, language: Language | None = None) -> Counts:
        """One signal's counts in one language, or summed over all."""
        total = Counts()
        for (lang, sig), c in self.counts.items():
            if sig is signal and (language is None or lang is language):
                total.tp, total.fp, total.fn = total.tp + c.tp, total.fp + c.fp, total.fn + c.fn
        return total

    def macro_f1(self, language: Language | None = None) -> float:
        """The mean F1 over the signals the items contain (a signal with no positive and no alarm is left out)."""
        scores = [c.f1 for s in Signal if (c := self.signal(s, language)).tp + c.fp + c.fn]
        return sum(scores) / len(scores) if scores else 1.0


def read_corpus(paths: Iterable[Path]) -> list[Item]:
    """Items from corpus files (JSON Lines); a folder stands for every .jsonl file under it."""
    items: list[Item] = []
    for path in paths:
        files = sorted(path.rglob("*.jsonl")) if path.is_dir() else [path]
        for file in files:
            for line in file.read_text(encoding="utf-8").splitlines():
                if not line.strip():
                    continue
                raw = json.loads(line)
                items.append(Item(
                    raw["id"], Language(raw["language"]), raw.get("customer", ""), raw["agent"],
                    frozenset(Signal(s) for s in raw["signals"]), raw.get("origin", "written"),
                ))
    return items


def evaluate(items: Iterable[Item]) -> Quality:
    verdicts = []
    for item in items:
        reading = detectors_for(item.language).read_trainee(item.agent, [item.customer] if item.customer else [])
        verdicts.append(Verdict(item, frozenset(s for s, spans in reading.signals.items() if spans)))
    return Quality(verdicts)
