"""Agreement between the corpus labels and a second, blind labelling of a sample: per signal and per language.

    .venv/bin/python corpus/agreement.py

Prints, per language, how many sampled items got exactly the same signals, and per
signal Cohen's kappa over all sampled items (how far the two labellers agree beyond
chance), with the number of items where they differ.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).parent
SIGNALS = ["empathy", "apology", "negative_language", "paraphrase", "raised_tone", "blame", "question",
           "commitment", "escalation", "boundary", "thanks"]


def read(path: Path) -> dict[str, set[str]]:
    return {item["id"]: set(item["signals"]) for item in map(json.loads, path.read_text(encoding="utf-8").splitlines())}


def kappa(pairs: list[tuple[bool, bool]]) -> float:
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    p_a, p_b = sum(a for a, _ in pairs) / n, sum(b for _, b in pairs) / n
    expected = p_a * p_b + (1 - p_a) * (1 - p_b)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def main() -> None:
    pairs: dict[str, list[tuple[bool, bool]]] = {s: [] for s in SIGNALS}
    print("language  sampled  identical")
    for second_path in sorted((HERE / "agreement").glob("*.jsonl")):
        first = read(HERE / "written" / second_path.name)
        second = read(second_path)
        same = sum(first[i] == second[i] for i in second)
        print(f"{second_path.stem:8}  {len(second):7}  {same / len(second):9.0%}")
        for item, labels in second.items():
            for signal in SIGNALS:
                pairs[signal].append((signal in first[item], signal in labels))
    print("\nsignal             kappa  differ  positives (first/second)")
    for signal, p in pairs.items():
        differ = sum(a != b for a, b in p)
        print(f"{signal:17} {kappa(p):6.2f}  {differ:6}  {sum(a for a, _ in p):3}/{sum(b for _, b in p)}")
    every = [pair for p in pairs.values() for pair in p]
    print(f"\nall labels: {sum(a == b for a, b in every) / len(every):.1%} agree, kappa {kappa(every):.2f}")


if __name__ == "__main__":
    main()
