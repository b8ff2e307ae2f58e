"""What is worked out once from trainer-written files and kept in the cache folder, under the hash of their content.

A compiled phrase list or a loaded persona library is read back in milliseconds while
the files it came from and the code that reads them are unchanged; an edited file gives
another key, so it is worked out again on its next use. A damaged entry is worked out
again, and an unwritable cache folder means working it out every time, never an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import pickle
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def kept(kind: str, files: Sequence[Path], build: Callable[[], T], code: Iterable[str], extra: str = "") -> T:
    """`build()`'s result for these files, from the cache folder when it holds one for their current content.

    `code` names the modules whose source decides the result; `extra` anything else that does (a version).
    """
    key = content_key(files, code, extra)
    if key is None:
        return build()  # a file that cannot be read: `build` reports it as it always has
    found = kept_under(kind, key)
    if found is not None:
        return found  # type: ignore[return-value]
    result = build()
    if content_key(files, code, extra) == key:  # no file was edited while it was worked out
        keep(kind, key, result)
    return result


def kept_under(kind: str, key: str) -> object | None:
    """What was kept under `key`, or None when nothing (or a damaged entry) is: never an error."""
    from trainer.config.locations import cache_dir

    try:
        with (cache_dir() / kind / f"{key}.pickle").open("rb") as file:
            return pickle.load(file)
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001  a damaged entry is worked out again, never an error
        return None


def keep(kind: str, key: str, result: object) -> None:
    """Keep `result` under `key` for the next run; an unwritable cache folder keeps nothing, silently."""
    from trainer.config.locations import cache_dir

    entry = cache_dir() / kind / f"{key}.pickle"
    partial = entry.with_name(f".{entry.name}.{os.getpid()}.partial")
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(partial, entry)
    except OSError:  # an unwritable cache folder
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)


def content_key(files: Sequence[Path], code: Iterable[str], extra: str = "") -> str | None:
    """The hash of these files' paths and bytes, of the named modules' source and of `extra`; None when a file
    cannot be read. The modules are found, not imported: a key can be worked out before what it keys is loaded."""
    digest = hashlib.sha256(extra.encode())
    for name in code:
        spec = importlib.util.find_spec(name)
        digest.update(Path(spec.origin if spec is not None and spec.origin else "").read_bytes())
    try:
        for path in files:
            digest.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    except OSError:
        return None
    return digest.hexdigest()[:32]
