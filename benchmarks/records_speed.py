"""Benchmark: `trainer report` and `trainer verify` over 10,000 generated transcripts, on one core.

Run: .venv/bin/python benchmarks/records_speed.py [--transcripts 10000] [--keep DIR]

It plays real sessions first (every persona of the library: a good trainee
in exam mode, so signed, and a poor one in practice mode, every fifth of
those left unfinished), then writes 10,000 transcripts from them: 250 trainees, start
times over three months, each file re-chained and signed again for its new
session id, exactly as the trainer writes them. Then it runs the real
commands in a fresh process pinned to one core and prints their wall time.
Target: each under 10 s.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from trainer.content.library import load_library  # noqa: E402
from trainer.content.loader import load_rubric  # noqa: E402
from trainer.engine.actors import ScriptedActor  # noqa: E402
from trainer.engine.session import CustomerTurn, new_session  # noqa: E402
from trainer.records.chain import link, record_hash  # noqa: E402
from trainer.records.signing import init_keys  # noqa: E402
from trainer.records.store import read_records  # noqa: E402
from trainer.scoring.scorer import Scorer  # noqa: E402

TARGET = 10.0
TRAINEES = 250


def replies_for(persona, good: bool) -> list[str]:  # type: ignore[no-untyped-def]
    """The rubric's own example phrasings (a good trainee) or the weaker half of them (a poor one)."""
    rubric = load_rubric(ROOT / "rubrics" / "default.yaml")
    language = persona.language
    examples = [c.example_in(language) for c in rubric.criteria if c.example_in(language)]
    needs = " ".join(n.phrases[0] for n in persona.resolution.needs if n.phrases)
    if good:
        return [" ".join(examples[i:i + 4]) + " " + needs for i in range(0, len(examples), 4)] * 3
    return [examples[i] for i in range(1, len(examples), 3)] * 3


def play_seeds(folder: Path) -> list[Path]:
    library = load_library(ROOT / "personas")
    rubric_path = ROOT / "rubrics" / "default.yaml"
    rubric = load_rubric(rubric_path)
    scorer = Scorer(rubric)
    made = []
    for n, persona in enumerate(sorted(library.personas.values(), key=lambda p: p.id)):
        for good in (True, False):
            session = new_session(
                persona, library.paths[persona.id], rubric, rubric_path, ScriptedActor(persona, n), seed=n,
                mode="exam" if good else "practice", trainee="seed", transcripts=folder, scorer=scorer,
            )
            session.start()
            replies = replies_for(persona, good)
            for index, reply in enumerate(replies):
                if session.finished or (not good and n % 5 == 0 and index == 2):
                    break  # every fifth poor session is left unfinished, as after a crash
                for event in session.reply(reply):
                    if isinstance(event, CustomerTurn):
                        break
            if good or n % 5:
                session.end()
            elif session.writer:
                session.writer.close()
            made.append(session.writer.path)  # type: ignore[union-attr]
    return made


def generate(seeds: list[Path], folder: Path, count: int, home: Path) -> None:
    from trainer.records.signing import load_signer

    signer = load_signer(home)
    base = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)
    seed_records = [read_records(path) for path in seeds]
    for i in range(count):
        records = [dict(r) for r in seed_records[i % len(seed_records)]]
        started = base + timedelta(minutes=13 * i)
        session_id = f"{started:%Y%m%d-%H%M%S}-{records[0]['persona_id']}-{i:06x}"
        records[0].update(session_id=session_id, trainee=f"trainee-{i % TRAINEES:03d}", started=started.isoformat())
        exam = any(r["type"] == "signature" for r in records)
        chained: list[dict] = []
        for record in (r for r in records if r["type"] not in ("signature", "seal")):
            chained.append(link(record, chained[-1] if chained else None, len(chained)))
            if exam:  # an exam is sealed after every record, as the trainer writes it
                seal = signer.seal_record(session_id, len(chained), record_hash(chained[-1]))
                chained.append(link(seal, chained[-1], len(chained)))
        if exam:
            signature = signer.signature_record(session_id, len(chained), record_hash(chained[-1]))
            chained.append(link(signature, chained[-1], len(chained)))
        lines = [json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in chained]
        (folder / f"{session_id}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def timed(args: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """Wall time of `trainer ARGS` in a fresh process pinned to one core."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "trainer", *args], env=env, capture_output=True, text=True,
        preexec_fn=(lambda: os.sched_setaffinity(0, {min(os.sched_getaffinity(0))}))
        if hasattr(os, "sched_setaffinity") else None,
    )
    return time.perf_counter() - start, done.returncode, done.stderr.strip().splitlines()[-1] if done.stderr else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transcripts", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="Write the transcripts here and keep them.")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        os.environ["TRAINER_HOME"] = str(home)
        init_keys(home)
        seeds = play_seeds(Path(tmp) / "seeds")
        folder = options.keep or Path(tmp) / "transcripts"
        folder.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        generate(seeds, folder, options.transcripts, home)
        size = sum(p.stat().st_size for p in folder.iterdir())
        print(f"generated {options.transcripts:,} transcripts from {len(seeds)} played sessions "
              f"({size / 1e6:.0f} MB) in {time.perf_counter() - start:.1f} s")
        env = {**os.environ, "TRAINER_HOME": str(home), "PYTHONPATH": str(ROOT)}
        worst = 0.0
        for name, args in (
            ("report", ["report", str(folder), "--html", str(Path(tmp) / "r.html"), "--csv", str(Path(tmp) / "r.csv")]),
            ("verify", ["verify", str(folder)]),
        ):
            seconds, code, last = timed(args, env)
            worst = max(worst, seconds)
            verdict = "ok" if seconds < TARGET else f"over the {TARGET:.0f} s target"
            print(f"trainer {name:6} {seconds:6.2f} s  ({options.transcripts / seconds:,.0f} files/s; exit {code}; "
                  f"{last}) {verdict}")
    sys.exit(0 if worst < TARGET else 1)


if __name__ == "__main__":
    main()
