"""Scoring saved dialogs and transcripts: `trainer score` and `trainer debrief`."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from trainer.cli.output import write_output
from trainer.config import locations


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--rubric", "rubric_path", type=click.Path(path_type=Path), help="Rubric file (default: rubrics/default.yaml).")
@click.option("--format", "fmt", type=click.Choice(["md", "json", "html"]), default="md", show_default=True)
@click.option("--pretty", is_flag=True, help="Indent the JSON for reading (compact, one line, by default).")
@click.option("--judge", is_flag=True, help="Also ask an LLM judge about criteria the rubric marks `judge: true`.")
@click.option("--model", help="Model for the judge (default: TRAINER_MODEL, the config file, gpt-4o-mini).")
@click.option("--base-url", help="OpenAI-compatible endpoint for the judge (default: TRAINER_BASE_URL, OPENAI_BASE_URL).")
@click.option(
    "--jobs", "-j", type=click.IntRange(min=0), default=0, show_default="0: one per CPU, at most one per 20 files",
    help="Worker processes for compact --format json (1: score in this process). The output is the same.",
)
def score(
    files: tuple[Path, ...], rubric_path: Path | None, fmt: str, pretty: bool, judge: bool, model: str | None,
    base_url: str | None, jobs: int,
) -> None:
    """Score dialog files against a rubric.

    A dialog file is JSON: {"language": "en", "company_at_fault": true,
    "turns": [{"role": "customer", "text": "..."}, {"role": "trainee", "text": "..."}]}.
    A file that cannot be read is reported on stderr and the others are still
    scored; the exit code is then 1.

    \b
    Examples:
      trainer score tests/fixtures/dialogs/en-good.json
      trainer score dialogs/*.json --format json > scores.json
      trainer score transcripts/*.jsonl --format json --jobs 4 > cohort.json
      trainer score call.json --format json --pretty
      trainer score call.json --rubric rubrics/strict.yaml --format html > call.html
      trainer score call.json --judge --base-url http://127.0.0.1:11434/v1 --model llama3.2

    The judge's verdicts sit beside the detectors' (with the model's name) and
    never change them or the score. If the judge fails, the scores are still
    printed, its errors go to stderr and the exit code is 1.
    """
    from trainer.content.loader import FileError, load_rubric
    from trainer.records.store import load_scorable
    from trainer.scoring.scorer import Scorer, session_json

    rubric_file = rubric_path or locations.default_rubric()
    rubric = load_rubric(rubric_file)
    compact = fmt == "json" and not pretty
    workers = _workers(jobs, len(files))
    if compact and not judge and workers > 1:
        _score_in_workers(files, rubric_file, workers)
        return
    llm = None
    if judge:
        from trainer.config.settings import resolve_llm
        from trainer.llm import LLM

        llm = LLM(resolve_llm(base_url=base_url, model=model))
    scorer = Scorer(rubric)
    results = []
    judged: dict = {}
    failed = False
    written = 0
    for path in files:
        try:
            session = scorer.score(load_scorable(path))
        except FileError as exc:
            failed = True
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            continue
        if llm is not None:
            from trainer.scoring.judge import judge_session

            verdicts, errors = judge_session(session, llm)
            judged[str(path)] = {(v.turn, v.criterion): v for v in verdicts}
            for error in errors:
                failed = True
                click.echo(f"{path}: judge: {error}", err=True)
        if compact:
            # The array one file at a time, so a long run never holds every session and its JSON at once; the
            # standard library's C encoder writes it (indenting sends it to the pure-Python one, 15 s of 20,000 turns).
            item = session_json(session, str(path), judged.get(str(path)))
            click.echo(("," if written else "[") + json.dumps(item, ensure_ascii=False, separators=(",", ":")), nl=False)
            written += 1
        else:
            results.append((str(path), session))
    if compact:
        click.echo("]" if written else "[]")
    elif fmt == "json":
        click.echo(json.dumps([session_json(s, f, judged.get(f)) for f, s in results], ensure_ascii=False, indent=2))
    elif fmt == "html":
        from trainer.content.templates import render_file

        click.echo(render_file("score.html.j2", html=True, results=results, judged=judged))
    else:
        from trainer.content.templates import render_file

        for file, session in results:
            click.echo(render_file("score.md.j2", file=file, session=session, judged=judged.get(file, {})))
    if failed:
        sys.exit(1)


FILES_PER_WORKER = 20  # a worker process takes about half a second to start: worth it for this many files


def _workers(jobs: int, files: int) -> int:
    if jobs:
        return min(jobs, files)
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(cpus, files // FILES_PER_WORKER))


def _score_in_workers(files: tuple[Path, ...], rubric_file: Path, workers: int) -> None:
    """`trainer score --format json` with the files shared among worker processes, printed in the order given.

    Each worker scores runs of consecutive files and sends back each file's JSON, or the problems that kept it
    from being scored; the output and the exit code are those of scoring them all in this process. Should the
    workers fail to start or die, the runs not yet printed are scored here.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    size = max(1, min(FILES_PER_WORKER, -(-len(files) // (workers * 4))))  # small runs: a slow file holds up little
    runs = [files[n:n + size] for n in range(0, len(files), size)]
    failed = False
    written = 0

    def show(done: list[tuple[str | None, list[str]]]) -> None:
        nonlocal failed, written
        for item, problems in done:
            for problem in problems:
                click.echo(problem, err=True)
            if item is None:
                failed = True
                continue
            click.echo(("," if written else "[") + item, nl=False)
            written += 1

    shown = 0
    # "spawn": a fresh interpreter on every platform; a forked one would share the parent's SQLite handles.
    context = multiprocessing.get_context("spawn")
    try:
        with ProcessPoolExecutor(workers, context, initializer=_start_worker, initargs=(rubric_file,)) as pool:
            for done in pool.map(_score_run, runs):
                show(done)
                shown += 1
    except BrokenProcessPool:
        click.echo("trainer score: the worker processes stopped; scoring the rest in this one", err=True)
    if shown < len(runs):
        _start_worker(rubric_file)
        for run in runs[shown:]:
            show(_score_run(run))
    click.echo("]" if written else "[]")
    if failed:
        sys.exit(1)


_worker_scorer = None  # the worker process's scorer, made once by _start_worker


def _start_worker(rubric_file: Path) -> None:
    from trainer.content.loader import load_rubric
    from trainer.scoring.scorer import Scorer

    global _worker_scorer
    _worker_scorer = Scorer(load_rubric(rubric_file))


def _score_run(run: tuple[Path, ...]) -> list[tuple[str | None, list[str]]]:
    """Each file's compact JSON, or None and the problems that kept it from being scored."""
    from trainer.content.loader import FileError
    from trainer.records.store import load_scorable
    from trainer.scoring.scorer import session_json

    assert _worker_scorer is not None
    done: list[tuple[str | None, list[str]]] = []
    for path in run:
        try:
            session = _worker_scorer.score(load_scorable(path))
        except FileError as exc:
            done.append((None, [str(problem) for problem in exc.problems]))
            continue
        item = session_json(session, str(path))
        done.append((json.dumps(item, ensure_ascii=False, separators=(",", ":")), []))
    return done


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--rubric", "rubric_path", type=click.Path(path_type=Path), help="Rubric file (default: rubrics/default.yaml).")
@click.option("--format", "fmt", type=click.Choice(["md", "html"]), default="md", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to this file instead of printing.")
def debrief(file: Path, rubric_path: Path | None, fmt: str, output: Path | None) -> None:
    """The debrief of one session: score, criteria, strongest and weakest moments, what to practise next.

    The HTML version is one self-contained page (inline CSS and SVG, no
    network) that prints well.

    \b
    Examples:
      trainer debrief tests/fixtures/dialogs/en-bad.json
      trainer debrief call.json --format html -o debrief.html
    """
    from trainer.content.library import load_library
    from trainer.content.loader import load_rubric
    from trainer.content.templates import render_file
    from trainer.records.store import load_scorable, recorded_outcome
    from trainer.scoring.debrief import build_debrief, criteria_chart, mood_chart
    from trainer.scoring.scorer import Scorer
    from trainer.wording import ending

    rubric = load_rubric(rubric_path or locations.default_rubric())
    dialog = load_scorable(file)
    session = Scorer(rubric).score(dialog)
    mood = [t.mood for t in dialog.turns if t.mood is not None]
    report = build_debrief(session, load_library(locations.personas_dir()), mood)
    how = ending(recorded_outcome(file))
    if fmt == "html":
        text = render_file(
            "debrief.html.j2", html=True, file=str(file), d=report, trainee=dialog.trainee, ending=how,
            mood_svg=mood_chart(report.mood), criteria_svg=criteria_chart(session.criteria),
        )
    else:
        text = render_file("debrief.md.j2", file=str(file), d=report, trainee=dialog.trainee, ending=how)
    if output is None:
        click.echo(text)
        return
    write_output(output, text)
