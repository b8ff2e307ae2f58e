"""The rubric file format: criteria that turn detector signals into verdicts."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from trainer.content.formats import Ident, Strict, Text
from trainer.content.vocabulary import DETECTOR_NAMES, CustomerType, Fault, Language

# One flat choice of the eleven signals and the cues, so an unknown name gets
# one error listing every name that would do.
DetectorName = Literal[DETECTOR_NAMES]  # type: ignore[valid-type]

Citation = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^00[0-4]\b.*")]


class Applies(str, Enum):
    """Which trainee turns a criterion is judged on."""

    every_turn = "every_turn"
    first_reply = "first_reply"
    company_at_fault = "company_at_fault"
    customer_at_fault = "customer_at_fault"
    before_first_solution = "before_first_solution"
    after_manager_request = "after_manager_request"
    after_abuse = "after_abuse"
    session = "session"


class Scope(str, Enum):
    """Whether every applicable turn is graded, or the behaviour is owed once in the window."""

    each_turn = "each_turn"
    once = "once"


class Criterion(Strict):
    """One behaviour the trainee is graded on."""

    id: Ident
    title: Text = Field(description="Short title shown in the debrief.")
    source: Annotated[list[Citation], Field(min_length=1)] = Field(
        description="Where the guidance says this, e.g. '000 step 2' or '001 part 2 step 3'.",
    )
    weight: float = Field(gt=0, le=10, description="Relative weight in the session score.")
    applies: Applies = Field(description="Which turns the criterion is judged on.")
    scope: Scope = Field(
        Scope.each_turn,
        description="each_turn: every applicable turn gets a verdict; "
        "once: the behaviour is owed once in the window.",
    )
    within: int | None = Field(
        None,
        ge=1,
        le=20,
        description="With scope once: the behaviour must come within this many trainee turns of the window opening.",
    )
    satisfied_by: list[DetectorName] = Field(
        default_factory=list, description="Any of these signals or cues meets the criterion."
    )
    violated_by: list[DetectorName] = Field(
        default_factory=list,
        description="Any of these signals or cues misses the criterion, whatever else is there.",
    )
    judge: bool = Field(False, description="An optional LLM judge may grade this criterion too.")
    judge_question: str = Field(
        "", description="The yes/no question the LLM judge answers for a turn; 'yes' must mean the criterion is met."
    )
    tips: dict[Language, Text] = Field(
        description="A short tip for the debrief, per language; 'en' is required and the fallback.",
    )
    example: dict[Language, Text] = Field(
        default_factory=dict,
        description="Words the trainee could say instead, per language ('en' the fallback); "
        "the debrief builds its better phrasing of a weak turn from them.",
    )
    practise_with: list[CustomerType] = Field(
        default_factory=list,
        description="Customer types whose personas train this behaviour; the debrief suggests them.",
    )

    @model_validator(mode="after")
    def _checkable(self) -> Criterion:
        if not self.satisfied_by and not self.violated_by:
            raise ValueError("a criterion needs satisfied_by or violated_by signals, or it can never be graded")
        if Language.en not in self.tips:
            raise ValueError("tips: an 'en' tip is required (it is the fallback for other languages)")
        if self.within is not None and self.scope is not Scope.once:
            raise ValueError("within applies only to scope: once")
        if self.judge and not self.judge_question:
            raise ValueError("judge: true needs a judge_question")
        return self

    def tip(self, language: Language) -> str:
        return self.tips.get(language) or self.tips[Language.en]

    def example_in(self, language: Language) -> str:
        return self.example.get(language) or self.example.get(Language.en, "")


class Requirement(Strict):
    """One session a certification needs: which customers qualify, and the score needed with one of them."""

    id: Ident
    title: Text = Field(description="What the certificate and the explanations call it, e.g. 'An aggressive customer'.")
    personas: list[Ident] = Field(default_factory=list, description="Any of these persona ids qualifies.")
    types: list[CustomerType] = Field(default_factory=list, description="Customers of any of these types qualify.")
    languages: list[Language] = Field(default_factory=list, description="Customers in any of these languages qualify.")
    fault: Fault | None = Field(None, description="Only customers whose scenario has this fault qualify.")
    min_score: float = Field(ge=0, le=100, description="The session score (0-100) needed; the session must also pass.")

    @model_validator(mode="after")
    def _narrowed(self) -> Requirement:
        if not (self.personas or self.types or self.languages or self.fault):
            raise ValueError("a requirement needs personas, types, languages or fault, or any session would do")
        return self


class Certification(Strict):
    """The certification track: sessions a trainee must complete, in exam mode, each signed and verified."""

    title: Text = Field(description="The title the certificate awards.")
    description: str = ""
    mode: Literal["exam", "practice"] = Field("exam", description="The mode each session must have been taken in.")
    signed: bool = Field(True, description="Each session must be signed by a known trainer key and verify.")
    requirements: Annotated[list[Requirement], Field(min_length=1)] = Field(
        description="Each needs its own session: one session never counts for two requirements.",
    )

    @model_validator(mode="after")
    def _unique_ids(self) -> Certification:
        _unique("requirements", [r.id for r in self.requirements])
        return self


class Rubric(Strict):
    """A set of weighted criteria and the score a session needs to pass."""

    id: Ident
    title: Text
    version: int = Field(1, ge=1, description="Bump when criteria change, so re-scored sessions say which version.")
    description: str = ""
    pass_threshold: float = Field(ge=0, le=100, description="Session score (0-100) needed to pass.")
    criteria: Annotated[list[Criterion], Field(min_length=1)]
    certification: Certification | None = Field(
        None, description="Optional certification track: the exam sessions `trainer certify` requires.",
    )

    @model_validator(mode="after")
    def _unique_ids(self) -> Rubric:
        _unique("criteria", [c.id for c in self.criteria])
        return self


def _unique(field: str, ids: list[str]) -> None:
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ValueError(f"{field}: duplicate id {', '.join(dupes)}")
