"""What is worked out once from trainer-written files and kept in the cache folder, under the hash of their content.

A compiled phrase list or a loaded persona library is read back in milliseconds while
the files it came from and the code that reads them are unchanged; an edited file gives
another key, so it is worked out again on its next use. A damaged entry is worked out
again, and an unwritable cache folder means working it out every time, never an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
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
    from trainer.config.locations import cache_dir

    key = _key(files, code, extra)
    if key is None:
        return build()  # a file that cannot be read: `build` reports it as it always has
    entry = cache_dir() / kind / f"{key}.pickle"
    try:
        with entry.open("rb") as file:
            found = pickle.load(file)
        return found  # type: ignore[no-any-return]
    except FileNotFoundError:
        pass
    except Exception:  # noqa: BLE001  a damaged entry is worked out again, never an error
        pass
    result = build()
    if _key(files, code, extra) == key:  # no file was edited while it was worked out
        partial = entry.with_name(f".{entry.name}.{os.getpid()}.partial")
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            partial.write_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(partial, entry)
        except OSError:  # an unwritable cache folder
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)
    return result


def _key(files: Sequence[Path], code: Iterable[str], extra: str) -> str | None:
    digest = hashlib.sha256(extra.encode())
    for name in code:
        digest.update(Path(importlib.import_module(name).__file__ or "").read_bytes())
    try:
        for path in files:
            digest.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    except OSError:
        return None
    return digest.hexdigest()[:32]
