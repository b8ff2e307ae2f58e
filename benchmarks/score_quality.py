"""Benchmark: how well the detectors read the labelled development corpus, per signal and per language.

Run: .venv/bin/python benchmarks/score_quality.py [--show misses|alarms|all] [--language de] [--half odd|even] [PATH...]

PATH defaults to corpus/written/ and corpus/real/ (every .jsonl under them). Prints precision, recall and F1 of
each signal in each language (and over all languages), the macro-F1 per language and
overall, and with --show the items the detectors got wrong, with what they missed or
found that a person did not. A signal is printed only where the corpus has a positive
or the detectors raised an alarm.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from trainer.content.vocabulary import Language, Signal  # noqa: E402
from trainer.scoring.quality import Quality, evaluate, read_corpus  # noqa: E402


def table(quality: Quality) -> list[str]:
    languages = quality.languages
    lines = ["signal              " + "".join(f"{x.value:>16}" for x in languages) + "             all",
             "                  " + f"{'   P    R   F1':>16}" * (len(languages) + 1)]
    for signal in Signal:
        cells = []
        for language in [*languages, None]:
            c = quality.signal(signal, language)
            cells.append(f"{c.precision:4.2f} {c.recall:4.2f} {c.f1:4.2f}" if c.tp + c.fp + c.fn else "       -      ")
        lines.append(f"{signal.value:18}" + "".join(f"{cell:>16}" for cell in cells))
    lines.append(f"{'macro-F1':18}" + "".join(f"{quality.macro_f1(x):>16.3f}" for x in [*languages, None]))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path,
                        default=[d for d in (ROOT / "corpus" / "written", ROOT / "corpus" / "real") if d.is_dir()])
    parser.add_argument("--show", choices=["misses", "alarms", "all"], help="list the items read wrongly")
    parser.add_argument("--language", choices=[x.value for x in Language], help="only this language")
    parser.add_argument("--half", choices=["odd", "even"],
                        help="only the items whose number is odd (to tune on) or even (to check on)")
    args = parser.parse_args()
    items = [i for i in read_corpus(args.paths) if args.language is None or i.language.value == args.language]
    if args.half:
        items = [i for i in items if int(i.id.rsplit("-", 1)[-1]) % 2 == (args.half == "odd")]
    quality = evaluate(items)
    origins = sorted({i.origin for i in items})
    print(f"{len(items)} items ({', '.join(origins)}) from {', '.join(str(p) for p in args.paths)}\n")
    print("\n".join(table(quality)))
    if args.show:
        print()
        for verdict in quality.verdicts:
            wrong = []
            if args.show in ("misses", "all") and verdict.misses:
                wrong.append("missed " + ", ".join(sorted(s.value for s in verdict.misses)))
            if args.show in ("alarms", "all") and verdict.false_alarms:
                wrong.append("false alarm " + ", ".join(sorted(s.value for s in verdict.false_alarms)))
            if wrong:
                print(f"{verdict.item.id}: {'; '.join(wrong)}\n    customer: {verdict.item.customer}\n"
                      f"    agent:    {verdict.item.agent}")


if __name__ == "__main__":
    main()
