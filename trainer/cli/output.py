"""What every command shares: writing a file the user asked for, reading folders of transcripts with progress,
the rubric a command scores with."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from trainer.config import locations

if TYPE_CHECKING:
    from trainer.content.rubric import Rubric
    from trainer.records.chain import Transcript
    from trainer.records.history import Skipped

PROGRESS_FROM = 200  # files; fewer are read before a bar would be worth drawing


def read_folder(paths: tuple[Path, ...], label: str) -> tuple[list[Transcript], list[Skipped]]:
    """Read transcripts with a progress bar on stderr for long runs; bad files are listed on stderr afterwards."""
    from trainer.records.history import Skipped, read_each, transcript_files

    files, skipped = transcript_files(paths)
    transcripts: list[Transcript] = []
    with progress(files, label) as each:
        for item in read_each(each):
            (skipped if isinstance(item, Skipped) else transcripts).append(item)  # type: ignore[arg-type]
    for item in skipped:
        click.echo(f"skipped: {item}", err=True)
    return transcripts, skipped


def progress(files: list[Path], label: str):  # type: ignore[no-untyped-def]
    if len(files) < PROGRESS_FROM:
        return _Plain(files)
    return click.progressbar(files, label=label, file=sys.stderr, show_pos=True, width=30)


class _Plain:
    def __init__(self, items: list[Path]) -> None:
        self.items = items

    def __enter__(self) -> Iterator[Path]:
        return iter(self.items)

    def __exit__(self, *exc: object) -> None:
        return None


def load_rubric_or_fail(path: Path | None) -> tuple[Rubric, Path]:
    from trainer.content.loader import load_rubric

    path = path or locations.default_rubric()
    return load_rubric(path), path


def write_output(path: Path, text: str) -> None:
    """Write a page or table the user asked for, saying where on stderr; an unwritable path is one line."""
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise click.ClickException(f"{path}: cannot write: {exc.strerror}") from None
    click.echo(f"wrote {path}", err=True)
