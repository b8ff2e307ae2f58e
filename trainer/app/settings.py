"""What the app needs to know, resolved once before it starts: where files are, who voices the customer, the theme."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from trainer.classroom.identity import Identity
from trainer.config import locations
from trainer.config.trainee import resolve_trainee

if TYPE_CHECKING:  # the model settings (pydantic) are imported only when a model voices the customer
    from trainer.config.settings import Resolved

Backend = Literal["scripted", "openai"]
Theme = Literal["dark", "light"]


@dataclass(frozen=True)
class AppSettings:
    personas: Path
    rubric: Path
    transcripts: Path
    backend: Backend = "scripted"
    llm: Resolved | None = None  # set when backend is "openai"
    seed: int | None = None  # practice only (None: a fresh seed each call); exams always draw a fresh one
    trainee: str = ""  # "" until known: the app asks before the first call
    remember_trainee: bool = True  # off under `trainer serve`, where many trainees share one config folder
    classroom: Identity | None = None  # under `trainer serve --classroom`: who signed in; the name is theirs
    theme: Theme = "dark"
    animate: bool = True  # tests and snapshots turn off cursor blink and animations

    @classmethod
    def load(
        cls, backend: Backend = "scripted", model: str | None = None, base_url: str | None = None,
        trainee: str | None = None, remember_trainee: bool = True, **options: object,
    ) -> AppSettings:
        """Paths from TRAINER_* (see locations), model settings from flags > environment > config file,
        the trainee from --trainee > TRAINER_TRAINEE > the remembered name.

        Raises trainer.config.settings.UserError when the model backend is asked for but not configured,
        or the trainee's name given cannot be a name.
        """
        llm = None
        if backend == "openai":
            from trainer.config.settings import resolve_llm

            llm = resolve_llm(base_url=base_url, model=model)
        return cls(
            personas=locations.personas_dir(), rubric=locations.default_rubric(),
            transcripts=locations.transcripts_dir(), backend=backend, llm=llm,
            trainee=resolve_trainee(trainee, remember_trainee), remember_trainee=remember_trainee,
            **options,  # type: ignore[arg-type]
        )

    def but(self, **changes: object) -> AppSettings:
        return replace(self, **changes)  # type: ignore[arg-type]
