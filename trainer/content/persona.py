"""The persona file format: who the customer is, what happened, and how they speak."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from pydantic import Field, model_validator

from trainer.content.formats import Ident, Strict, Text
from trainer.content.vocabulary import (
    REQUIRED_INTENTS,
    TYPE_SOURCES,
    CustomerType,
    Difficulty,
    Fault,
    Intent,
    Language,
    MoodBand,
    Signal,
    SourceDoc,
)

Lines = Annotated[list[Text], Field(min_length=1)]


class HiddenFact(Strict):
    """Something the customer knows but says only when the trainee asks."""

    id: Ident = Field(description="Short name for the fact, unique within the persona.")
    line: Text = Field(
        description="What the customer says when asked (a jinja2 template).",
    )


class Scenario(Strict):
    """What happened, from the customer's side."""

    company: Text = Field(description="The company the trainee works for.")
    product: Text = Field(description="The product or service the call is about.")
    problem: Text = Field(description="The problem in one or two sentences, as a trainer would brief it.")
    fault: Fault = Field(
        description="Who caused the problem: company, customer or nobody. "
        "An apology for fault is owed only when it is the company.",
    )
    facts: dict[Ident, Text] = Field(
        default_factory=dict,
        description="Facts the customer knows and states freely; templates use them as {{ facts.NAME }}.",
    )
    hidden_facts: list[HiddenFact] = Field(
        default_factory=list,
        description="Facts the customer reveals only when the trainee asks a question, in this order.",
    )


class Need(Strict):
    """One thing the customer needs before they accept a resolution."""

    id: Ident = Field(description="Short name, unique within the persona.")
    description: Text = Field(description="What the customer needs, in the trainer's words.")
    signals: list[Signal] = Field(
        default_factory=list,
        description="Signals that must all be present in one trainee turn to meet the need.",
    )
    phrases: list[Text] = Field(
        default_factory=list,
        description="Words in the persona's language of which at least one must also appear "
        "(matched on lemmas), e.g. 'refund', 'voucher' for compensation.",
    )

    @model_validator(mode="after")
    def _something_to_detect(self) -> Need:
        if not self.signals and not self.phrases:
            raise ValueError("a need must list at least one signal or phrase, or it can never be met")
        return self


class Resolution(Strict):
    """What settles this customer, and what makes things worse."""

    summary: Text = Field(description="What resolves it, in one sentence (shown in the preview and the debrief).")
    needs: Annotated[list[Need], Field(min_length=1)] = Field(
        description="Everything the customer needs before accepting; all must be met.",
    )
    worse: Text = Field(description="What makes this customer angrier, in one sentence.")
    worse_phrases: list[Text] = Field(
        default_factory=list,
        description="Words that provoke this customer in particular (matched on lemmas), "
        "e.g. 'restart the router' for someone who has done it five times.",
    )


class Reactions(Strict):
    """How strongly the customer reacts; 1.0 is an average customer."""

    good: float = Field(1.0, ge=0.0, le=3.0, description="Multiplier on how much good moves calm them.")
    bad: float = Field(1.0, ge=0.0, le=3.0, description="Multiplier on how much bad moves anger them.")


class Temperament(Strict):
    """The customer's starting state and limits; the director moves it turn by turn."""

    mood: int = Field(ge=0, le=100, description="Starting mood: 0 calm, 100 furious.")
    patience: int = Field(ge=2, le=40, description="Trainee turns before the customer gives up.")
    reactions: Reactions = Field(default_factory=Reactions)
    accept_below: int = Field(
        35, ge=0, le=100, description="The customer accepts a resolution only when mood is below this."
    )
    leave_above: int = Field(95, ge=1, le=100, description="The customer leaves when mood reaches this.")

    @model_validator(mode="after")
    def _ordered(self) -> Temperament:
        if self.accept_below >= self.leave_above:
            raise ValueError("accept_below must be lower than leave_above")
        return self


BandLines = dict[MoodBand, Lines]


class Persona(Strict):
    """A difficult customer a trainee practises with. Copy a file, change it, no code needed."""

    id: Ident = Field(description="Unique id; by convention the file name without .yaml.")
    name: Text = Field(description="The customer's name as the trainee sees it.")
    language: Language = Field(description="The language the customer speaks.")
    type: CustomerType = Field(description="The customer type from the guidance.")
    difficulty: Difficulty
    source: SourceDoc = Field(description="The guidance document the type comes from (000-004).")
    summary: Text = Field(description="One line for the persona list.")
    voice: Text = Field(
        description="How the customer talks: register, habits, tics. Guides the LLM actor and writers."
    )
    background: str = Field("", description="Who the customer is beyond the problem (optional).")
    scenario: Scenario
    resolution: Resolution
    temperament: Temperament
    opening: Lines = Field(description="First lines of the call; one is picked per session (jinja2 templates).")
    lines: dict[Intent, BandLines] = Field(
        description="Lines for each intent at each mood band (calm, annoyed, angry), as jinja2 templates. "
        f"Required intents: {', '.join(i.value for i in REQUIRED_INTENTS)}.",
    )
    trainer_notes: str = Field("", description="Notes for trainers; never shown to trainees.")

    @model_validator(mode="after")
    def _required_intents(self) -> Persona:
        missing = [i.value for i in REQUIRED_INTENTS if i not in self.lines]
        if missing:
            raise ValueError(f"lines: missing intents {', '.join(missing)}")
        empty = [i.value for i, bands in self.lines.items() if not bands]
        if empty:
            raise ValueError(f"lines: intents with no lines: {', '.join(empty)}")
        return self

    @model_validator(mode="after")
    def _source_describes_type(self) -> Persona:
        allowed = TYPE_SOURCES[self.type]
        if self.source not in allowed:
            names = " or ".join(f"'{s.value}'" for s in allowed)
            raise ValueError(f"source: the {self.type.value} type is described in {names}, not '{self.source.value}'")
        return self

    @model_validator(mode="after")
    def _unique_ids(self) -> Persona:
        for label, ids in (
            ("scenario.hidden_facts", [f.id for f in self.scenario.hidden_facts]),
            ("resolution.needs", [n.id for n in self.resolution.needs]),
        ):
            dupes = sorted({i for i in ids if ids.count(i) > 1})
            if dupes:
                raise ValueError(f"{label}: duplicate id {', '.join(dupes)}")
        return self

    @property
    def company_at_fault(self) -> bool:
        return self.scenario.fault is Fault.company

    def templates(self) -> Iterator[tuple[tuple[str | int, ...], str]]:
        """Every jinja2 template in the persona, with its field path (for error messages)."""
        for i, text in enumerate(self.opening):
            yield ("opening", i), text
        for name, text in self.scenario.facts.items():
            yield ("scenario", "facts", name), text
        for i, fact in enumerate(self.scenario.hidden_facts):
            yield ("scenario", "hidden_facts", i, "line"), fact.line
        for intent, bands in self.lines.items():
            for band, texts in bands.items():
                for i, text in enumerate(texts):
                    yield ("lines", intent.value, band.value, i), text

    def template_context(self) -> dict[str, object]:
        """The variables every persona template may use."""
        return {
            "customer": self.name,
            "company": self.scenario.company,
            "product": self.scenario.product,
            "facts": dict(self.scenario.facts),
        }
