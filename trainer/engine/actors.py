"""Actors voice the director's decisions: the scripted actor from the persona's lines, the LLM actor through a model."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from trainer.content.persona import HiddenFact, Persona
from trainer.content.templates import render, render_file
from trainer.content.vocabulary import Intent, Language, MoodBand
from trainer.engine.director import Decision
from trainer.llm import LLM, LLMError

BAND_ORDER = (MoodBand.calm, MoodBand.annoyed, MoodBand.angry)
# Optional intents fall back to a required one a persona always has.
FALLBACK = {Intent.insult: Intent.complain, Intent.ask_for_manager: Intent.demand, Intent.go_silent: Intent.complain}
INTENT_TEXT = {
    Intent.complain: "complain about the problem and how it affects you",
    Intent.demand: "demand what you need to be satisfied",
    Intent.calm_down: "calm down a little: the agent's last reply helped",
    Intent.accept: "accept the agent's solution; you are satisfied now",
    Intent.threaten_to_leave: "threaten to take your business elsewhere",
    Intent.leave: "end the call: you are leaving, unsatisfied",
    Intent.ask_for_manager: "insist on speaking to a manager or supervisor",
    Intent.insult: "insult the agent personally (rude, but no slurs)",
    Intent.go_silent: "say almost nothing: a word or two at most",
    Intent.thank: "thank the agent",
}
LANGUAGE_NAMES = {"en": "English", "de": "German", "lv": "Latvian", "pl": "Polish", "ru": "Russian", "nl": "Dutch"}


@dataclass(frozen=True)
class Piece:
    """A piece of the customer's line, as it arrives."""

    text: str


@dataclass(frozen=True)
class Restart:
    """Discard the pieces shown so far for this line: a retry follows."""

    reason: str


@dataclass(frozen=True)
class Notice:
    """Something the trainee should know about the backend, shown apart from the conversation."""

    text: str


Event = Piece | Restart | Notice


class ScriptedActor:
    """Speaks the persona's lines: the chosen intent at the mood band, never repeating while an unused line fits."""

    backend = "scripted"
    model = ""

    def __init__(self, persona: Persona, seed: int = 0) -> None:
        self.persona = persona
        self.rng = random.Random(f"{seed}:{persona.id}")
        self.used: set[str] = set()
        context = persona.template_context()
        # A fact may name other facts, as lines do: render each once, so lines and prompts say its value.
        self.facts = {name: render(text, context) for name, text in persona.scenario.facts.items()}
        self.context = {**context, "facts": self.facts}

    def fill(self, template: str) -> str:
        """A persona template (line, hidden fact) with the customer's names and facts filled in."""
        return render(template, self.context)

    def opening_line(self) -> str:
        return self._pick(self.persona.opening)

    def line(self, decision: Decision) -> str:
        if decision.reveal is not None:
            return self.fill(decision.reveal.line)
        intent = decision.intent if decision.intent in self.persona.lines else FALLBACK[decision.intent]
        bands = self.persona.lines[intent]
        order = sorted(BAND_ORDER, key=lambda b: abs(BAND_ORDER.index(b) - BAND_ORDER.index(decision.band)))
        for band in order:
            fresh = [x for x in bands.get(band, []) if x not in self.used]
            if fresh:
                return self._pick(fresh)
        # Every line of this intent has been said: repeat one from the nearest band.
        return self._pick(next(bands[b] for b in order if bands.get(b)), allow_repeat=True)

    def _pick(self, options: list[str], allow_repeat: bool = False) -> str:
        fresh = options if allow_repeat else [x for x in options if x not in self.used] or options
        choice = self.rng.choice(fresh)
        self.used.add(choice)
        return self.fill(choice)

    def speak(self, decision: Decision, history: list[tuple[str, str]], revealed: list[HiddenFact]) -> Iterator[Event]:
        yield Piece(self.line(decision))


@lru_cache(maxsize=1)
def out_of_character_phrases() -> dict[str, list[str]]:
    text = resources.files("trainer").joinpath("data/out_of_character.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@lru_cache(maxsize=8)
def _out_of_character_patterns(code: str) -> list[tuple[str, re.Pattern[str]]]:
    return [(phrase, _whole_words(phrase)) for phrase in out_of_character_phrases().get(code, [])]


def _whole_words(phrase: str) -> re.Pattern[str]:
    # "als ki" must not fire on "als Kind", nor "als ai" on "als airmiles". \w is Unicode-aware on
    # str patterns, so Cyrillic and Latvian letters count; an edge that is punctuation ("agent:") needs no boundary.
    before = r"(?<!\w)" if re.match(r"\w", phrase) else ""
    after = r"(?!\w)" if re.search(r"\w$", phrase) else ""
    return re.compile(before + re.escape(phrase) + after)


def breaks_character(text: str, language: Language) -> str | None:
    """The phrase that shows the model stopped playing the customer, or None."""
    lowered = " ".join(text.replace("\u2019", "'").lower().split())
    for code in {language.value, "en"}:
        for phrase, pattern in _out_of_character_patterns(code):
            if pattern.search(lowered):
                return phrase
    return None


class LLMActor:
    """Streams the customer's line from a model; falls back to the scripted line whenever the model fails."""

    backend = "openai"

    def __init__(self, persona: Persona, llm: LLM, scripted: ScriptedActor) -> None:
        self.persona = persona
        self.llm = llm
        self.model = llm.model
        self.scripted = scripted

    def opening_line(self) -> str:
        return self.scripted.opening_line()

    def speak(self, decision: Decision, history: list[tuple[str, str]], revealed: list[HiddenFact]) -> Iterator[Event]:
        fallback = self.scripted.line(decision)
        messages = self._messages(decision, history, revealed, fallback)
        for attempt in (1, 2):
            text = ""
            try:
                for piece in self.llm.stream(messages, temperature=0.8, max_tokens=160):
                    text += piece
                    yield Piece(piece)
            except LLMError as exc:
                if text:
                    yield Restart("the model's stream broke off")
                yield Notice(f"model unavailable ({exc}); the scripted line is used")
                yield Piece(fallback)
                return
            broken = breaks_character(text, self.persona.language) if text.strip() else "an empty reply"
            if broken is None:
                return
            yield Restart(f"the model broke character ({broken!r})")
            if attempt == 2:
                yield Notice("the model broke character twice; the scripted line is used")
                yield Piece(fallback)

    def _messages(
        self, decision: Decision, history: list[tuple[str, str]], revealed: list[HiddenFact], example: str
    ) -> list[dict[str, str]]:
        persona = self.persona
        fill = self.scripted.fill
        system = render_file(
            "actor.system.j2",
            persona=persona, s=persona.scenario, band=decision.band.value, mood=decision.mood,
            facts=self.scripted.facts, intent_text=INTENT_TEXT[decision.intent],
            reveal=fill(decision.reveal.line) if decision.reveal else "",
            revealed=[fill(fact.line) for fact in revealed],
            example=example, language_name=LANGUAGE_NAMES[persona.language.value],
        )
        messages = [{"role": "system", "content": system}]
        for role, text in history:
            # The model plays the customer, so the customer's lines are its own ("assistant").
            messages.append({"role": "assistant" if role == "customer" else "user", "content": text})
        return messages
