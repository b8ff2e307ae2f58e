"""The phrase matcher: text to lemma tokens, phrases compiled to slots, and one index per language that finds them."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

import simplemma

from trainer.content.phrases import Group

GAP = 3  # how many words a `*` in a phrase may stand for
NEGATION_REACH = 3  # how many words before a phrase a negator still negates it

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_SENTENCE_END = re.compile(r"[.!?;…\n]+")


@dataclass(frozen=True, slots=True, eq=False)
class Token:
    surface: str
    lemma: str
    start: int
    end: int
    sentence: int


def normalise(text: str) -> str:
    """Same length as `text`, so offsets still point into the original."""
    return text.replace("’", "'").replace("ʼ", "'").replace("ё", "е").replace("Ё", "Е")


_LEMMAS: dict[str, dict[str, str]] = {}  # language -> word -> lemma, filled as words are met
_LEMMA_CACHE_LIMIT = 200_000


def lemma(word: str, language: str) -> str:
    cache = _LEMMAS.setdefault(language, {})
    found = cache.get(word)
    if found is None:
        # simplemma reads "won't" as "will": contractions match as written.
        found = word if "'" in word else simplemma.lemmatize(word, lang=language).lower()
        if len(cache) < _LEMMA_CACHE_LIMIT:
            cache[word] = found
    return found


_PIECE = re.compile(r"(?P<w>[^\W_]+(?:'[^\W_]+)*)|(?P<e>[.!?;…\n]+)")


def tokenize(text: str, language: str) -> tuple[list[Token], list[tuple[int, int]]]:
    """Words with lemmas and sentence numbers, and the sentences as (start, end) spans, in one pass."""
    norm = normalise(text)
    lowered = norm.lower()
    # A few characters ("İ") grow when lowered; offsets must still point into the text.
    norm = lowered if len(lowered) == len(norm) else "".join(c.lower()[0] for c in norm)
    cache = _LEMMAS.setdefault(language, {})
    tokens: list[Token] = []
    sentences: list[tuple[int, int]] = []
    sentence = 0
    opened = -1  # start of the sentence being read, -1 before its first word
    for m in _PIECE.finditer(norm):
        word = m.group("w")
        if word is None:
            if opened >= 0:
                sentences.append((opened, m.end()))
                sentence += 1
                opened = -1
            continue
        if opened < 0:
            opened = m.start()
        found = cache.get(word)
        if found is None:
            found = lemma(word, language)
        tokens.append(Token(word, found, m.start(), m.end(), sentence))
    if opened >= 0:
        sentences.append((opened, len(norm)))
    return tokens, sentences


# ---- compiled phrases ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Alt:
    surface: str
    lemma: str
    prefix: bool

    def matches(self, token: Token) -> bool:
        if self.prefix:
            return token.surface.startswith(self.surface) or token.lemma.startswith(self.surface)
        return token.surface == self.surface or (self.lemma != "" and token.lemma == self.lemma)


Part = tuple[Alt, ...] | None  # None is a gap


@dataclass(frozen=True, slots=True, eq=False)
class Slot:
    """One word position of a phrase: the written forms or lemmas that fill it, or prefixes that do.

    An `=word` alternative fills it only as written: its form is among the surfaces, not the lemmas, so
    "=hear" does not take "heard" although simplemma reads "heard" as "hear".
    """

    surfaces: frozenset[str]
    lemmas: frozenset[str]
    prefixes: tuple[str, ...]
    keys: frozenset[str]  # every form the index may find the slot by (surfaces and lemmas); `fits` then decides

    @property
    def exact_only(self) -> bool:
        return not self.surfaces <= self.lemmas

    def fits(self, token: Token) -> bool:
        if token.surface in self.surfaces or token.lemma in self.lemmas:
            return True
        return any(token.surface.startswith(p) or token.lemma.startswith(p) for p in self.prefixes)


@dataclass(frozen=True)
class Phrase:
    text: str
    parts: tuple[Part, ...]

    @property
    def slots(self) -> tuple[Slot | None, ...]:
        return tuple(None if part is None else _slot(part) for part in self.parts)


def _slot(part: tuple[Alt, ...]) -> Slot:
    surfaces = frozenset(alt.surface for alt in part if not alt.prefix)
    # A word matched on its lemma also takes a token whose lemma is the word as written.
    lemmas = frozenset(k for alt in part if not alt.prefix and alt.lemma for k in (alt.surface, alt.lemma))
    return Slot(surfaces, lemmas, tuple(alt.surface for alt in part if alt.prefix), surfaces | lemmas)


def compile_phrase(phrase: str, language: str) -> list[Phrase]:
    """One phrase; a word that tokenizes into several ("up-to-date") becomes consecutive parts."""
    parts: list[Part] = []
    for raw in normalise(phrase.lower()).split():
        if raw == "*":
            parts.append(None)
            continue
        options = raw.split("|")
        if len(options) == 1:
            # A single word may tokenize into several ("e-mail", "100%"): consecutive parts.
            exact = raw.startswith("=")
            prefix = raw.endswith("*") and len(raw) > 1
            words = _WORD.findall(raw.strip("=").rstrip("*"))
            for i, w in enumerate(words):
                last_prefix = prefix and i == len(words) - 1
                parts.append((Alt(w, "" if last_prefix or exact or "'" in w else lemma(w, language), last_prefix),))
            continue
        slot = []
        for option in options:
            exact = option.startswith("=")
            prefix = option.endswith("*") and len(option) > 1
            word = _WORD.findall(option.strip("=").rstrip("*"))[0]
            slot.append(Alt(word, "" if prefix or exact or "'" in word else lemma(word, language), prefix))
        parts.append(tuple(slot))
    return [Phrase(phrase, tuple(p for p in parts))]


@dataclass(frozen=True, slots=True)
class Match:
    start: int  # character offsets into the turn
    end: int
    first: int  # token indexes
    last: int
    phrase: str


class PhraseIndex:
    """All phrases of a language in one index by first word, so a turn is scanned once for every detector.

    Each group registered gets an owner number; `find` returns the matches per owner.
    """

    def __init__(self, language: str) -> None:
        self.language = language
        self.single: dict[str, list[tuple[int, _Entry]]] = {}  # one-word phrases
        self.pairs: dict[str, list[tuple[int, _Entry]]] = {}  # "first second" for longer plain phrases
        self.exact: dict[str, list[tuple[int, _Entry]]] = {}  # the rest, by first word
        self.prefixed: dict[str, list[tuple[int, _Entry]]] = {}
        self.prefix_lengths: list[int] = []
        self._firsts: dict[tuple[str, ...], list[tuple[int, _Entry]]] = {}
        self.patterns: list[tuple[int, re.Pattern[str]]] = []
        self.owners = 0

    def add(self, group: Group) -> int:
        owner = self.owners
        self.owners += 1
        for text in group.phrases:
            for phrase in compile_phrase(text, self.language):
                slots = phrase.slots
                entry = _Entry(
                    phrase.text, slots, all(slot is not None for slot in slots),
                    tuple(slot for slot in slots[1:] if slot is not None),
                    slots[0] is not None and slots[0].exact_only,
                )
                first, second = slots[0], slots[1] if len(slots) > 1 else None
                if len(slots) == 1 and first is not None:
                    for key in first.keys:
                        self.single.setdefault(key, []).append((owner, entry))
                    for prefix in first.prefixes:
                        self.prefixed.setdefault(prefix, []).append((owner, entry))
                elif first is not None and not first.prefixes and second is not None and not second.prefixes:
                    # Most phrases fail on their second word: index on the first two.
                    for a in first.keys:
                        for b in second.keys:
                            self.pairs.setdefault(f"{a} {b}", []).append((owner, entry))
                else:
                    for key in first.keys if first is not None else ():
                        self.exact.setdefault(key, []).append((owner, entry))
                    for prefix in first.prefixes if first is not None else ():
                        self.prefixed.setdefault(prefix, []).append((owner, entry))
        self.prefix_lengths = sorted({len(k) for k in self.prefixed})
        self._firsts.clear()
        self.patterns.extend((owner, re.compile(p, re.IGNORECASE)) for p in group.patterns)
        return owner

    def _first_word_hits(self, keys: tuple[str, ...]) -> list[tuple[int, _Entry]]:
        """Phrases a word may start, by its surface and lemma; remembered, since words recur."""
        hits: list[tuple[int, _Entry]] = []
        for key in keys:
            hits += self.single.get(key, ())
            hits += self.exact.get(key, ())
            for length in self.prefix_lengths:
                if len(key) >= length:
                    hits += self.prefixed.get(key[:length], ())
        unique = list({id(entry): (owner, entry) for owner, entry in hits}.values())
        if len(self._firsts) < 200_000:
            self._firsts[keys] = unique
        return unique

    def find(self, tokens: list[Token], text: str) -> dict[int, list[Match]]:
        found: dict[int, list[Match]] = {}
        pairs = self.pairs
        count = len(tokens)
        firsts = self._firsts
        turn_words: _TurnWords | None = None
        for i, token in enumerate(tokens):
            surface, lem = token.surface, token.lemma
            keys = (surface,) if lem == surface else (surface, lem)
            hits = firsts.get(keys)
            if hits is None:
                hits = self._first_word_hits(keys)
            if i + 1 < count:
                nxt = tokens[i + 1]
                if nxt.sentence == token.sentence:
                    next_keys = (nxt.surface,) if nxt.lemma == nxt.surface else (nxt.surface, nxt.lemma)
                    extra: list[tuple[int, _Entry]] = []
                    for a in keys:
                        for b in next_keys:
                            more = pairs.get(f"{a} {b}")
                            if more:
                                extra += more
                    if extra:
                        hits = hits + list({id(e): (o, e) for o, e in extra}.values())
            if not hits:
                continue
            for owner, entry in hits:
                slots = entry.slots
                if entry.check_first and not slots[0].fits(token):  # type: ignore[union-attr]
                    continue  # found by its lemma, but the phrase wants the word as written
                if entry.later:
                    if turn_words is None:
                        turn_words = _TurnWords(tokens)
                    if not all(turn_words.has(slot) for slot in entry.later):
                        continue
                last: int | None
                if len(slots) == 1:
                    last = i
                elif entry.gapless:
                    last = _match_straight(slots, tokens, i)
                else:
                    last = _match_from(slots, 1, tokens, i + 1)
                if last is not None:
                    found.setdefault(owner, []).append(Match(token.start, tokens[last].end, i, last, entry.text))
        if self.patterns:
            norm = normalise(text)
            for owner, pattern in self.patterns:
                for m in pattern.finditer(norm):
                    if m.end() > m.start():
                        first, last = _token_range(tokens, m.start(), m.end())
                        found.setdefault(owner, []).append(Match(m.start(), m.end(), first, last, m.group()))
        return found


@dataclass(frozen=True, slots=True, eq=False)
class _Entry:
    text: str
    slots: tuple[Slot | None, ...]
    gapless: bool
    later: tuple[Slot, ...]  # the word slots after the first: each must fit some word of the turn
    check_first: bool  # the first slot holds an `=word`: a hit by lemma must be checked against the written form


class _TurnWords:
    """The words of one turn, for a quick check that a phrase's later words occur at all."""

    __slots__ = ("words", "ordered", "seen")

    def __init__(self, tokens: list[Token]) -> None:
        self.words = {t.surface for t in tokens} | {t.lemma for t in tokens}
        self.ordered = sorted(self.words)  # a prefix is found by bisection, not by trying every word
        self.seen: dict[int, bool] = {}

    def has(self, slot: Slot) -> bool:
        known = self.seen.get(id(slot))
        if known is None:
            known = not self.words.isdisjoint(slot.keys) or any(map(self._has_prefix, slot.prefixes))
            self.seen[id(slot)] = known
        return known

    def _has_prefix(self, prefix: str) -> bool:
        i = bisect_left(self.ordered, prefix)
        return i < len(self.ordered) and self.ordered[i].startswith(prefix)


def _match_straight(slots: tuple[Slot | None, ...], tokens: list[Token], t: int) -> int | None:
    """Index of the last token if consecutive slots fit from token t on (the first already fits)."""
    end = t + len(slots) - 1
    if end >= len(tokens):
        return None
    sentence = tokens[t].sentence
    for offset in range(1, len(slots)):
        token = tokens[t + offset]
        if token.sentence != sentence or not slots[offset].fits(token):  # type: ignore[union-attr]
            return None
    return end


def _match_from(slots: tuple[Slot | None, ...], p: int, tokens: list[Token], t: int) -> int | None:
    """Index of the last token if slots[p:] match starting at token t, within one sentence."""
    if p == len(slots):
        return t - 1
    slot = slots[p]
    if slot is None:  # a gap: the next slot may come up to GAP words later
        for skip in range(GAP + 1):
            if t + skip < len(tokens) and tokens[t + skip].sentence == tokens[t - 1].sentence:
                found = _match_from(slots, p + 1, tokens, t + skip)
                if found is not None:
                    return found
        return None
    if t >= len(tokens) or tokens[t].sentence != tokens[t - 1].sentence or not slot.fits(tokens[t]):
        return None
    return _match_from(slots, p + 1, tokens, t + 1)


def _token_range(tokens: list[Token], start: int, end: int) -> tuple[int, int]:
    inside = [i for i, tok in enumerate(tokens) if tok.end > start and tok.start < end]
    if inside:
        return inside[0], inside[-1]
    before = [i for i, tok in enumerate(tokens) if tok.end <= start]
    i = before[-1] if before else 0
    return i, i
