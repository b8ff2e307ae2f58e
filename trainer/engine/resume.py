"""Continues an unfinished session: its recorded trainee turns replayed through a fresh director, then on as before."""

from __future__ import annotations

import glob
from dataclasses import dataclass, field
from pathlib import Path

from trainer.content.persona import Persona
from trainer.content.rubric import Rubric
from trainer.engine.director import Decision
from trainer.engine.session import Actor, Session
from trainer.errors import UserError
from trainer.records.chain import Transcript, TranscriptProblem, read_transcript
from trainer.records.signing import Signer
from trainer.records.store import FORMAT_VERSION, TranscriptWriter, content_hash, now
from trainer.scoring.scorer import Scorer


class ResumeError(UserError):
    """A session that cannot be continued, and why."""


@dataclass
class Resumed:
    session: Session
    pending: Decision | None  # the trainee's last turn still owed the customer's answer
    notes: list[str] = field(default_factory=list)


def find_session(ref: str, folder: Path) -> Path:
    """A session by its id (the file name without .jsonl), a unique start of one, or a path to its file."""
    as_path = Path(ref)
    if as_path.suffix == ".jsonl" and as_path.exists():
        return as_path
    exact = folder / f"{ref}.jsonl"
    if exact.exists():
        return exact
    matches = sorted(folder.glob(f"{glob.escape(ref)}*.jsonl")) if folder.is_dir() and ref else []
    if len(matches) == 1:
        return matches[0]
    if matches:
        names = ", ".join(m.stem for m in matches[:3]) + (", …" if len(matches) > 3 else "")
        raise ResumeError(f"'{ref}' matches {len(matches)} sessions in {folder}: {names}")
    raise ResumeError(f"no session '{ref}' in {folder} (see `trainer history --unfinished`)")


def open_unfinished(path: Path) -> Transcript:
    try:
        transcript = read_transcript(path, FORMAT_VERSION)
    except TranscriptProblem as exc:
        raise ResumeError(f"cannot resume {path}: {exc}") from None
    if not transcript.chained:
        raise ResumeError(f"cannot resume {path}: format 1 predates resumable transcripts")
    end = transcript.end
    if end is not None:
        raise ResumeError(
            f"session {transcript.session_id} has already ended ({end.get('outcome')}, score {end.get('score')})"
        )
    if not transcript.turns:
        raise ResumeError(f"cannot resume {path}: the customer never spoke (start a new call instead)")
    return transcript


def resume_session(
    transcript: Transcript, persona: Persona, persona_path: Path, rubric: Rubric, rubric_path: Path, actor: Actor,
    signer: Signer | None = None,
) -> Resumed:
    """The session as it stood when the file stopped, appending to the same file from here on."""
    header = transcript.header
    notes = []
    if header.get("persona_hash") not in (None, content_hash(persona_path)):
        notes.append(f"the persona file {persona_path.name} changed since the session started")
    if header.get("rubric_hash") not in (None, content_hash(rubric_path)):
        notes.append("the rubric changed since the session started; the score uses the current one")
    mode = transcript.mode
    if mode == "exam":
        signer = _exam_signer(transcript, signer)
    session = Session(persona, rubric, actor, Scorer(rubric), int(header.get("seed") or 0), mode,
                      str(header.get("trainee") or ""), None, signer)
    pending = session.replay(transcript.records)
    session.writer = TranscriptWriter.reopen(transcript.path, transcript.records, signer if mode == "exam" else None)
    # Said in the file itself, so whoever reads the transcript sees where the call was picked up again.
    session.writer.write({"type": "resumed", "time": now(), "after": len(transcript.records)})
    return Resumed(session, pending, notes)


def _exam_signer(transcript: Transcript, signer: Signer | None) -> Signer:
    """This trainer's key, once the exam so far is proven to be what this key sealed as it happened.

    Without that proof, resuming would sign records the signer never saw: a practice
    call edited into an exam, or an exam whose replies were changed after the crash.
    """
    from trainer.config.settings import home
    from trainer.records.signing import known_keys, load_signer
    from trainer.records.verification import SEALED_FROM, seal_problem

    where = f"cannot resume exam {transcript.session_id}"
    if transcript.format < SEALED_FROM:
        raise ResumeError(f"{where}: it was written before exams were sealed (format {transcript.format}); "
                          "start a new exam")
    trainer_home = home()
    signer = signer or load_signer(trainer_home)
    keys, _ = known_keys(trainer_home)
    problem = seal_problem(transcript, keys)
    if problem:
        raise ResumeError(f"{where}: {problem}")
    sealed_by = transcript.records[1].get("key")
    if sealed_by != signer.key_id:
        raise ResumeError(f"{where}: it was sealed with {sealed_by}, and this trainer's key is {signer.key_id}")
    return signer
