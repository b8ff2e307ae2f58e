"""Lemmas without simplemma's dictionaries in memory: each dictionary as a table on disk, read a word at a time.

simplemma 2.0 holds a language's whole dictionary in a Python dict (Polish: 2.8 s and
420 MB to load). Its lemmatiser takes any mapping as the dictionary, so the same
entries are written once into an SQLite table under the cache folder and looked up
there: the same lemma for every word, found by the same strategies, with no dictionary
in memory and nothing to load before the first word. Where the cache folder cannot be
written, the dictionaries are loaded into memory as before.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

# simplemma itself is imported on the first word not yet known: importing it compiles its rules for every
# language it has (0.15 s), which the app's first screen and a cached phrase list do not need.
SIMPLEMMA_VERSION = version("simplemma")
CACHE_LIMIT = 200_000  # words whose lemma a lexicon keeps in memory


class _Table(Mapping[str, str]):
    """One language's simplemma dictionary in an SQLite file, opened read-only."""

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        self._lock = threading.Lock()  # the app reads from a worker thread and the event loop

    def get(self, key: str, default: str | None = None) -> str | None:  # type: ignore[override]
        with self._lock:
            row = self._db.execute("SELECT v FROM d WHERE k = ?", (key,)).fetchone()
        return row[0] if row is not None else default

    def __getitem__(self, key: str) -> str:
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value

    def __iter__(self) -> Iterator[str]:
        with self._lock:
            rows = self._db.execute("SELECT k FROM d").fetchall()
        return (k for (k,) in rows)

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM d").fetchone()[0])


def _entries(language: str) -> Iterator[tuple[str, str]]:
    """simplemma's dictionary for a language, entry by entry, without building the dict."""
    from simplemma.strategies.dictionaries import frontcode
    from simplemma.strategies.dictionaries.dictionary_factory import _read_decompressed

    data = _read_decompressed(language)
    reverse, _, pos = frontcode._read_header(data)
    for _, key, value in frontcode._iter_records(data, pos):
        if reverse:
            key, value = key[::-1], value[::-1]
        yield key.decode(), value.decode()


def table_path(folder: Path, language: str) -> Path:
    return folder / f"simplemma-{SIMPLEMMA_VERSION}" / f"{language}.sqlite"


def build_table(folder: Path, language: str) -> Path:
    """Write the language's dictionary table (once per simplemma version); raises OSError where it cannot."""
    path = table_path(folder, language)
    if path.is_file():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{language}.{os.getpid()}.{threading.get_ident()}.partial")
    try:
        db = sqlite3.connect(partial)
        try:
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("PRAGMA synchronous = OFF")
            db.execute("CREATE TABLE d (k TEXT PRIMARY KEY, v TEXT NOT NULL) WITHOUT ROWID")
            db.executemany("INSERT OR REPLACE INTO d VALUES (?, ?)", _entries(language))
            db.commit()
        finally:
            db.close()
        os.replace(partial, path)  # another process building the same table at once writes the same rows
    except sqlite3.Error as exc:
        raise OSError(str(exc)) from exc
    finally:
        partial.unlink(missing_ok=True)
    return path


def _lemmatizer(language: str, table: _Table | None) -> Callable[[str], str]:
    """simplemma's lemmatiser reading the table on disk, or where there is none, its dictionaries in memory."""
    import simplemma
    from simplemma.strategies import DefaultStrategy
    from simplemma.strategies.dictionaries.dictionary_factory import DictionaryFactory

    if table is None:
        return lambda word: simplemma.lemmatize(word, lang=language)
    dictionary: Mapping[str, str] = table

    class TableFactory(DictionaryFactory):
        def get_dictionary(self, lang: str) -> Mapping[str, str]:
            return dictionary

    strategy = DefaultStrategy(dictionary_factory=TableFactory())
    lemmatizer = simplemma.Lemmatizer(cache_max_size=0, lemmatization_strategy=strategy)
    return lambda word: lemmatizer.lemmatize(word, language)


# Languages whose words simplemma 2.0 rewrites before its dictionary lookup (diacritics folded, split at an
# apostrophe): theirs go through the whole lemmatiser.
_REWRITTEN = frozenset({"grc", "he", "ar", "tr"})


class Lexicon:
    """The lemma of each written word in one language, as simplemma gives it; each word is looked up once.

    A word in simplemma's dictionary is looked up in the table directly, exactly as simplemma's
    first steps do (the word, then the word capitalised); only the words it does not hold go
    through simplemma's other strategies (rules, prefixes, compounds), which import simplemma.
    """

    def __init__(self, language: str, folder: Path | None) -> None:
        self.language = language
        self.folder = folder
        self._table: _Table | None = None
        self._opened = False
        self._lemmatize: Callable[[str], str] | None = None
        self.known: dict[str, str] = {}  # word -> lemma, for callers that look up many words

    @property
    def on_disk(self) -> bool:
        """Whether the lemmas come from the table on disk (False: simplemma's dictionaries in memory)."""
        return self._open() is not None

    def _open(self) -> _Table | None:
        if not self._opened:
            self._opened = True
            if self.folder is not None:
                try:
                    self._table = _Table(build_table(self.folder, self.language))
                except (OSError, sqlite3.Error):
                    self._table = None  # an unwritable or broken cache folder: simplemma's own dictionaries
        return self._table

    def lemma(self, word: str) -> str:
        """`word` is lowercased and normalised; a contraction ("won't") is its own lemma, since simplemma
        reads it as another word ("will")."""
        found = self.known.get(word)
        if found is None:
            found = word if "'" in word else self._look_up(word)
            if len(self.known) < CACHE_LIMIT:
                self.known[word] = found
        return found

    def _look_up(self, word: str) -> str:
        table = self._open()
        if table is not None and self.language not in _REWRITTEN:
            token = unicodedata.normalize("NFC", word)
            if token.isnumeric():
                return token.lower()
            found = table.get(token)
            if found is None:
                found = table.get(token.lower() if token[:1].isupper() else token.capitalize())
            if found is not None:
                return found.lower()
        if self._lemmatize is None:
            self._lemmatize = _lemmatizer(self.language, table)
        return self._lemmatize(word).lower()


@lru_cache(maxsize=16)
def lexicon_for(language: str, folder: Path | None) -> Lexicon:
    return Lexicon(language, folder)
