"""The customer's voice guard: a model's line reaches the trainee only as this customer would say it.

A line is checked a sentence at a time as it streams. A sentence that does what
an agent does (offers help, asks how it can assist, apologises or commits in the
company's name, talks about being an AI: the phrases in data/out_of_character.yaml
and the scorer's own detectors), or that takes the line past the words this
customer's own lines run to, ends the line before it; if it is the first sentence,
the line is rejected. Stage directions, role labels and quotes around the line are
cut away first.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

import yaml

from trainer.content.vocabulary import Cue, Language, Signal
from trainer.engine.director import Decision

if TYPE_CHECKING:
    from trainer.engine.actors import ScriptedActor

CAP_SLACK = 1.5  # a model's line may run this much longer than the persona's longest line for the moment
MIN_CAP = 8  # words: even a customer who says "Mm." may say a short sentence

# An agent's moves, as the scorer detects them: an apology or empathy together with a second one is the agent.
_AGENT_SIGNALS = (Signal.apology, Signal.empathy, Signal.commitment)
_AGENT_CUES = (Cue.compensation, Cue.documentation)  # not follow_up: "I'll call back" is a customer's too
_ADDRESSING = (Signal.apology, Signal.empathy)

_SENTENCE_END = re.compile(r"[.!?…]+[\"'»”’)\]]*\s+|\n+")
_STAGE = re.compile(r"\([^()]*\)|\*[^*\n]+\*|\[[^\[\]]*\]")
_QUOTES = "\"“”„«»"
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|„[^“”]*[“”]|«[^»]*»")
_LABEL = re.compile(r"^\s*[*_]*([^\W\d][\w .'’-]{0,40}?)[*_]*\s*:\s*")


@lru_cache(maxsize=1)
def _phrase_file() -> dict[str, dict[str, list[str]]]:
    text = resources.files("trainer").joinpath("data/out_of_character.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@lru_cache(maxsize=8)
def _agent_patterns(code: str) -> list[tuple[str, re.Pattern[str]]]:
    return [(phrase, _whole_words(phrase)) for phrase in _phrase_file()["agent"].get(code, [])]


def _whole_words(phrase: str) -> re.Pattern[str]:
    # "als ki" must not fire on "als Kind", nor "als ai" on "als airmiles". \w is Unicode-aware on
    # str patterns, so Cyrillic and Latvian letters count; an edge that is punctuation ("agent:") needs no boundary.
    before = r"(?<!\w)" if re.match(r"\w", phrase) else ""
    after = r"(?!\w)" if re.search(r"\w$", phrase) else ""
    return re.compile(before + re.escape(phrase) + after)


def agent_phrase(text: str, language: Language) -> str | None:
    """The out-of-character phrase in `text` (English ones count in every language), or None."""
    lowered = " ".join(_QUOTED.sub(" ", text).replace("\u2019", "'").lower().split())
    for code in dict.fromkeys((language.value, "en")):
        for phrase, pattern in _agent_patterns(code):
            if pattern.search(lowered):
                return phrase
    return None


def agent_moves(text: str, language: Language) -> list[str]:
    """The agent's moves the scorer's detectors find in `text` when it sounds like the agent, else [].

    It does when it apologises or empathises and then commits or compensates: "I'm sorry, I'll send a
    technician". (An apology next to empathy is a customer's too: "Sorry. No, not sorry.") A customer's own apology comes after what they will do ("I'll leave it. Sorry to have
    taken up your time."), a customer calls back too ("Sorry, I need to sleep on it. I'll call back."),
    and a one-word sigh ("Ojej") is not the agent's empathy; one move alone is anybody's.
    """
    from trainer.scoring.detectors import detectors_for

    text = _QUOTED.sub(lambda quoted: " " * len(quoted.group()), text)
    reading = detectors_for(language).read_trainee(text)
    starts = {s.value: reading.signals[s][0][0] for s in _AGENT_SIGNALS if reading.signals.get(s)}
    starts |= {c.value: reading.cues[c][0][0] for c in _AGENT_CUES if reading.cues.get(c)}
    if Signal.empathy.value in starts and all(len(text[a:b].split()) < 2 for a, b in reading.signals[Signal.empathy]):
        del starts[Signal.empathy.value]
    opener = min((starts[s.value] for s in _ADDRESSING if s.value in starts), default=None)
    addressing = {s.value for s in _ADDRESSING}
    if opener is None or not any(start >= opener for move, start in starts.items() if move not in addressing):
        return []
    return sorted(starts, key=starts.__getitem__)


def agent_voice(text: str, language: Language) -> str | None:
    """Why `text` sounds like the agent rather than the customer, or None."""
    phrase = agent_phrase(text, language)
    if phrase is not None:
        return f"talks as the agent or an AI ({phrase!r})"
    moves = agent_moves(text, language)
    if moves:
        return f"does what the agent does ({' and '.join(moves)})"
    return None


class VoiceGuard:
    """The checks for one persona: how long its lines may run, and whose voice a line is in."""

    def __init__(self, scripted: ScriptedActor) -> None:
        self.scripted = scripted
        self.persona = persona = scripted.persona
        labels = _phrase_file()["labels"].get(persona.language.value, []) + _phrase_file()["labels"]["en"]
        self.labels = {label.lower() for label in labels} | {persona.name.lower()}
        self.labels |= {part.lower().strip(".,") for part in persona.name.split()}

    def cap(self, decision: Decision) -> int:
        """The most words a model's line may have here: the persona's longest line for the moment, with slack."""
        if decision.reveal is not None:
            lines = [self.scripted.fill(decision.reveal.line)]
        else:
            lines = self.scripted.examples(decision)
        longest = max((len(line.split()) for line in lines), default=MIN_CAP)
        return max(MIN_CAP, math.ceil(longest * CAP_SLACK))

    def check(self, decision: Decision) -> LineCheck:
        return LineCheck(self, self.cap(decision))

    def agent_voice(self, sentence: str) -> str | None:
        return agent_voice(sentence, self.persona.language)


@dataclass
class LineCheck:
    """One line as it streams: `feed` pieces, get back the sentences that passed, in order.

    `rejected` says why the line cannot be used at all (its first sentence failed);
    `trimmed` why it ended before the model did. Once either is set (`done`), the
    rest of the stream is not wanted.
    """

    guard: VoiceGuard
    cap: int
    kept: list[str] = field(default_factory=list)
    rejected: str | None = None
    trimmed: str | None = None
    _buffer: str = ""
    _words: int = 0
    _quoted: bool = False

    @property
    def done(self) -> bool:
        return self.rejected is not None or self.trimmed is not None

    @property
    def text(self) -> str:
        return " ".join(self.kept)

    def feed(self, piece: str) -> list[str]:
        self._buffer += piece
        passed: list[str] = []
        while not self.done:
            end = _SENTENCE_END.search(self._buffer)
            if end is None:
                break
            sentence, self._buffer = self._buffer[: end.end()], self._buffer[end.end():]
            passed += self._take(sentence)
        if not self.done and self._words + len(_STAGE.sub(" ", self._buffer).split()) > self.cap:
            self._stop(self._too_long())  # a run-on sentence: no need to wait for its end
        return passed

    def finish(self, complete: bool = True) -> list[str]:
        """The stream ended; `complete` is False when max_tokens cut it, so its unfinished sentence is dropped."""
        rest, self._buffer = self._buffer, ""
        passed: list[str] = []
        if not self.done and rest.strip():
            if complete:
                passed = self._take(rest)
            elif self._clean(rest):
                self._stop("the model ran out of tokens mid-sentence")
        if not self.kept and self.rejected is None:
            self.rejected = "an empty reply"
        return passed

    def deadline(self, why: str) -> None:
        """The line's time ran out: it ends with what has passed, or is rejected if nothing has."""
        self._buffer = ""
        if not self.done:
            self._stop(why)

    def _take(self, raw: str) -> list[str]:
        sentence = self._clean(raw)
        if not sentence:
            return []  # a stage direction on its own
        why = self.guard.agent_voice(" ".join([*self.kept, sentence]))  # the agent's moves may span sentences
        words = len(sentence.split())
        if why is None and self._words + words > self.cap:
            why = self._too_long()
        if why is not None:
            self._stop(why)
            return []
        self.kept.append(sentence)
        self._words += words
        return [sentence]

    def _too_long(self) -> str:
        return f"longer than the {self.cap} words this customer's lines run to here"

    def _stop(self, why: str) -> None:
        if self.kept:
            self.trimmed = why
        else:
            self.rejected = why

    def _clean(self, raw: str) -> str:
        text = _STAGE.sub(" ", raw)
        if not self.kept:
            label = _LABEL.match(text)
            if label and label.group(1).strip().lower() in self.guard.labels:
                text = text[label.end():]
            stripped = text.lstrip()
            if stripped[:1] in _QUOTES:
                self._quoted = True
        if self._quoted:
            text = text.strip().strip(_QUOTES)
        return " ".join(text.split())
