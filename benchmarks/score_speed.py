"""Benchmark: scores a generated corpus of trainee turns in all six languages on one core.

Run: .venv/bin/python benchmarks/score_speed.py [--turns 100000] [--seed 1]

Turns are built by joining one to three real trainee sentences from the
detector cases (tests/fixtures/signals/*.yaml), so every language's phrase
lists and lemmas are exercised. Prints load time, end-to-end scoring
throughput (detectors plus rubric verdicts) and per-turn detector latency, each
beside its target, and as a reference measured in the same run the throughput
of tokenising alone (every word cut out and looked up, nothing matched): the
floor under any scorer that reads words in Python.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from trainer.config.locations import default_rubric  # noqa: E402
from trainer.content.loader import load_rubric  # noqa: E402
from trainer.content.vocabulary import Language  # noqa: E402
from trainer.scoring.detectors import detectors_for  # noqa: E402
from trainer.scoring.dialog import Dialog  # noqa: E402
from trainer.scoring.matcher import tokenize  # noqa: E402
from trainer.scoring.scorer import Scorer  # noqa: E402

TRAINEE_TURNS_PER_DIALOG = 5
TARGET_TURNS_PER_S = 20_000
TARGET_P99_MS = 1.0


def corpus(total_turns: int, seed: int, per_dialog: int = TRAINEE_TURNS_PER_DIALOG) -> list[Dialog]:
    rng = random.Random(seed)
    pools = {}
    for language in Language:
        cases = yaml.safe_load((ROOT / "tests/fixtures/signals" / f"{language.value}.yaml").read_text("utf-8"))
        pools[language] = [c["text"] for c in cases["cases"]]
    dialogs = []
    languages = list(Language)
    for n in range(total_turns // per_dialog):
        language = languages[n % len(languages)]
        pool = pools[language]
        turns = []
        for _ in range(per_dialog):
            turns.append({"role": "customer", "text": rng.choice(pool)})
            turns.append({"role": "trainee", "text": " ".join(rng.sample(pool, rng.randint(1, 3)))})
        dialogs.append(Dialog.model_validate(
            {"language": language.value, "company_at_fault": rng.random() < 0.5, "turns": turns}
        ))
    return dialogs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=100_000, help="trainee turns to score (default 100000)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

    started = time.perf_counter()
    scorer = Scorer(load_rubric(default_rubric()))
    for language in Language:
        scorer.detectors(language).read_trainee("warm up")
    load_s = time.perf_counter() - started
    dialogs = corpus(args.turns, args.seed)
    turns = sum(1 for d in dialogs for t in d.turns if t.role.value == "trainee")

    started = time.perf_counter()
    for dialog in dialogs:
        scorer.score(dialog)
    elapsed = time.perf_counter() - started

    latencies = []
    for dialog in dialogs:
        detectors = detectors_for(dialog.language)
        before = ""
        for turn in dialog.turns:
            if turn.role.value == "customer":
                before = turn.text
                continue
            t0 = time.perf_counter_ns()
            detectors.read_trainee(turn.text, before)
            latencies.append((time.perf_counter_ns() - t0) / 1e6)
    latencies.sort()
    p50 = statistics.median(latencies)
    p99 = latencies[int(len(latencies) * 0.99) - 1]

    started = time.perf_counter()
    for dialog in dialogs:
        for turn in dialog.turns:
            tokenize(turn.text, dialog.language.value)
    tokenise_s = time.perf_counter() - started

    rate = turns / elapsed
    print(f"languages: {len(list(Language))}, trainee turns: {turns}, dialogs: {len(dialogs)}, one core")
    print(f"load (compiled phrase lists; lemma tables on disk): {load_s:.2f} s")
    print(f"scoring throughput: {rate:,.0f} turns/s ({elapsed:.1f} s); target >= {TARGET_TURNS_PER_S:,}: "
          f"{'met' if rate >= TARGET_TURNS_PER_S else 'not met'}")
    print(f"  reference, same run: tokenising alone {turns / tokenise_s:,.0f} turns/s")
    print(f"per-turn detector latency: p50 {p50:.3f} ms, p99 {p99:.3f} ms, max {latencies[-1]:.3f} ms; "
          f"target p99 < {TARGET_P99_MS:g} ms: {'met' if p99 < TARGET_P99_MS else 'not met'}")


if __name__ == "__main__":
    main()
