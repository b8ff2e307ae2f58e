"""The phrase matcher: text to lemma tokens, phrases compiled to slots, and one index per language that finds them."""

from __future__ import annotations

import re
import re._constants as re_constants
import re._parser as re_parser
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from trainer.config.locations import cache_dir
from trainer.content.phrases import Group
from trainer.scoring.lexicon import Lexicon, lexicon_for

GAP = 3  # how many words a `*` in a phrase may stand for
NEGATION_REACH = 3  # how many words before a phrase a negator still negates it

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_SENTENCE_END = re.compile(r"[.!?;…\n]+")


class Token(NamedTuple):
    surface: str
    lemma: str
    start: int
    end: int
    sentence: int


def normalise(text: str) -> str:
    """Same length as `text`, so offsets still point into the original."""
    return text.replace("’", "'").replace("ʼ", "'").replace("ё", "е").replace("Ё", "Е")


_LEXICONS: dict[str, Lexicon] = {}  # language -> its lexicon, opened on first use


def lexicon(language: str) -> Lexicon:
    found = _LEXICONS.get(language)
    if found is None:
        found = _LEXICONS[language] = lexicon_for(language, cache_dir())
    return found


def lemma(word: str, language: str) -> str:
    return lexicon(language).lemma(word)


_new = tuple.__new__
_PIECE = re.compile(r"(?P<w>[^\W_]+(?:'[^\W_]+)*)|(?P<e>[.!?;…\n]+)")


def tokenize(text: str, language: str) -> tuple[list[Token], list[tuple[int, int]]]:
    """Words with lemmas and sentence numbers, and the sentences as (start, end) spans, in one pass."""
    norm = normalise(text)
    lowered = norm.lower()
    # A few characters ("İ") grow when lowered; offsets must still point into the text.
    norm = lowered if len(lowered) == len(norm) else "".join(c.lower()[0] for c in norm)
    words = lexicon(language)
    known = words.known
    tokens: list[Token] = []
    add = tokens.append
    sentences: list[tuple[int, int]] = []
    sentence = 0
    opened = -1  # start of the sentence being read, -1 before its first word
    for m in _PIECE.finditer(norm):
        start, end = m.span()
        if m.lastindex == 2:  # a sentence end
            if opened >= 0:
                sentences.append((opened, end))
                sentence += 1
                opened = -1
            continue
        if opened < 0:
            opened = start
        word = norm[start:end]
        found = known.get(word)
        if found is None:
            found = words.lemma(word)
        add(_new(Token, (word, found, start, end, sentence)))  # the tuple's own constructor: a third of the time
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

    Each group registered gets an owner number; `find` returns the matches per owner. Every
    distinct slot gets a number, and every written word met is worked out once: the numbers
    of the slots it fits and the phrases it may start. A turn is then matched on those
    numbers, with no string compared twice.
    """

    def __init__(self, language: str) -> None:
        self.language = language
        self.single: dict[str, list[tuple[int, _Entry]]] = {}  # one-word phrases
        self.pairs: dict[str, list[tuple[int, _Entry]]] = {}  # "first second" for longer plain phrases
        self.exact: dict[str, list[tuple[int, _Entry]]] = {}  # the rest, by first word
        self.prefixed: dict[str, list[tuple[int, _Entry]]] = {}
        self.prefix_lengths: list[int] = []
        self.patterns: list[_Pattern] = []
        self._pattern_words: list[tuple[str, int]] = []  # (letters of a needle, pattern number)
        self._unskipped: frozenset[int] = frozenset()  # patterns without needles: every turn is run through them
        self._by_digit: frozenset[int] = frozenset()  # patterns a turn with a digit is run through
        self._by_text: tuple[int, ...] = ()  # patterns with needles looked for in the turn itself
        self.owners = 0
        self._slots: dict[tuple[frozenset[str], frozenset[str], tuple[str, ...]], int] = {}
        self._slot_by_surface: dict[str, set[int]] = {}
        self._slot_by_lemma: dict[str, set[int]] = {}
        self._slot_by_prefix: dict[str, set[int]] = {}
        self._slot_prefix_lengths: list[int] = []
        self._words: dict[str, _Word] = {}
        self._pair_hits: dict[tuple[str, str], tuple[tuple[int, _Entry], ...]] = {}
        self._pair_firsts: set[str] = set()  # the forms a phrase indexed in `pairs` may start with
        self._regexes: dict[int, re.Pattern[str]] = {}  # the patterns compiled so far, by number

    def _slot_id(self, slot: Slot) -> int:
        key = (slot.surfaces, slot.lemmas, slot.prefixes)
        sid = self._slots.get(key)
        if sid is None:
            sid = self._slots[key] = len(self._slots)
            for surface in slot.surfaces:
                self._slot_by_surface.setdefault(surface, set()).add(sid)
            for lemma_ in slot.lemmas:
                self._slot_by_lemma.setdefault(lemma_, set()).add(sid)
            for prefix in slot.prefixes:
                self._slot_by_prefix.setdefault(prefix, set()).add(sid)
        return sid

    def add(self, group: Group) -> int:
        owner = self.owners
        self.owners += 1
        for text in group.phrases:
            for phrase in compile_phrase(text, self.language):
                slots = phrase.slots
                ids = tuple(None if slot is None else self._slot_id(slot) for slot in slots)
                entry = _Entry(
                    phrase.text, ids, all(sid is not None for sid in ids),
                    frozenset(sid for sid in ids[1:] if sid is not None),
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
                        self._pair_firsts.add(a)
                        for b in second.keys:
                            self.pairs.setdefault(f"{a} {b}", []).append((owner, entry))
                else:
                    for key in first.keys if first is not None else ():
                        self.exact.setdefault(key, []).append((owner, entry))
                    for prefix in first.prefixes if first is not None else ():
                        self.prefixed.setdefault(prefix, []).append((owner, entry))
        self.prefix_lengths = sorted({len(k) for k in self.prefixed})
        self._slot_prefix_lengths = sorted({len(k) for k in self._slot_by_prefix})
        self._words.clear()
        self._pair_hits.clear()
        for text in group.patterns:
            pattern = _Pattern.of(owner, text)
            self._pattern_words += [(needle, len(self.patterns)) for needle in pattern.by_word]
            self.patterns.append(pattern)
        numbered = list(enumerate(self.patterns))
        self._unskipped = frozenset(k for k, p in numbered if p.needles is None)
        self._by_digit = frozenset(k for k, p in numbered if p.digit)
        self._by_text = tuple(k for k, p in numbered if p.rest)
        return owner

    def regex(self, k: int) -> re.Pattern[str]:
        """Pattern k, compiled on first use."""
        found = self._regexes.get(k)
        if found is None:
            found = self._regexes[k] = re.compile(self.patterns[k].source, re.IGNORECASE)
        return found

    def __getstate__(self) -> dict[str, object]:
        """Kept in the cache folder without what is worked out while turns are read: it is quick to work out again."""
        state = dict(self.__dict__)
        state.update(_words={}, _pair_hits={}, _regexes={})
        return state

    def _word(self, surface: str, lemma_: str) -> _Word:
        """What one written word fits and may start; worked out once, since words recur."""
        keys = (surface,) if lemma_ == surface else (surface, lemma_)
        fits: set[int] = set()
        fits.update(self._slot_by_surface.get(surface, ()))
        fits.update(self._slot_by_lemma.get(lemma_, ()))
        for length in self._slot_prefix_lengths:
            for key in keys:
                if len(key) >= length:
                    fits.update(self._slot_by_prefix.get(key[:length], ()))
        hits: list[tuple[int, _Entry]] = []
        for key in keys:
            hits += self.single.get(key, ())
            hits += self.exact.get(key, ())
            for length in self.prefix_lengths:
                if len(key) >= length:
                    hits += self.prefixed.get(key[:length], ())
        unique = {id(entry): (owner, entry) for owner, entry in hits}.values()
        # A phrase found by the word's lemma that wants its first word as written: not started here.
        starts = tuple((o, e) for o, e in unique if not e.check_first or e.ids[0] in fits)
        # The patterns a needle of which lies in this word (a needle of letters lies inside one word or none).
        folded = surface.translate(_FOLD)
        triggers = frozenset(k for needle, k in self._pattern_words if needle in folded)
        opens_pair = any(key in self._pair_firsts for key in keys)
        word = _Word(keys, frozenset(fits), starts, triggers, opens_pair)
        if len(self._words) < _WORD_CACHE_LIMIT:
            self._words[surface] = word
        return word

    def _pairs(self, first: _Word, second: _Word, key: tuple[str, str]) -> tuple[tuple[int, _Entry], ...]:
        """Phrases indexed on their first two words that these two words may start."""
        extra: list[tuple[int, _Entry]] = []
        pairs = self.pairs
        for a in first.keys:
            for b in second.keys:
                more = pairs.get(f"{a} {b}")
                if more:
                    extra += more
        fits = first.fits
        found = tuple(
            (o, e) for o, e in {id(e): (o, e) for o, e in extra}.values() if not e.check_first or e.ids[0] in fits
        )
        if len(self._pair_hits) < _WORD_CACHE_LIMIT:
            self._pair_hits[key] = found
        return found

    def find(self, tokens: list[Token], text: str) -> dict[int, list[Match]]:
        found: dict[int, list[Match]] = {}
        known = self._words
        words = [known.get(t.surface) or self._word(t.surface, t.lemma) for t in tokens]
        fits = [w.fits for w in words]
        sentences = [t.sentence for t in tokens]
        pair_hits = self._pair_hits
        count = len(tokens)
        in_turn: frozenset[int] | None = None  # every slot some word of the turn fits
        for i, word in enumerate(words):
            hits = word.starts
            if word.opens_pair and i + 1 < count and sentences[i + 1] == sentences[i]:
                key = (tokens[i].surface, tokens[i + 1].surface)
                extra = pair_hits.get(key)
                if extra is None:
                    extra = self._pairs(word, words[i + 1], key)
                if extra:
                    hits = hits + extra
            if not hits:
                continue
            for owner, entry in hits:
                ids = entry.ids
                if entry.later:
                    if in_turn is None:
                        in_turn = frozenset().union(*fits)
                    if not entry.later <= in_turn:
                        continue
                last: int | None
                if len(ids) == 1:
                    last = i
                elif entry.gapless:
                    last = _match_straight(ids, fits, sentences, i)
                else:
                    last = _match_from(ids, 1, fits, sentences, i + 1)
                if last is not None:
                    found.setdefault(owner, []).append(Match(tokens[i].start, tokens[last].end, i, last, entry.text))
        if self.patterns:
            norm = normalise(text)
            folded = fold(norm)
            triggered = frozenset().union(*[w.triggers for w in words])
            if folded is None:  # lowercasing changed the length: needles cannot be looked for
                run: Iterable[int] = range(len(self.patterns))
            else:
                # Only a turn holding one of the strings that every match holds is run through a pattern.
                turn = _Text(norm, folded)
                chosen = triggered | self._unskipped
                if self._by_digit and turn.has("digit"):
                    chosen |= self._by_digit
                chosen |= {k for k in self._by_text if k not in chosen and self.patterns[k].holds(turn)}
                run = sorted(chosen)
            for k in run:
                owner = self.patterns[k].owner
                for m in self.regex(k).finditer(norm):
                    if m.end() > m.start():
                        first, last = _token_range(tokens, m.start(), m.end())
                        found.setdefault(owner, []).append(Match(m.start(), m.end(), first, last, m.group()))
        return found


_WORD_CACHE_LIMIT = 200_000


def _fold_table() -> dict[int, int]:
    """Characters a case-insensitive regular expression takes for one another beyond lowercasing ("ſ" for "s")."""
    from re._casefix import _EXTRA_CASES  # the table the regular expression compiler itself uses

    table: dict[int, int] = {}
    for lower, others in _EXTRA_CASES.items():
        group = {lower, *others}
        for code in group:
            table[code] = min(group | {table.get(code, code)})
    return table


_FOLD = _fold_table()
_FOLDABLE = re.compile("[" + re.escape("".join(chr(c) for c, to in _FOLD.items() if c != to)) + "]")


def fold(text: str) -> str | None:
    """The text as a case-insensitive regular expression compares it, or None where lowercasing
    changes its length ("İ"), so that a substring of the pattern might not be one of the text."""
    lowered = text.lower()
    if len(lowered) != len(text):
        return None
    return lowered.translate(_FOLD) if _FOLDABLE.search(lowered) else lowered


# A pattern's needles: what every one of its matches contains, so that a turn holding none of them is not run
# through it. ("f", s): the string s in the folded turn; ("e", s): s as written, from a case-sensitive `(?-i:…)`
# part; ("d", ""): a decimal digit.
Needle = tuple[str, str]
DIGIT: Needle = ("d", "")
_DIGIT = re.compile(r"\d")
_UPPER = "".join(c for c in map(chr, range(0x10000)) if c.isupper())
_UPPER_PAIR = re.compile(f"[{re.escape(_UPPER)}]{{2}}")  # two capitals in a row: in every shouted word
_WORD_ONLY = re.compile(r"[^\W_]+")
_WIDE = re.compile("[\u2000-\U0010ffff]")  # dashes, quotation marks, symbols, emoji
_GATES = {"shout": _UPPER_PAIR, "wide": _WIDE, "digit": _DIGIT}


def needles(pattern: str) -> tuple[Needle, ...] | None:
    """The needles of a case-insensitive pattern, one of which every match contains, or None when it has none
    worth looking for (then every turn is run through it)."""
    try:
        parsed = re_parser.parse(pattern, re.IGNORECASE)
    except re.error:
        return None
    found = _required(list(parsed), exact=False)
    if not found or _worth(found) < 2:
        return None
    return tuple(sorted((kind, text if kind == "e" else text.lower().translate(_FOLD)) for kind, text in found))


def _worth(found: frozenset[Needle]) -> int:
    """How rare the rarest-to-miss needle of a set is, roughly: a digit or a symbol beats a short word."""
    def one(needle: Needle) -> int:
        kind, text = needle
        if kind == "d":
            return 6
        if len(text) == 1 and not text.isalnum() and ord(text) > 0x2000:
            return 6  # an emoji or another symbol
        return len(text)
    return min(map(one, found))


def has_needle(found: tuple[Needle, ...], norm: str, folded: str) -> bool:
    """Whether the turn (as written, normalised; and folded) holds one of the needles."""
    for kind, text in found:
        if kind == "f":
            if text in folded:
                return True
        elif kind == "e":
            if text in norm:
                return True
        elif _DIGIT.search(norm):
            return True
    return False


def _required(items: list[tuple[object, object]], exact: bool) -> frozenset[Needle] | None:
    """The best set of needles one of which every match of this sequence contains, or None."""
    kind = "e" if exact else "f"
    candidates: list[frozenset[Needle]] = []
    run: list[str] = []
    for op, av in items:
        if op is re_constants.LITERAL:
            run.append(chr(av))  # type: ignore[arg-type]
            continue
        if run:
            candidates.append(frozenset([(kind, "".join(run))]))
            run = []
        inner: frozenset[Needle] | None = None
        if op is re_constants.SUBPATTERN:
            _, add, remove, body = av  # type: ignore[misc]
            scoped = (exact or bool(remove & re.IGNORECASE)) and not add & re.IGNORECASE  # type: ignore[has-type]
            inner = _required(list(body), scoped)  # type: ignore[has-type]
        elif op is re_constants.ATOMIC_GROUP:
            inner = _required(list(av), exact)  # type: ignore[call-overload]
        elif op in (re_constants.MAX_REPEAT, re_constants.MIN_REPEAT, re_constants.POSSESSIVE_REPEAT):
            least, _, body = av  # type: ignore[misc]
            inner = _required(list(body), exact) if least >= 1 else None  # type: ignore[has-type]
        elif op is re_constants.BRANCH:
            branches = [_required(list(b), exact) for b in av[1]]  # type: ignore[index]
            if all(b is not None for b in branches):
                inner = frozenset().union(*branches)  # type: ignore[arg-type]
        elif op is re_constants.IN:
            inner = _one_of(av, kind)  # type: ignore[arg-type]
        if inner:
            candidates.append(inner)
    if run:
        candidates.append(frozenset([(kind, "".join(run))]))
    if not candidates:
        return None
    return max(candidates, key=lambda c: (_worth(c), -len(c)))


def _one_of(items: list[tuple[object, object]], kind: str) -> frozenset[Needle] | None:
    """A character class as needles: its characters when it lists them, a digit when it is `\\d`."""
    if items == [(re_constants.CATEGORY, re_constants.CATEGORY_DIGIT)]:
        return frozenset([DIGIT])
    if items and all(op is re_constants.LITERAL for op, _ in items):
        return frozenset((kind, chr(av)) for _, av in items)  # type: ignore[arg-type]
    return None


@dataclass(frozen=True, slots=True)
class _Pattern:
    """A phrase list's regular expression and which turns are run through it: those holding one of its needles."""

    owner: int
    source: str  # compiled (case-insensitive) when a turn first needs it: most of a list's are met rarely
    needles: tuple[Needle, ...] | None  # None: every turn
    by_word: tuple[str, ...]  # letters some needle holds: looked for in the turn's words, once per distinct word
    rest: tuple[Needle, ...]  # the needles looked for in the turn itself (symbols, emoji, case-sensitive words)
    digit: bool  # a decimal digit is one of the needles
    gate: str  # "shout": every needle of `rest` holds two capitals in a row; "wide": a character from U+2000 on

    @classmethod
    def of(cls, owner: int, pattern: str) -> _Pattern:
        found = needles(pattern)
        by_word: list[str] = []
        rest: list[Needle] = []
        for kind, text in found or ():
            # A needle's longest stretch of letters lies inside one written word wherever the needle is found.
            letters = max(_WORD_ONLY.findall(text), key=len, default="") if kind == "f" else ""
            if len(letters) >= 2:
                by_word.append(letters)
            elif kind != "d":
                rest.append((kind, text))
        gate = ""
        if rest and all(k == "e" and _UPPER_PAIR.search(t) for k, t in rest):
            gate = "shout"
        elif rest and all(_WIDE.search(t) for _, t in rest):
            gate = "wide"
        return cls(owner, pattern, found, tuple(by_word), tuple(rest), DIGIT in (found or ()), gate)

    def holds(self, turn: _Text) -> bool:
        """Whether the turn holds a needle of `rest` (a turn is not asked about those of its words or digits)."""
        if self.gate and not turn.has(self.gate):
            return False
        return has_needle(self.rest, turn.norm, turn.folded)


class _Text:
    """A turn as the patterns' needles are looked for in it; what is costly to learn is learnt once, when asked."""

    __slots__ = ("norm", "folded", "_gates")

    def __init__(self, norm: str, folded: str) -> None:
        self.norm = norm
        self.folded = folded
        self._gates: dict[str, bool] = {}

    def has(self, gate: str) -> bool:
        found = self._gates.get(gate)
        if found is None:
            found = self._gates[gate] = _GATES[gate].search(self.norm) is not None
        return found


@dataclass(frozen=True, slots=True, eq=False)
class _Entry:
    text: str
    ids: tuple[int | None, ...]  # slot numbers, None for a gap
    gapless: bool
    later: frozenset[int]  # the word slots after the first: each must fit some word of the turn
    check_first: bool  # the first slot holds an `=word`: a hit by lemma must be checked against the written form


@dataclass(frozen=True, slots=True, eq=False)
class _Word:
    keys: tuple[str, ...]  # the written form, and the lemma where it differs
    fits: frozenset[int]  # the slots it fills
    starts: tuple[tuple[int, _Entry], ...]  # (owner, phrase) it may be the first word of
    triggers: frozenset[int]  # the regular expressions (by number) a needle of which this word holds
    opens_pair: bool  # some phrase indexed on its first two words may start with this one


def _match_straight(ids: tuple[int | None, ...], fits: list[frozenset[int]], sentences: list[int], t: int) -> int | None:
    """Index of the last token if consecutive slots fit from token t on (the first already fits)."""
    end = t + len(ids) - 1
    if end >= len(fits):
        return None
    sentence = sentences[t]
    for offset in range(1, len(ids)):
        if sentences[t + offset] != sentence or ids[offset] not in fits[t + offset]:
            return None
    return end


def _match_from(ids: tuple[int | None, ...], p: int, fits: list[frozenset[int]], sentences: list[int], t: int) -> int | None:
    """Index of the last token if slots[p:] match starting at token t, within one sentence."""
    if p == len(ids):
        return t - 1
    sid = ids[p]
    if sid is None:  # a gap: the next slot may come up to GAP words later
        for skip in range(GAP + 1):
            if t + skip < len(fits) and sentences[t + skip] == sentences[t - 1]:
                found = _match_from(ids, p + 1, fits, sentences, t + skip)
                if found is not None:
                    return found
        return None
    if t >= len(fits) or sentences[t] != sentences[t - 1] or sid not in fits[t]:
        return None
    return _match_from(ids, p + 1, fits, sentences, t + 1)


def _token_range(tokens: list[Token], start: int, end: int) -> tuple[int, int]:
    inside = [i for i, tok in enumerate(tokens) if tok.end > start and tok.start < end]
    if inside:
        return inside[0], inside[-1]
    before = [i for i, tok in enumerate(tokens) if tok.end <= start]
    i = before[-1] if before else 0
    return i, i
