"""The persona library and the files trainers write: `personas list|show`, `validate`, `schema`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from trainer.config import locations
from trainer.content.library import load_library, validate_files
from trainer.content.persona import Persona
from trainer.content.vocabulary import SOURCE_TITLES, CustomerType, Difficulty, Fault, Language, MoodBand
from trainer.wording import plural


@click.group()
def personas() -> None:
    """Browse the persona library."""


@personas.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array instead of a table.")
@click.option("--language", "-l", type=click.Choice([x.value for x in Language]), help="Only this language.")
@click.option("--type", "-t", "ctype", type=click.Choice([x.value for x in CustomerType]), help="Only this type.")
@click.option("--difficulty", type=click.Choice([x.value for x in Difficulty]), help="Only this difficulty.")
@click.option("--fault", type=click.Choice([x.value for x in Fault]), help="Only this fault.")
def personas_list(
    as_json: bool, language: str | None, ctype: str | None, difficulty: str | None, fault: str | None
) -> None:
    """List the personas: id, type, language, difficulty and who is at fault.

    \b
    Examples:
      trainer personas list
      trainer personas list --language de --json
    Files that fail to load are reported on stderr and skipped.
    """
    library = load_library(locations.personas_dir())
    for problem in library.problems:
        click.echo(f"skipped: {problem}", err=True)
    chosen = [
        p for p in library.personas.values()
        if (language is None or p.language.value == language)
        and (ctype is None or p.type.value == ctype)
        and (difficulty is None or p.difficulty.value == difficulty)
        and (fault is None or p.scenario.fault.value == fault)
    ]
    chosen.sort(key=lambda p: (p.language.value != "en", p.language.value, p.type.value, p.id))
    rows = [
        {"id": p.id, "name": p.name, "type": p.type.value, "language": p.language.value,
         "difficulty": p.difficulty.value, "fault": p.scenario.fault.value}
        for p in chosen
    ]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    columns = ["id", "type", "language", "difficulty", "fault"]
    widths = {c: max([len(c)] + [len(r[c]) for r in rows]) for c in columns}
    click.echo("  ".join(c.upper().ljust(widths[c]) for c in columns).rstrip())
    for row in rows:
        click.echo("  ".join(row[c].ljust(widths[c]) for c in columns).rstrip())
    click.echo(plural(len(rows), "persona"), err=True)


@personas.command("show")
@click.argument("persona_id")
def personas_show(persona_id: str) -> None:
    """Show one persona: scenario, what resolves it, temperament and lines.

    \b
    Example:
      trainer personas show aggressive-broadband-outage
    """
    library = load_library(locations.personas_dir())
    persona = library.get(persona_id)
    if persona is None:
        bad = [p for p in library.problems if p.path.stem == persona_id]
        if bad:
            raise click.ClickException("\n".join(str(p) for p in bad))
        raise click.ClickException(
            f"no persona with id '{persona_id}' in {locations.personas_dir()} (see `trainer personas list`)"
        )
    click.echo(describe(persona, library.paths[persona_id]))


def describe(persona: Persona, path: Path) -> str:
    s = persona.scenario
    t = persona.temperament
    out = [
        f"{persona.name} ({persona.id})",
        f"  {persona.type.value}, {persona.language.value}, {persona.difficulty.value}; "
        f"fault: {s.fault.value}; source: {SOURCE_TITLES[persona.source]}",
        f"  file: {path}",
        "",
        persona.summary,
        "",
        f"Company:  {s.company}",
        f"Product:  {s.product}",
        f"Problem:  {s.problem}",
    ]
    if s.facts:
        out.append("Facts:    " + "; ".join(f"{k}: {v}" for k, v in s.facts.items()))
    if s.hidden_facts:
        out.append("Revealed only when asked:")
        for f in s.hidden_facts:
            asked = f" (asked about: {', '.join(f.topics)})" if f.topics else " (any question)"
            waits = f" (once {f.after_need} is met)" if f.after_need else ""
            out.append(f"  - {f.id}{asked}{waits}: {f.line}")
    out += ["", f"Resolves it: {persona.resolution.summary}"]
    for need in persona.resolution.needs:
        detect = [x.value for x in need.signals] + [f'"{p}"' for p in need.phrases]
        detect += [c.value for c in need.requires] + [f"no {x.value}" for x in need.without]
        out.append(f"  - {need.id}: {need.description} [{', '.join(detect)}]")
        if need.examples.meets:
            out.append(f"      e.g. \"{need.examples.meets[0]}\"")
    out.append(f"Makes it worse: {persona.resolution.worse}")
    if persona.resolution.worse_phrases:
        out.append("  words: " + ", ".join(f'"{w}"' for w in persona.resolution.worse_phrases))
    out += [
        "",
        f"Temperament: mood {t.mood}/100 at the start, patience {t.patience} turns, "
        f"accepts below {t.accept_below}, leaves at {t.leave_above}; "
        f"reacts x{t.reactions.good} to good moves, x{t.reactions.bad} to bad ones"
        + ("; leaves at one blunt reply" if t.short_fuse else ""),
        f"Voice: {persona.voice}",
        "",
        "Lines per intent (calm/annoyed/angry):",
    ]
    for intent, bands in persona.lines.items():
        counts = "/".join(str(len(bands.get(band, []))) for band in MoodBand)
        out.append(f"  {intent.value:18} {counts}")
    for group in persona.lines_when:
        when = group.when
        cond = [f"{k} {', '.join(map(str, v))}" for k, v in (("needs met", when.needs_met), ("just met", when.just_met),
                ("told", when.revealed), ("after", [m.value for m in when.moves])) if v]
        if when.boundary_set is not None:
            cond.append("after a boundary" if when.boundary_set else "before a boundary")
        out.append(f"  {group.intent.value:18} {len(group.lines)} when {'; '.join(cond)}")
    out += ["", "Opening:"] + [f"  {line}" for line in persona.opening]
    return "\n".join(out)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def validate(paths: tuple[Path, ...]) -> None:
    """Check persona, rubric and phrase-list files; exits non-zero on any problem.

    With no PATH, checks the persona library, the rubrics and their phrase
    lists (rubrics/phrases/). A persona's examples (under each need and
    worse_examples) are played through the director: a sentence under
    `meets` must meet its need, one under `misses` must not, and so on.
    Each problem is one line: file:line:column: field: what is wrong.

    \b
    Examples:
      trainer validate
      trainer validate personas/en/my-new-persona.yaml
      trainer validate personas rubrics
    """
    from trainer.engine.rehearsal import example_problems

    targets = list(paths) or [locations.personas_dir(), locations.rubrics_dir()]
    counts, problems = validate_files(targets, example_problems)
    for problem in problems:
        click.echo(str(problem), err=True)
    summary = (
        f"{plural(counts['persona'], 'persona')}, {plural(counts['rubric'], 'rubric')} "
        f"and {plural(counts['phrases'], 'phrase list')} are valid"
    )
    if problems:
        click.echo(f"{summary}; {plural(len(problems), 'problem')}", err=True)
        sys.exit(1)
    click.echo(summary)


@click.command()
@click.option("--check", is_flag=True, help="Exit non-zero if a schema is out of date instead of writing it.")
def schema(check: bool) -> None:
    """Write personas/schema.json and rubrics/schema.json from the models.

    Editors that understand JSON Schema (VS Code with the YAML extension, for
    one) then complete and check persona files as you type.

    \b
    Example:
      trainer schema
    """
    from trainer.content.schema import write_schemas

    if check:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            fresh = Path(tmp)
            write_schemas(fresh)
            stale = [
                name for name in ("personas", "rubrics")
                if not (locations.PROJECT_ROOT / name / "schema.json").exists()
                or (locations.PROJECT_ROOT / name / "schema.json").read_text(encoding="utf-8")
                != (fresh / name / "schema.json").read_text(encoding="utf-8")
            ]
        if stale:
            raise click.ClickException(f"out of date: {', '.join(stale)}/schema.json (run `trainer schema`)")
        click.echo("schemas are up to date")
        return
    changed = write_schemas(locations.PROJECT_ROOT)
    for path in changed:
        click.echo(f"wrote {path}")
    if not changed:
        click.echo("schemas are up to date")
