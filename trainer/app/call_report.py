"""A finished call as the debrief screen shows it: built from a live session or from a saved transcript."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from trainer.content.library import Library
from trainer.content.persona import Persona
from trainer.content.templates import render_file
from trainer.engine.session import Session
from trainer.records.store import dialog_from_transcript, read_records
from trainer.scoring.debrief import Debrief, build_debrief, criteria_chart, mood_chart
from trainer.scoring.scorer import Scorer, SessionScore
from trainer.wording import ending


@dataclass(frozen=True)
class CallReport:
    debrief: Debrief
    persona_id: str
    persona: Persona | None  # None when the persona is no longer in the library: no retry then
    mode: str
    outcome: str  # resolved, left, …, or "unfinished" for a transcript with no closing record
    transcript: Path | None
    trainee: str = ""  # "" for a transcript recorded without a name

    @property
    def score(self) -> SessionScore:
        return self.debrief.session

    @property
    def title(self) -> str:
        name = self.persona.name if self.persona else self.persona_id
        return f"{name} · {self.mode} · {self.outcome.replace('_', ' ')}"

    def save_html(self, transcripts: Path) -> Path:
        """Write the HTML debrief to transcripts/debriefs/ (a folder the transcript readers pass over)."""
        name = self.transcript.stem if self.transcript else self.persona_id
        target = transcripts / "debriefs" / f"{name}.html"
        d = self.debrief
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render_file(
            "debrief.html.j2", html=True, file=str(self.transcript or target), d=d, trainee=self.trainee,
            ending=ending(self.outcome) if self.outcome != "unfinished" else "",
            mood_svg=mood_chart(d.mood), criteria_svg=criteria_chart(d.session.criteria),
        ), encoding="utf-8")
        return target


def report_from_session(session: Session, result: SessionScore, library: Library) -> CallReport:
    return CallReport(
        build_debrief(result, library, session.moods), session.persona.id, session.persona, session.mode,
        session.outcome.value if session.outcome else "unfinished",
        session.writer.path if session.writer else None, session.trainee,
    )


def report_from_transcript(path: Path, library: Library, scorer: Scorer) -> CallReport:
    """Re-score a saved session with the current rubric; raises FileError when it cannot be read."""
    dialog = dialog_from_transcript(path)
    records = read_records(path)
    header = records[0]
    end = next((r for r in records if r.get("type") == "end"), None)
    mood = [t.mood for t in dialog.turns if t.mood is not None]
    persona_id = str(header.get("persona_id", "?"))
    return CallReport(
        build_debrief(scorer.score(dialog), library, mood), persona_id, library.get(persona_id),
        str(header.get("mode", "practice")), str(end.get("outcome")) if end else "unfinished", path,
        str(header.get("trainee") or ""),
    )
