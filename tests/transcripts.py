"""Real transcripts for the records tests: calls played through `trainer play`, and files damaged the ways files are."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from trainer.records.chain import record_hash

ANA = "Ana Berzina"
# Three replies the aggressive customer sits through: ten lines in an exam, signature included.
MILD = ["I understand how frustrating this is. When did it start?",
        "I'm sorry. A technician will come tomorrow between 9 and 11.", "Thank you for your patience."]
POOR = ["Well, the system shows no fault. Did you restart it?", "No, that's not possible.", "We can't do anything."]


@cache
def good_replies(persona_id: str) -> tuple[str, ...]:
    """What the engine tests' good trainee says to this persona; the director is deterministic, so replaying
    these through `trainer play` gives the same, passing, call."""
    from tests.test_engine import LIBRARY, good_trainee, play, session_for

    persona = LIBRARY.personas[persona_id]
    session = session_for(persona)
    said: list[str] = []
    reply = good_trainee(persona)

    def remember(last, index):  # type: ignore[no-untyped-def]
        said.append(reply(last, index))
        return said[-1]

    play(session, remember)
    return tuple(said)


def play_call(run_cli, folder: Path, persona_id: str, replies, mode: str = "practice",  # type: ignore[no-untyped-def]
              trainee: str = ANA) -> Path:
    """Play a whole call with `trainer play --json`; returns its transcript."""
    replies_file = folder.parent / f"replies-{persona_id}.txt"
    replies_file.write_text("\n".join(replies) + "\n", encoding="utf-8")
    result = run_cli("play", "--persona", persona_id, "--replies", str(replies_file), "--json", "--mode", mode,
                     "--trainee", trainee, env={"TRAINER_TRANSCRIPTS": str(folder)})
    assert result.exit_code == 0, result.stderr
    return Path(json.loads(result.stdout)["transcript"])


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in lines(path)]


def write_lines(path: Path, text: list[str]) -> Path:
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    return path


def cut_off(path: Path, target: Path | None = None, keep: int = 30) -> Path:
    """The file as a crash mid-write leaves it: the last record cut after `keep` characters, no newline."""
    text = lines(path)
    target = target or path
    target.write_text("\n".join(text[:-1] + [text[-1][:keep]]), encoding="utf-8")
    return target


def rechain(recs: list[dict]) -> list[str]:
    """Records with their numbers and hashes made consistent again: what a careful forger would do."""
    out, previous = [], None
    for n, record in enumerate(recs):
        record = {**record, "n": n, "prev": record_hash(previous) if previous else None}
        out.append(json.dumps(record, ensure_ascii=False))
        previous = record
    return out
