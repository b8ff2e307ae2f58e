"""Benchmark: scoring as a whole process: how soon and in how much memory the six languages are ready, one
English dialog end to end, and `trainer score --format json` over 20,000 trainee turns in six languages.

Run: .venv/bin/python benchmarks/score_process.py [--runs 5] [--dialogs 100] [--turns-per-dialog 200]

Each figure is the median wall time (and the peak resident memory) of a fresh
process pinned to one core, with the cache folder already filled (the first run
on a machine builds the lemma tables: seconds per language, once per simplemma
version). The reference beside each, measured in the same run, is the same
process with the cache folder unusable, so that simplemma's dictionaries are
loaded into memory and the phrase lists compiled on every start, as the
trainer did before the cache. The 20,000-turn set is built like
score_speed.py's, one dialog file per 200 trainee turns, and scored twice to
check that the output is the same; then once more on every core, where `trainer score`
shares the files among worker processes, to check the same output comes sooner. Every process reads a copy of rubrics/ taken
at the start, so that an edit to the phrase lists during the run changes nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from score_speed import corpus  # noqa: E402

TARGET_READY_S, TARGET_READY_MB = 0.5, 300
TARGET_ONE_DIALOG_S = 0.3
TARGET_TURNS_PER_S = 8_000

READY = """
from trainer.content.vocabulary import Language
from trainer.scoring.detectors import detectors_for
for language in Language:
    detectors_for(language).read_trainee("I am sorry, I understand how frustrating this is.", "It is broken!")
"""


def measure(command: list[str], env: dict[str, str], out: Path | None = None, one_core: bool = True) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one process on one core (or on all of them: its worker processes'
    memory is then not in the peak)."""
    started = time.perf_counter()
    pin = (lambda: os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})) if one_core else None
    with open(out or os.devnull, "wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.DEVNULL, env=env, cwd=ROOT,
                                   preexec_fn=pin)
        _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command[:4])}… failed")
    return elapsed, usage.ru_maxrss / 1024


def median_of(runs: int, command: list[str], env: dict[str, str]) -> tuple[float, float]:
    results = [measure(command, env) for _ in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def verdict(met: bool) -> str:
    return "met" if met else "not met"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dialogs", type=int, default=100)
    parser.add_argument("--turns-per-dialog", type=int, default=200)
    args = parser.parse_args()

    python = [sys.executable]
    with tempfile.TemporaryDirectory() as tmp:
        rubrics = shutil.copytree(ROOT / "rubrics", Path(tmp) / "rubrics")
        cached = {**os.environ, "TRAINER_RUBRICS": str(rubrics)}
        blocked = Path(tmp) / "no-cache"
        blocked.write_text("a file where the cache folder would be", encoding="utf-8")
        uncached = {**cached, "TRAINER_CACHE": str(blocked)}
        english = str(ROOT / "tests" / "fixtures" / "dialogs" / "en-good.json")
        one = [*python, "-m", "trainer", "score", english, "--format", "json"]
        measure([*python, "-c", READY], cached)  # fills the cache folder if it is empty

        ready = median_of(args.runs, [*python, "-c", READY], cached)
        ready_ref = median_of(max(1, args.runs // 2), [*python, "-c", READY], uncached)
        print("all six languages ready to score (one turn read in each), whole process:")
        print(f"  {ready[0]:.2f} s, {ready[1]:.0f} MB peak; target <= {TARGET_READY_S} s and <= {TARGET_READY_MB} MB: "
              f"{verdict(ready[0] <= TARGET_READY_S and ready[1] <= TARGET_READY_MB)}")
        print(f"  reference, dictionaries in memory: {ready_ref[0]:.2f} s, {ready_ref[1]:.0f} MB peak")

        single = median_of(args.runs, one, cached)
        single_ref = median_of(max(1, args.runs // 2), one, uncached)
        print("one English dialog, `trainer score --format json`, whole process:")
        print(f"  {single[0]:.2f} s, {single[1]:.0f} MB peak; target <= {TARGET_ONE_DIALOG_S} s: "
              f"{verdict(single[0] <= TARGET_ONE_DIALOG_S)}")
        print(f"  reference, dictionaries in memory: {single_ref[0]:.2f} s, {single_ref[1]:.0f} MB peak")

        folder = Path(tmp) / "dialogs"
        folder.mkdir()
        files = []
        dialogs = corpus(args.dialogs * args.turns_per_dialog, 1, per_dialog=args.turns_per_dialog)
        for n, dialog in enumerate(dialogs):
            path = folder / f"{n:03d}-{dialog.language.value}.json"
            path.write_text(dialog.model_dump_json(exclude_none=True), encoding="utf-8")
            files.append(str(path))
        turns = args.dialogs * args.turns_per_dialog
        many = [*python, "-m", "trainer", "score", *files, "--format", "json"]
        outputs = [Path(tmp) / f"out{n}.json" for n in range(2)]
        runs = [measure(many, cached, out) for out in outputs]
        same = len({hashlib.sha256(p.read_bytes()).hexdigest() for p in outputs}) == 1
        size = outputs[0].stat().st_size / 1e6
        json.loads(outputs[0].read_text(encoding="utf-8"))
        best = min(r[0] for r in runs)
        reference = measure(many, uncached, Path(tmp) / "ref.json")
        print(f"`trainer score --format json` over {turns:,} trainee turns in {len(files)} files, six languages, "
              "whole process:")
        print(f"  {best:.2f} s = {turns / best:,.0f} turns/s, {max(r[1] for r in runs):.0f} MB peak, "
              f"{size:.0f} MB of JSON, the same on re-run: {'yes' if same else 'NO'}; "
              f"target >= {TARGET_TURNS_PER_S:,} turns/s: {verdict(turns / best >= TARGET_TURNS_PER_S and same)}")
        print(f"  reference, dictionaries in memory: {reference[0]:.2f} s = {turns / reference[0]:,.0f} turns/s, "
              f"{reference[1]:.0f} MB peak")
        cores = len(os.sched_getaffinity(0))
        shared = Path(tmp) / "shared.json"
        spread = min(measure(many, cached, shared, one_core=False)[0] for _ in range(2))
        print(f"  with worker processes on all {cores} cores (--jobs 0, the default): {spread:.2f} s = "
              f"{turns / spread:,.0f} turns/s, the same output: "
              f"{'yes' if shared.read_bytes() == outputs[0].read_bytes() else 'NO'}")


if __name__ == "__main__":
    main()
