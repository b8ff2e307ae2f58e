"""The phrase-list file format (rubrics/phrases/<language>.yaml): what a trainer writes for each signal and cue."""

from __future__ import annotations

import re

from pydantic import Field, field_validator, model_validator

from trainer.content.formats import Strict, Text
from trainer.content.vocabulary import Cue, CustomerCue, Language, Signal

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


def check_phrases(phrases: list[str]) -> list[str]:
    """A phrase the matcher can compile, or a ValueError saying what is wrong with it (a list's validator)."""
    for phrase in phrases:
        parts = phrase.split()
        if parts[0] == "*" or parts[-1] == "*":
            raise ValueError(f"a phrase cannot start or end with '*': {phrase!r}")
        for part in parts:
            if "|" in part and any(len(_WORD.findall(o.strip("=").rstrip("*"))) != 1 for o in part.split("|")):
                raise ValueError(f"each choice in 'a|b' must be one word: {part!r} in {phrase!r}")
    return phrases


class Group(Strict):
    """Phrases or regular expressions of which one must match."""

    phrases: list[Text] = Field(default_factory=list)
    patterns: list[Text] = Field(default_factory=list, description="Regular expressions, matched case-insensitively.")

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"not a valid regular expression: {pattern!r} ({exc})") from None
        return patterns

    @field_validator("phrases")
    @classmethod
    def _well_formed(cls, phrases: list[str]) -> list[str]:
        return check_phrases(phrases)


class Detection(Group):
    """How one signal or cue is found in a turn."""

    exceptions: list[Text] = Field(
        default_factory=list, description="Phrases that cancel an overlapping match ('no problem' for 'no')."
    )
    also: list[Group] = Field(
        default_factory=list,
        description="Further groups that must each match in the same sentence (e.g. a time for a commitment).",
    )
    negatable: bool = Field(True, description="A negator just before the phrase cancels it ('not sorry').")

    @field_validator("exceptions")
    @classmethod
    def _exceptions_well_formed(cls, phrases: list[str]) -> list[str]:
        return check_phrases(phrases)


class PhraseList(Strict):
    """Everything the detectors need to know about one language."""

    language: Language
    negators: list[Text] = Field(description="Words that negate the phrase after them: not, never, kein, не…")
    stopwords: list[Text] = Field(description="Words ignored when comparing a paraphrase with the customer's turn.")
    question_openers: list[Text] = Field(
        default_factory=list, description="Words that open a question even without a question mark."
    )
    not_questions: list[Text] = Field(
        default_factory=list,
        description="Phrases that open a statement although their first word is a question opener "
        "('wie gesagt', 'what I can do is').",
    )
    paraphrase_openers: list[Text] = Field(
        default_factory=list, description="Sentence openers that, with shared content words, restate ('so', 'also')."
    )
    not_specifics: list[Text] = Field(
        default_factory=list,
        description="Words that name the customer's problem without restating it ('problem', 'what happened'): "
        "a paraphrase opener needs two other content words after it.",
    )
    signals: dict[Signal, Detection]
    cues: dict[Cue, Detection]
    customer: dict[CustomerCue, Detection]

    @model_validator(mode="after")
    def _complete(self) -> PhraseList:
        for label, have, want in (
            ("signals", self.signals, Signal),
            ("cues", self.cues, Cue),
            ("customer", self.customer, CustomerCue),
        ):
            missing = [x.value for x in want if x not in have]
            if missing:
                raise ValueError(f"{label}: missing {', '.join(missing)}")
        return self


