"""Actors voice the director's decisions: the scripted actor from the persona's lines, the LLM actor through a model."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

from trainer.content.persona import HiddenFact, Persona
from trainer.content.templates import render, render_file
from trainer.content.vocabulary import Intent, MoodBand
from trainer.engine.director import Decision
from trainer.engine.guard import LineCheck, VoiceGuard
from trainer.llm import LLM, Budget, LineStream, LineTimeout, LLMError

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


@dataclass(frozen=True)
class Voice:
    """Who voices the line that follows: "model", or "scripted" and why. A later Voice for the same line
    (a model's line cut at a sentence end) replaces the earlier one."""

    by: str
    why: str = ""


Event = Piece | Restart | Notice | Voice
SCRIPTED_BACKEND = "the scripted backend"
OPENING = "opening lines are the persona's own"


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

    def address(self, trainee: str) -> None:
        """Whom the customer is talking to: {{ trainee }} in a line is the trainee's first name ("" when unknown)."""
        self.context["trainee"] = trainee.split()[0] if trainee.split() else ""

    def fill(self, template: str) -> str:
        """A persona template (line, hidden fact) with the customer's names and facts filled in."""
        return render(template, self.context)

    def opening_line(self) -> str:
        return self._pick(self.persona.opening)

    def examples(self, decision: Decision, count: int | None = None) -> list[str]:
        """The persona's own lines for the decision's intent, nearest mood band first (the model's voice examples)."""
        intent = decision.intent if decision.intent in self.persona.lines else FALLBACK[decision.intent]
        bands = self.persona.lines[intent]
        order = sorted(bands, key=lambda b: abs(BAND_ORDER.index(b) - BAND_ORDER.index(decision.band)))
        fitting = self.situational(decision)  # what the call has reached first: the model should not presuppose more
        lines = list(dict.fromkeys(self.fill(line) for line in [*fitting, *(x for band in order for x in bands[band])]))
        return lines if count is None else lines[:count]

    def line(self, decision: Decision) -> str:
        if decision.reveal is not None:
            return self.fill(decision.reveal.line)
        fitting = [x for x in self.situational(decision) if x not in self.used]
        if fitting:
            return self._pick(fitting)
        intent = decision.intent if decision.intent in self.persona.lines else FALLBACK[decision.intent]
        bands = self.persona.lines[intent]
        order = sorted(BAND_ORDER, key=lambda b: abs(BAND_ORDER.index(b) - BAND_ORDER.index(decision.band)))
        for band in order:
            fresh = [x for x in bands.get(band, []) if x not in self.used]
            if fresh:
                return self._pick(fresh)
        # Every line of this intent has been said: repeat one from the nearest band.
        return self._pick(next(bands[b] for b in order if bands.get(b)), allow_repeat=True)

    def situational(self, decision: Decision) -> list[str]:
        """The persona's `lines_when` for this intent and band whose condition the call has reached."""
        found: list[str] = []
        for group in self.persona.lines_when:
            when = group.when
            if group.intent is not decision.intent or group.band not in (None, decision.band):
                continue
            if not set(when.needs_met) <= decision.needs_met or not set(when.revealed) <= set(decision.revealed):
                continue
            if not {f"need:{x}" for x in when.just_met} <= set(decision.moves):
                continue
            if when.boundary_set is not None and when.boundary_set is not decision.boundary_set:
                continue
            if not {m.value for m in when.moves} <= decision.present:
                continue
            found.extend(group.lines)
        return found

    def _pick(self, options: list[str], allow_repeat: bool = False) -> str:
        fresh = options if allow_repeat else [x for x in options if x not in self.used] or options
        choice = self.rng.choice(fresh)
        self.used.add(choice)
        return self.fill(choice)

    def speak(self, decision: Decision, history: list[tuple[str, str]], revealed: list[HiddenFact]) -> Iterator[Event]:
        yield Voice("scripted", SCRIPTED_BACKEND)
        yield Piece(self.line(decision))

    def stop(self) -> None:
        """A scripted line is said at once: there is nothing to cancel."""


@dataclass(frozen=True)
class Prompting:
    """How the model is asked for a line. The defaults are what kept most of SmolLM2's lines in the customer's
    voice (benchmarks/model_voice.py measures each); the benchmark turns them off one by one."""

    examples: int = 4  # the persona's own lines for the intent and mood, as examples of its voice (0: one line)
    turns: int = 6  # the last turns of the call the model sees (0: the whole call)
    tokens_per_word: int = 4  # max_tokens: the line's word cap times this (0: a flat 160)
    stop: tuple[str, ...] = ("\n\n", "\nAgent", "Agent:", "\nYou:")  # where the model starts another turn
    temperature: float = 0.8
    seed: int | None = None  # sent to the endpoint when set, so a benchmark can compare variants on equal draws


class LLMActor:
    """Streams the customer's line from a model, through the voice guard, within the line's time budget.

    When the endpoint fails (no first word in time, errors after the retries that
    fit, a broken stream) the scripted line is used, and so is every later line of
    this call: a trainee pays the wait once, with one notice. The next call tries
    the model again. A line out of character is retried once if its time allows,
    then the scripted line is used.
    """

    backend = "openai"

    def __init__(self, persona: Persona, llm: LLM, scripted: ScriptedActor, prompting: Prompting | None = None) -> None:
        self.persona = persona
        self.llm = llm
        self.model = llm.model
        self.scripted = scripted
        self.prompting = prompting or Prompting()
        self.guard = VoiceGuard(scripted)
        self.unavailable: str | None = None  # why the model failed in this call, once it has
        self._stream: LineStream | None = None
        self._cancel = threading.Event()

    def opening_line(self) -> str:
        return self.scripted.opening_line()

    def stop(self) -> None:
        """End the current line now and close its request, from any thread."""
        self._cancel.set()
        if self._stream is not None:
            self._stream.close()

    def speak(self, decision: Decision, history: list[tuple[str, str]], revealed: list[HiddenFact]) -> Iterator[Event]:
        cancel = self._cancel = threading.Event()  # a line stopped earlier keeps its own, already set
        fallback = self.scripted.line(decision)
        if self.unavailable is not None:
            yield Voice("scripted", f"the model failed earlier in this call ({self.unavailable})")
            yield Piece(fallback)
            return
        budget = Budget.of(self.llm.settings)
        messages = self._messages(decision, history, revealed, fallback)
        started = time.monotonic()
        rejected = ""
        for attempt in (1, 2):
            left = budget.total - (time.monotonic() - started)
            if attempt == 2 and left < budget.first_token:
                rejected += "; no time left to ask again"
                break
            check = self.guard.check(decision)
            line_budget = Budget(min(budget.first_token, left), left, budget.retries)
            shown = False
            try:
                for event in self._stream_line(messages, line_budget, check):
                    shown = shown or isinstance(event, Piece)
                    yield event
            except LLMError as exc:
                if cancel.is_set():
                    return
                self.unavailable = str(exc)
                if shown:
                    yield Restart("the model's stream broke off")
                yield Notice(f"model unavailable ({exc}); the rest of this call uses the persona's scripted lines")
                yield Voice("scripted", f"the model failed ({exc})")
                yield Piece(fallback)
                return
            if cancel.is_set() or check.kept:
                return
            rejected = check.rejected or "an empty reply"
        yield Voice("scripted", f"the model's line was out of character: {rejected}")
        yield Piece(fallback)

    def _stream_line(self, messages: list[dict[str, str]], budget: Budget, check: LineCheck) -> Iterator[Event]:
        """One try: the sentences that pass the guard, as they complete. Raises LLMError when the endpoint fails
        before any sentence was kept."""
        prompting = self.prompting
        options: dict[str, object] = {"temperature": prompting.temperature}
        options["max_tokens"] = check.cap * prompting.tokens_per_word if prompting.tokens_per_word else 160
        if prompting.stop:
            options["stop"] = list(prompting.stop)
        if prompting.seed is not None:
            options["seed"] = prompting.seed
        stream = self._stream = self.llm.stream(messages, budget, **options)
        if self._cancel.is_set():  # stopped while the request was being made
            stream.close()
        said = 0

        def shown(sentences: list[str]) -> Iterator[Event]:
            nonlocal said
            for sentence in sentences:
                if not said:
                    yield Voice("model")
                yield Piece(sentence if not said else " " + sentence)
                said += 1

        try:
            for piece in stream:
                yield from shown(check.feed(piece))
                if check.done:
                    break  # the rest is not wanted: closing the stream stops the model generating it
            else:
                if not stream.closed:
                    yield from shown(check.finish(complete=stream.finish_reason != "length"))
        except LineTimeout as exc:
            check.deadline(str(exc))
            if not check.kept:
                raise
        finally:
            stream.close()  # also when whoever reads the line stops reading: the request ends with it
        if check.kept and check.trimmed:
            yield Voice("model", f"cut at a sentence end: {check.trimmed}")

    def _messages(
        self, decision: Decision, history: list[tuple[str, str]], revealed: list[HiddenFact], fallback: str
    ) -> list[dict[str, str]]:
        persona, prompting = self.persona, self.prompting
        fill = self.scripted.fill
        examples = self.scripted.examples(decision, prompting.examples) if prompting.examples else []
        system = render_file(
            "actor.system.j2",
            persona=persona, s=persona.scenario, band=decision.band.value, mood=decision.mood,
            facts=self.scripted.facts, intent_text=INTENT_TEXT[decision.intent],
            reveal=fill(decision.reveal.line) if decision.reveal else "",
            revealed=[fill(fact.line) for fact in revealed],
            examples=examples or [fallback],
            language_name=LANGUAGE_NAMES[persona.language.value],
        )
        messages = [{"role": "system", "content": system}]
        recent = history[-prompting.turns:] if prompting.turns else history
        for role, text in recent:
            # The model plays the customer, so the customer's lines are its own ("assistant").
            messages.append({"role": "assistant" if role == "customer" else "user", "content": text})
        return messages
