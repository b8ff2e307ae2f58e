"""Detectors: read one turn and report signals and cues, each with the character spans that triggered it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from trainer.content.loader import load_model
from trainer.content.phrases import Detection, Group, PhraseList
from trainer.content.vocabulary import Cue, CustomerCue, Language, Signal
from trainer.scoring.lexicon import SIMPLEMMA_VERSION
from trainer.scoring.matcher import NEGATION_REACH, Match, PhraseIndex, Token, normalise, tokenize

Span = tuple[int, int]
RESTATED = 2  # content words a paraphrase opener must be followed by: the specifics it restates

_SHOUT_WORD = re.compile(r"[^\W\d_]{2,}")
_UPPER = "".join(c for c in map(chr, range(0x41, 0x530)) if c.isupper() and c.isalpha())
_CAPITALS = re.compile(f"[{re.escape(_UPPER)}]{{2,}}")  # quick test before looking for shouting
_BURST = re.compile(r"!{2,}|[!?]{3,}|\?!|!\?")
_CLAUSE_BREAK = re.compile(r"[,;:—–()\"]| - ")


@dataclass
class TurnReading:
    """What the detectors found in one turn: spans per signal, per cue, and the phrases matched."""

    signals: dict[Signal, list[Span]] = field(default_factory=dict)
    cues: dict[Cue, list[Span]] = field(default_factory=dict)
    customer: dict[CustomerCue, list[Span]] = field(default_factory=dict)
    phrases: dict[str, list[str]] = field(default_factory=dict)  # detector name -> matched words, lowercased
    tokens: list[Token] = field(default_factory=list)  # the turn's words, for whoever reads it next (the director)

    def spans(self, name: str) -> list[Span]:
        # Signal, Cue and CustomerCue are str enums: their members are equal to their names.
        return self.signals.get(name) or self.cues.get(name) or self.customer.get(name) or []  # type: ignore[call-overload]


class _Compiled:
    """One signal's or cue's phrases, exceptions and `also` groups, as owners in the shared index."""

    def __init__(self, detection: Detection, index: PhraseIndex) -> None:
        self.main = index.add(detection)
        self.exceptions = index.add(Group(phrases=detection.exceptions)) if detection.exceptions else None
        self.also = [index.add(group) for group in detection.also]
        self.negatable = detection.negatable

    def pick(self, found: dict[int, list[Match]], tokens: list[Token], text: str, negators: frozenset[str]) -> list[Match]:
        candidates = found.get(self.main)
        if not candidates:
            return []
        blocked = found.get(self.exceptions, []) if self.exceptions is not None else []
        kept: list[Match] = []
        for match in candidates:
            if blocked and any(b.start < match.end and match.start < b.end for b in blocked):
                continue
            if self.negatable and negated(tokens, text, match, negators):
                continue
            if self.also:
                sentence = tokens[match.first].sentence if tokens else 0
                extra = []
                for owner in self.also:
                    hits = [m for m in found.get(owner, []) if tokens and tokens[m.first].sentence == sentence]
                    if not hits:
                        break
                    extra.append(hits[0])
                else:
                    kept.append(match)
                    kept.extend(extra)
                continue
            kept.append(match)
        return kept


def negated(tokens: list[Token], text: str, match: Match, negators: frozenset[str]) -> bool:
    """Whether a negator earlier in the same clause cancels the match ("not sorry", "you don't need to restart")."""
    if not tokens:
        return False
    sentence = tokens[match.first].sentence
    for i in range(max(0, match.first - NEGATION_REACH), match.first):
        token = tokens[i]
        if token.sentence != sentence:
            continue
        if token.surface in negators or token.lemma in negators:
            # "Don't worry, I'll call you" – a negator in an earlier clause negates nothing here.
            if not _CLAUSE_BREAK.search(text, token.end, match.start):
                return True
    return False


class Detectors:
    """The detectors for one language, compiled once from its phrase list."""

    def __init__(self, phrases: PhraseList) -> None:
        self.language = phrases.language.value
        lang = self.language
        self.negators = _words(phrases.negators)
        self.trainee_index = PhraseIndex(lang)
        self.signals = {s: _Compiled(d, self.trainee_index) for s, d in phrases.signals.items()}
        self.cues = {c: _Compiled(d, self.trainee_index) for c, d in phrases.cues.items()}
        self.customer_index = PhraseIndex(lang)
        self.customer_cues = {c: _Compiled(d, self.customer_index) for c, d in phrases.customer.items()}
        self.stopwords = _words(phrases.stopwords)
        self.question_openers = _words(phrases.question_openers)
        self._not_questions = self.trainee_index.add(Group(phrases=phrases.not_questions))
        self.paraphrase_openers = _words(phrases.paraphrase_openers)
        self.not_specifics = _words(phrases.not_specifics)
        self._content_cache: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
        self._customer_words: dict[str, list[Token]] = {}  # the customer turns read last, by text
        self._by_owner: dict[int, tuple[Signal | Cue, _Compiled, str]] = {
            **{c.main: (key, c, "signals") for key, c in self.signals.items()},
            **{c.main: (key, c, "cues") for key, c in self.cues.items()},
        }

    def read_trainee(self, text: str, customer_before: str | Sequence[str] = "") -> TurnReading:
        """Signals and cues of a trainee turn; `customer_before` is the customer's last turn, or
        their last few turns (most recent first), which a paraphrase may restate."""
        tokens, sentences = tokenize(text, self.language)
        found = self.trainee_index.find(tokens, text)
        signals: dict[Signal, list[Span]] = {s: [] for s in self.signals}
        cues: dict[Cue, list[Span]] = {c: [] for c in self.cues}
        reading = TurnReading(signals, cues, tokens=tokens)
        for owner in found:
            target = self._by_owner.get(owner)
            if target is None:
                continue  # an exception or `also` group: read through its detection
            key, compiled, table = target
            matches = compiled.pick(found, tokens, text, self.negators)
            if matches:
                merged = _merge([(m.start, m.end) for m in matches])
                (signals if table == "signals" else cues)[key] = merged  # type: ignore[index]
                # One stretch of words matched by two phrases is still said once.
                reading.phrases[key.value] = [text[a:b].lower() for a, b in merged]
        if signals.get(Signal.paraphrase):
            # An opener ("Let me make sure I understand…") is a paraphrase only with what it restates after it.
            signals[Signal.paraphrase] = self._restating_openers(signals[Signal.paraphrase], tokens)
        for signal, extra in (
            (Signal.question, self._questions(text, tokens, sentences, found.get(self._not_questions, []))),
            (Signal.raised_tone, self._shouting(text)),
            (Signal.paraphrase, self._restatement(tokens, customer_before)),
        ):
            if extra:
                signals[signal] = _merge(signals[signal] + extra)
        return reading

    def read_customer(self, text: str) -> TurnReading:
        tokens, _ = tokenize(text, self.language)
        # The trainee's reply to this turn is read next, and may restate it: its words are kept for that.
        if len(self._customer_words) > 64:
            self._customer_words.clear()
        self._customer_words[text] = tokens
        found = self.customer_index.find(tokens, text)
        reading = TurnReading()
        for cue, compiled in self.customer_cues.items():
            reading.customer[cue] = [(m.start, m.end) for m in compiled.pick(found, tokens, text, self.negators)]
        return reading

    def _questions(self, text: str, tokens: list[Token], sentences: list[Span], statements: list[Match]) -> list[Span]:
        found = []
        first_word: dict[int, int] = {}
        for i, token in enumerate(tokens):
            first_word.setdefault(token.sentence, i)
        statement_starts = {m.first for m in statements}
        for index, (start, end) in enumerate(sentences):
            body = text[start:end].rstrip()
            first = first_word.get(index)
            opener = tokens[first] if first is not None else None
            if body.endswith(("?", "？")) or (
                opener is not None
                and (opener.surface in self.question_openers or opener.lemma in self.question_openers)
                and first not in statement_starts
            ):
                lead = len(text[start:end]) - len(text[start:end].lstrip())
                found.append((start + lead, start + len(body)))
        return found

    @staticmethod
    def _shouting(text: str) -> list[Span]:
        found = [(m.start(), m.end()) for m in _BURST.finditer(text)]
        if not _CAPITALS.search(text):
            return found
        run: list[re.Match[str]] = []
        for m in _SHOUT_WORD.finditer(text):
            if m.group().isupper():
                if run and text[run[-1].end():m.start()].strip(" ,") != "":
                    run = []
                run.append(m)
                letters = sum(len(w.group()) for w in run)
                if (len(run) >= 2 and letters >= 6) or len(m.group()) >= 6:
                    span = (run[0].start(), m.end())
                    found = [s for s in found if not (s[0] == span[0])] + [span]
            else:
                run = []
        return found

    def _restating_openers(self, spans: list[Span], tokens: list[Token]) -> list[Span]:
        """The opener spans followed, in their sentence or the next, by at least RESTATED content words.

        "Let me make sure I understand the problem." announces and restates nothing; "Let me make
        sure I understand: the router has been down since Monday?" restates the customer's specifics.
        """
        kept = []
        for start, end in spans:
            after = [t for t in tokens if t.start >= end]
            if not after:
                continue
            first_sentence = after[0].sentence
            said = {t.lemma for t in after if t.sentence <= first_sentence + 1 and self._content(t)}
            if len(said - self.not_specifics) >= RESTATED:
                kept.append((start, end))
        return kept

    def _restatement(self, tokens: list[Token], customer_before: str | Sequence[str]) -> list[Span]:
        earlier = [customer_before] if isinstance(customer_before, str) else list(customer_before)
        content: list[Token] | None = None
        for text in earlier:
            if text.strip():
                theirs, told = self._content_lemmas(text)
                if not theirs:
                    continue
                if content is None:
                    stop = self.stopwords
                    content = [t for t in tokens if len(t.surface) >= 3 and t.surface not in stop and t.lemma not in stop]
                found = self._restates(tokens, [t for t in content if t.lemma in theirs], told)
                if found:
                    return found
        return []

    def _restates(self, tokens: list[Token], shared: list[Token], told: frozenset[str]) -> list[Span]:
        """Spans restating the customer's words (`shared`: the reply's content words that the customer used);
        `told` are the customer's words in their statements, not their questions: an answer repeats a
        question's words without restating anything."""
        said = {t.lemma for t in shared if t.lemma in told}
        if len(said) >= 3 and len(said) / len(told) >= 0.4:
            return [(t.start, t.end) for t in shared if t.lemma in told]
        # "So the parcel you expected on Friday…": an opener plus two of their words in one sentence.
        for token in tokens:
            if token.surface in self.paraphrase_openers and _is_sentence_start(tokens, token):
                same = {t.lemma for t in shared if t.sentence == token.sentence}
                if len(same) >= 2:
                    return [(token.start, token.end)] + [
                        (t.start, t.end) for t in shared if t.sentence == token.sentence
                    ]
        return []

    def _content_lemmas(self, text: str) -> tuple[frozenset[str], frozenset[str]]:
        """The content lemmas of a customer turn: all of them, and those of the sentences that are not questions."""
        # The customer's turn is read once per trainee reply to it; keep the last few.
        cached = self._content_cache.get(text)
        if cached is None:
            tokens = self._customer_words.get(text) or tokenize(text, self.language)[0]
            words = [t for t in tokens if self._content(t)]
            ends: dict[int, int] = {}
            for t in words:
                ends[t.sentence] = max(ends.get(t.sentence, 0), t.end)
            asked = {i for i, end in ends.items() if text[end:].lstrip(" \"')»“”").startswith("?")}
            cached = (frozenset(t.lemma for t in words),
                      frozenset(t.lemma for t in words if t.sentence not in asked))
            if len(self._content_cache) > 64:
                self._content_cache.clear()
            self._content_cache[text] = cached
        return cached

    def _content(self, token: Token) -> bool:
        return len(token.surface) >= 3 and token.surface not in self.stopwords and token.lemma not in self.stopwords


def _words(words: list[str]) -> frozenset[str]:
    """Word lists are compared with tokens, which are normalised ("ё" is "е") and lowercased."""
    return frozenset(normalise(w).lower() for w in words)


def _merge(spans: list[Span]) -> list[Span]:
    """Overlapping evidence ("there's nothing", "nothing I can do") becomes one span."""
    if len(spans) < 2:
        return spans
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _is_sentence_start(tokens: list[Token], token: Token) -> bool:
    return next(t for t in tokens if t.sentence == token.sentence) is token


def phrases_dir() -> Path:
    from trainer.config.locations import rubrics_dir

    return rubrics_dir() / "phrases"


@lru_cache(maxsize=16)
def detectors_for(language: Language | str, folder: Path | None = None) -> Detectors:
    """The detectors for a language, loaded and compiled once per process, and once per phrase list on disk."""
    code = Language(language).value
    return _compiled((folder or phrases_dir()) / f"{code}.yaml")


def _compiled(path: Path) -> Detectors:
    """The detectors compiled from a phrase list, kept in the cache folder under the hash of the list's content,
    this code and simplemma's version: an edited list is compiled again, an unchanged one is read in milliseconds."""
    from trainer.content.cache import kept
    from trainer.scoring import lexicon, matcher

    code = (lexicon.__name__, matcher.__name__, __name__)
    return kept("detectors", [path], lambda: Detectors(load_model(path, PhraseList)), code, SIMPLEMMA_VERSION)
