"""The persona file format: who the customer is, what happened, and how they speak."""

from __future__ import annotations

from collections.abc import Iterator
from enum import Enum
from typing import Annotated

from pydantic import Field, field_validator, model_validator

from trainer.content.formats import Ident, Strict, Text
from trainer.content.phrases import check_phrases
from trainer.content.vocabulary import (
    REQUIRED_INTENTS,
    TYPE_SOURCES,
    Cue,
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
    """Something the customer knows but says only when the trainee asks about it."""

    id: Ident = Field(description="Short name for the fact, unique within the persona.")
    line: Text = Field(
        description="What the customer says when asked (a jinja2 template).",
    )
    topics: list[Text] = Field(
        default_factory=list,
        description="What a question must be about to reveal this fact: phrases in the persona's language, "
        "in the phrase-list syntax and matched on lemmas ('error|code|display', 'when * happen'). "
        "A question on another topic reveals nothing. Without topics, any question reveals the fact "
        "(in file order).",
    )
    after_need: Ident | None = Field(
        None, description="Said only once this need (an id under resolution.needs) has been met."
    )

    @field_validator("topics")
    @classmethod
    def _topics_well_formed(cls, topics: list[str]) -> list[str]:
        return check_phrases(topics)


class NeedCheck(str, Enum):
    """What a trainee turn must contain, beyond signals and phrases, to meet a need."""

    figure = "figure"  # a number: an amount, a count, a percentage
    time = "time"  # a time or a date: "by 5 pm", "on Friday", "tomorrow", "12.3."
    open_question = "open_question"  # a question that cannot be answered yes or no ("what", "how", "warum")
    statement = "statement"  # an explanation: a sentence of at least eight words that is not a question


class NeedExamples(Strict):
    """Trainee sentences that show what meets a need; `trainer validate` checks each."""

    meets: list[Text] = Field(default_factory=list, description="Sentences that must meet the need on their own.")
    misses: list[Text] = Field(default_factory=list, description="Sentences that must not meet it.")


class WorseExamples(Strict):
    """Trainee sentences that show what provokes the customer; `trainer validate` checks each."""

    provokes: list[Text] = Field(
        default_factory=list, description="Sentences in which a worse phrase must be found."
    )
    fine: list[Text] = Field(default_factory=list, description="Sentences in which no worse phrase may be found.")


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
        description="Facts the customer reveals only when the trainee asks about them (see topics).",
    )


class Need(Strict):
    """One thing the customer needs before they accept a resolution."""

    id: Ident = Field(description="Short name, unique within the persona.")
    description: Text = Field(description="What the customer needs, in the trainer's words.")
    signals: list[Signal | Cue] = Field(
        default_factory=list,
        description="Signals (or cues: compensation, reason, follow_up, documentation…) that must all be "
        "present in one trainee turn to meet the need.",
    )
    phrases: list[Text] = Field(
        default_factory=list,
        description="Words in the persona's language of which at least one must also appear "
        "(matched on lemmas), e.g. 'refund', 'voucher' for compensation.",
    )
    requires: list[NeedCheck] = Field(
        default_factory=list,
        description="What the same turn must also contain: figure, time, open_question, statement.",
    )
    without: list[Signal | Cue] = Field(
        default_factory=list,
        description="Signals or cues that must not be in the turn, e.g. blame for an explanation to a customer "
        "at fault, deflection for an apology.",
    )
    examples: NeedExamples = Field(default_factory=NeedExamples)

    @field_validator("phrases")
    @classmethod
    def _phrases_well_formed(cls, phrases: list[str]) -> list[str]:
        return check_phrases(phrases)

    @model_validator(mode="after")
    def _something_to_detect(self) -> Need:
        if not self.signals and not self.phrases and not self.requires:
            raise ValueError("a need must list at least one signal, phrase or check, or it can never be met")
        clash = sorted(s.value for s in set(self.signals) & set(self.without))
        if clash:
            raise ValueError(f"a need cannot both require and forbid {', '.join(clash)}")
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
        "e.g. 'restart the router' for someone who has done it five times. A negated "
        "('you don't need to restart the router') or quoted one does not count.",
    )
    worse_exceptions: list[Text] = Field(
        default_factory=list,
        description="Phrases that cancel a worse phrase they overlap ('no rush' for 'rush').",
    )
    worse_examples: WorseExamples = Field(default_factory=WorseExamples)

    @field_validator("worse_phrases", "worse_exceptions")
    @classmethod
    def _worse_well_formed(cls, phrases: list[str]) -> list[str]:
        return check_phrases(phrases)


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
    short_fuse: bool = Field(
        False,
        description="Leaves on a single blunt reply. Without it, one bad turn can take the mood no further "
        "than just below leave_above, and the customer warns before leaving.",
    )

    @model_validator(mode="after")
    def _ordered(self) -> Temperament:
        if self.accept_below >= self.leave_above:
            raise ValueError("accept_below must be lower than leave_above")
        return self


BandLines = dict[MoodBand, Lines]


class LineCondition(Strict):
    """What must be true of the call for a line to be said: the moves it presupposes."""

    needs_met: list[Ident] = Field(default_factory=list, description="Needs (ids) met so far in the call.")
    just_met: list[Ident] = Field(
        default_factory=list, description="Needs (ids) met by the trainee's last turn, not earlier."
    )
    revealed: list[Ident] = Field(default_factory=list, description="Hidden facts (ids) the customer has told.")
    boundary_set: bool | None = Field(None, description="true: only after the trainee set a boundary; false: only before.")
    moves: list[Signal | Cue] = Field(
        default_factory=list, description="Signals or cues all present in the trainee's last turn."
    )


class ConditionalLines(Strict):
    """Lines for an intent that are said only when their condition holds, before the plain lines of `lines`."""

    intent: Intent
    band: MoodBand | None = Field(None, description="Only at this mood band; any band when absent.")
    when: LineCondition
    lines: Lines = Field(description="What the customer says (jinja2 templates).")


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
    lines_when: list[ConditionalLines] = Field(
        default_factory=list,
        description="Lines said only when the call has reached a state (a need met, a fact told, a boundary set, "
        "a move just made), preferred then over the plain lines of the same intent; so no line presupposes "
        "a move that did not happen.",
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
        needs = {n.id for n in self.resolution.needs}
        facts = {f.id for f in self.scenario.hidden_facts}
        for i, group in enumerate(self.lines_when):
            unknown = [x for x in [*group.when.needs_met, *group.when.just_met] if x not in needs]
            unknown += [x for x in group.when.revealed if x not in facts]
            if unknown:
                raise ValueError(f"lines_when[{i}].when: no need or hidden fact called {', '.join(unknown)}")
        for fact in self.scenario.hidden_facts:
            if fact.after_need is not None and fact.after_need not in needs:
                raise ValueError(
                    f"scenario.hidden_facts: {fact.id} waits for need {fact.after_need!r}, "
                    f"which resolution.needs does not have ({', '.join(sorted(needs))})"
                )
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
        for g, group in enumerate(self.lines_when):
            for i, text in enumerate(group.lines):
                yield ("lines_when", g, "lines", i), text

    def template_context(self) -> dict[str, object]:
        """The variables every persona template may use."""
        return {
            "customer": self.name,
            "company": self.scenario.company,
            "product": self.scenario.product,
            "facts": dict(self.scenario.facts),
            "trainee": "",  # the trainee's first name once a call knows it; "" when unknown
        }
