"""The `trainer` command line: a thin shell over the core modules."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from trainer import __version__, locations
from trainer.library import load_library, validate_files
from trainer.persona import Persona
from trainer.vocabulary import SOURCE_TITLES, CustomerType, Difficulty, Fault, Language


def app_options(command):  # type: ignore[no-untyped-def]
    """The options of the app (`trainer`, `trainer serve`): who practises, and who voices the customer."""
    command = click.option("--trainee", help="Who is practising, recorded in every transcript (default: "
                           "TRAINER_TRAINEE, else the name the app asked for and remembered).")(command)
    command = click.option("--base-url", help="OpenAI-compatible endpoint for --backend openai "
                           "(default: TRAINER_BASE_URL, OPENAI_BASE_URL).")(command)
    command = click.option("--model", help="Model for --backend openai (default: TRAINER_MODEL, config, "
                           "gpt-4o-mini).")(command)
    return click.option("--backend", type=click.Choice(["scripted", "openai"]), default="scripted",
                        show_default=True, help="Who voices the customer in the app.")(command)


@click.group(
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Run `trainer COMMAND --help` for the options and an example of each command.",
)
@click.version_option(__version__, prog_name="trainer")
@app_options
@click.pass_context
def cli(ctx: click.Context, backend: str, model: str | None, base_url: str | None, trainee: str | None) -> None:
    """Practise difficult customer conversations against scripted or LLM-played personas.

    With no command, opens the app in the terminal; when input or output is
    not a terminal, shows the persona library and how to start instead.

    \b
    Examples:
      trainer
      trainer --trainee "Ana Berzina"
      trainer --backend openai --base-url http://127.0.0.1:11434/v1 --model llama3.2
    """
    if ctx.invoked_subcommand is None:
        if sys.stdin.isatty() and sys.stdout.isatty():
            open_app(backend, model, base_url, trainee)
        else:
            _welcome()


def open_app(backend: str, model: str | None, base_url: str | None, trainee: str | None, shared: bool = False) -> None:
    from trainer.app import AppSettings, make_app
    from trainer.settings import UserError

    try:
        settings = AppSettings.load(
            backend=backend, model=model, base_url=base_url, trainee=trainee,  # type: ignore[arg-type]
            remember_trainee=not shared,
        )
    except UserError as exc:
        raise click.ClickException(str(exc)) from None
    make_app(settings).run()


@click.command()
@app_options
@click.option("--shared", is_flag=True, hidden=True,
              help="One of many sessions on one server (`trainer serve`): ask for the name, remember none.")
def app_command(backend: str, model: str | None, base_url: str | None, trainee: str | None, shared: bool) -> None:
    """Open the app whatever stdout is (`python -m trainer.app`; `trainer serve` runs it for each browser)."""
    open_app(backend, model, base_url, trainee, shared)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 lets other machines connect.")
@click.option("--port", type=int, default=8000, show_default=True, help="Port to listen on.")
@app_options
def serve(host: str, port: int, backend: str, model: str | None, base_url: str | None, trainee: str | None) -> None:
    """Serve the app to web browsers (textual-serve), so a classroom needs no terminals.

    Each browser tab gets its own app process, which asks for the trainee's
    name (and remembers none: many trainees share the server) unless --trainee
    or TRAINER_TRAINEE gives one. Secrets in the environment
    never reach it: of the server's environment it gets only PATH, HOME, USER,
    the locale (LANG, LC_*), TERM, TZ, TMPDIR, Python's own variables and the
    TRAINER_* paths and model settings; with --backend openai, also the key
    for the chosen endpoint, as TRAINER_API_KEY (never one from the environment).

    \b
    Examples:
      trainer serve
      trainer serve --host 0.0.0.0 --port 8080
    """
    from trainer.app.serve import serve_app
    from trainer.settings import UserError
    from trainer.trainee import clean_name

    try:
        serve_app(host, port, backend=backend, model=model, base_url=base_url,
                  trainee=clean_name(trainee) if trainee else None)
    except UserError as exc:
        raise click.ClickException(str(exc)) from None


def _welcome() -> None:
    library = load_library(locations.personas_dir())
    for problem in library.problems:
        click.echo(f"skipped: {problem}", err=True)
    languages = sorted({p.language.value for p in library.personas.values()})
    types = {p.type for p in library.personas.values()}
    click.echo(f"trainer {__version__}: {len(library.personas)} personas "
               f"({len(types)} customer types; languages: {', '.join(languages)})")
    click.echo("")
    click.echo("  trainer                         (in a terminal) the app: choose a customer, take the call")
    click.echo("  trainer serve                   the same app in a web browser")
    click.echo("  trainer personas list           the customers you can practise with")
    click.echo("  trainer personas show ID        one customer's scenario and temperament")
    click.echo("  trainer validate                check persona and rubric files")
    click.echo("  trainer --help                  every command")


@cli.group()
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
        out.extend(f"  - {f.id}: {f.line}" for f in s.hidden_facts)
    out += ["", f"Resolves it: {persona.resolution.summary}"]
    for need in persona.resolution.needs:
        detect = [x.value for x in need.signals] + [f'"{p}"' for p in need.phrases]
        out.append(f"  - {need.id}: {need.description} [{', '.join(detect)}]")
    out.append(f"Makes it worse: {persona.resolution.worse}")
    out += [
        "",
        f"Temperament: mood {t.mood}/100 at the start, patience {t.patience} turns, "
        f"accepts below {t.accept_below}, leaves at {t.leave_above}; "
        f"reacts x{t.reactions.good} to good moves, x{t.reactions.bad} to bad ones",
        f"Voice: {persona.voice}",
        "",
        "Lines per intent (calm/annoyed/angry):",
    ]
    for intent, bands in persona.lines.items():
        counts = "/".join(str(len(bands.get(b, []))) for b in ("calm", "annoyed", "angry"))
        out.append(f"  {intent.value:18} {counts}")
    out += ["", "Opening:"] + [f"  {line}" for line in persona.opening]
    return "\n".join(out)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def validate(paths: tuple[Path, ...]) -> None:
    """Check persona, rubric and phrase-list files; exits non-zero on any problem.

    With no PATH, checks the persona library, the rubrics and their phrase
    lists (rubrics/phrases/). Each problem is
    one line: file:line:column: field: what is wrong.

    \b
    Examples:
      trainer validate
      trainer validate personas/en/my-new-persona.yaml
      trainer validate personas rubrics
    """
    targets = list(paths) or [locations.personas_dir(), locations.rubrics_dir()]
    counts, problems = validate_files(targets)
    for problem in problems:
        click.echo(str(problem), err=True)
    summary = (
        f"{plural(counts['persona'], 'persona')}, {plural(counts['rubric'], 'rubric')} "
        f"and {plural(counts['phrases'], 'phrase list')} are valid"
    )
    if problems:
        click.echo(f"{summary}; {len(problems)} problems", err=True)
        sys.exit(1)
    click.echo(summary)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--rubric", "rubric_path", type=click.Path(path_type=Path), help="Rubric file (default: rubrics/default.yaml).")
@click.option("--format", "fmt", type=click.Choice(["md", "json", "html"]), default="md", show_default=True)
@click.option("--judge", is_flag=True, help="Also ask an LLM judge about criteria the rubric marks `judge: true`.")
@click.option("--model", help="Model for the judge (default: TRAINER_MODEL, the config file, gpt-4o-mini).")
@click.option("--base-url", help="OpenAI-compatible endpoint for the judge (default: TRAINER_BASE_URL, OPENAI_BASE_URL).")
def score(
    files: tuple[Path, ...], rubric_path: Path | None, fmt: str, judge: bool, model: str | None, base_url: str | None
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
      trainer score call.json --rubric rubrics/strict.yaml --format html > call.html
      trainer score call.json --judge --base-url http://127.0.0.1:11434/v1 --model llama3.2

    The judge's verdicts sit beside the detectors' (with the model's name) and
    never change them or the score. If the judge fails, the scores are still
    printed, its errors go to stderr and the exit code is 1.
    """
    from trainer.dialog import load_dialog
    from trainer.loader import FileError, load_rubric
    from trainer.scorer import Scorer, session_json
    from trainer.templates import render_file

    try:
        rubric = load_rubric(rubric_path or locations.default_rubric())
    except FileError as exc:
        raise click.ClickException(str(exc)) from None
    llm = None
    if judge:
        from trainer.llm import LLM
        from trainer.settings import UserError, resolve_llm

        try:
            llm = LLM(resolve_llm(base_url=base_url, model=model))
        except UserError as exc:
            raise click.ClickException(str(exc)) from None
    scorer = Scorer(rubric)
    results = []
    judged: dict = {}
    failed = False
    for path in files:
        try:
            session = scorer.score(load_dialog(path))
        except FileError as exc:
            failed = True
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            continue
        results.append((str(path), session))
        if llm is not None:
            from trainer.judge import judge_session

            verdicts, errors = judge_session(session, llm)
            judged[str(path)] = {(v.turn, v.criterion): v for v in verdicts}
            for error in errors:
                failed = True
                click.echo(f"{path}: judge: {error}", err=True)
    if fmt == "json":
        click.echo(json.dumps([session_json(s, f, judged.get(f)) for f, s in results], ensure_ascii=False, indent=2))
    elif fmt == "html":
        click.echo(render_file("score.html.j2", html=True, results=results, judged=judged))
    else:
        for file, session in results:
            click.echo(render_file("score.md.j2", file=file, session=session, judged=judged.get(file, {})))
    if failed:
        sys.exit(1)


@cli.command()
@click.option("--persona", "persona_id", required=True, help="Persona id (see `trainer personas list`).")
@click.option("--replies", type=click.File("r", encoding="utf-8"), help="Trainee replies, one per line (default: stdin).")
@click.option("--backend", type=click.Choice(["scripted", "openai"]), default="scripted", show_default=True,
              help="Who voices the customer: the persona's own lines, or a model.")
@click.option("--seed", type=int, help="Practice only: the same seed, persona and replies give the same call "
              "(default: a fresh seed each call; an exam always draws a fresh one).")
@click.option("--mode", type=click.Choice(["practice", "exam"]), default="practice", show_default=True)
@click.option("--trainee", default="", envvar="TRAINER_TRAINEE",
              help="Trainee name or id, recorded in the transcript (default: TRAINER_TRAINEE).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object when the call ends.")
@click.option("--model", help="Model for --backend openai (default: TRAINER_MODEL, config, gpt-4o-mini).")
@click.option("--base-url", help="OpenAI-compatible endpoint (default: TRAINER_BASE_URL, OPENAI_BASE_URL).")
def play(
    persona_id: str, replies, backend: str, seed: int | None, mode: str, trainee: str, as_json: bool,  # type: ignore[no-untyped-def]
    model: str | None, base_url: str | None,
) -> None:
    """Play one call without the app: replies from a file or stdin, the customer's lines as they come.

    The transcript is saved under transcripts/ and the debrief printed at the
    end. Lines starting with / are commands: /end hangs up, /supervisor hands
    the call over. When the replies run out first, the call ends out of turns.

    \b
    Examples:
      trainer play --persona aggressive-broadband-outage
      trainer play --persona de-kompensation-sofa-lieferung --replies replies.txt --json
      trainer play --persona undecided-mobile-plan --backend openai --base-url http://127.0.0.1:11434/v1 --model llama3.2
    """
    from trainer.actors import LLMActor, ScriptedActor
    from trainer.loader import FileError, load_rubric
    from trainer.session import draw_seed, new_session
    from trainer.settings import UserError

    library = load_library(locations.personas_dir())
    persona = library.get(persona_id)
    if persona is None:
        raise click.ClickException(f"no persona with id '{persona_id}' (see `trainer personas list`)")
    rubric_path = locations.default_rubric()
    try:
        rubric = load_rubric(rubric_path)
        seed = draw_seed(mode, seed)
    except (FileError, UserError) as exc:
        raise click.ClickException(str(exc)) from None
    scripted = ScriptedActor(persona, seed)
    actor: ScriptedActor | LLMActor = scripted
    if backend == "openai":
        from trainer.llm import LLM
        from trainer.settings import resolve_llm

        try:
            actor = LLMActor(persona, LLM(resolve_llm(base_url=base_url, model=model)), scripted)
        except UserError as exc:
            raise click.ClickException(str(exc)) from None
    try:
        session = new_session(
            persona, library.paths[persona.id], rubric, rubric_path, actor,
            seed=seed, mode=mode, trainee=trainee, transcripts=locations.transcripts_dir(),
        )
    except UserError as exc:  # an exam without a signing key
        raise click.ClickException(str(exc)) from None
    say = (lambda *a, **k: None) if as_json else click.echo
    say(f"{persona.name} ({persona.type.value}, {persona.language.value}) is on the line. /end hangs up.\n")
    say(f"{persona.name}: {session.start().text}")
    converse(session, library, replies, as_json)


def converse(session, library, replies, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    """Read the trainee's replies until the call ends, show the customer's lines as they come, then the debrief.

    `trainer play` and `trainer resume` share it, so a resumed call goes on exactly as a new one would.
    """
    from trainer.debrief import build_debrief
    from trainer.director import Outcome
    from trainer.handover import handover_line
    from trainer.templates import render_file

    say = (lambda *a, **k: None) if as_json else click.echo
    interactive = replies is None and sys.stdin.isatty()
    source = replies or sys.stdin
    outcome: Outcome | None = None
    while not session.finished:
        if interactive:
            click.echo("you> ", nl=False)
        line = source.readline()
        if not line:
            outcome = Outcome.out_of_turns
            break
        text = line.strip()
        if not text:
            continue
        if text == "/end":
            outcome = Outcome.out_of_turns
            break
        if text == "/supervisor":
            text = handover_line(session.persona.language)
        if not interactive:
            say(f"you: {text}")
        show_reply(session.persona.name, session.reply(text), say)
    result = session.end(outcome)
    transcript = session.writer.path if session.writer else None
    if as_json:
        click.echo(json.dumps({
            "transcript": str(transcript), "outcome": session.outcome.value if session.outcome else None,
            "mood": session.moods, "score": result.score, "passed": result.passed,
        }, ensure_ascii=False))
        return
    click.echo(f"\nThe call ended: {session.outcome.value if session.outcome else 'unfinished'}. Transcript: {transcript}\n")
    report = build_debrief(result, library, session.moods)
    click.echo(render_file("debrief.md.j2", file=str(transcript), d=report, trainee=session.trainee))


def show_reply(name: str, events, say) -> None:  # type: ignore[no-untyped-def]
    """The customer's line as it streams; a retry starts the line again, notices go to stderr."""
    from trainer.actors import Notice, Piece, Restart
    from trainer.session import CustomerTurn

    say(f"{name}: ", nl=False)
    for event in events:
        if isinstance(event, Piece):
            say(event.text, nl=False)
        elif isinstance(event, Restart):
            say(f" [{event.reason}; again]", nl=False)
            say(f"\n{name}: ", nl=False)
        elif isinstance(event, Notice):
            click.echo(f"\nnotice: {event.text}", err=True)
        elif isinstance(event, CustomerTurn):
            say("")


@cli.command()
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
    from trainer.debrief import build_debrief, criteria_chart, mood_chart
    from trainer.dialog import load_dialog
    from trainer.loader import FileError, load_rubric
    from trainer.scorer import Scorer
    from trainer.templates import render_file

    try:
        rubric = load_rubric(rubric_path or locations.default_rubric())
        dialog = load_dialog(file)
    except FileError as exc:
        raise click.ClickException(str(exc)) from None
    session = Scorer(rubric).score(dialog)
    mood = [t.mood for t in dialog.turns if t.mood is not None]
    report = build_debrief(session, load_library(locations.personas_dir()), mood)
    if fmt == "html":
        text = render_file(
            "debrief.html.j2", html=True, file=str(file), d=report, trainee=dialog.trainee,
            mood_svg=mood_chart(report.mood), criteria_svg=criteria_chart(session.criteria),
        )
    else:
        text = render_file("debrief.md.j2", file=str(file), d=report, trainee=dialog.trainee)
    if output is None:
        click.echo(text)
        return
    write_output(output, text)


def write_output(path: Path, text: str) -> None:
    """Write a page or table the user asked for, saying where on stderr; an unwritable path is one line."""
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise click.ClickException(f"{path}: cannot write: {exc.strerror}") from None
    click.echo(f"wrote {path}", err=True)


@cli.command()
@click.option("--check", is_flag=True, help="Exit non-zero if a schema is out of date instead of writing it.")
def schema(check: bool) -> None:
    """Write personas/schema.json and rubrics/schema.json from the models.

    Editors that understand JSON Schema (VS Code with the YAML extension, for
    one) then complete and check persona files as you type.

    \b
    Example:
      trainer schema
    """
    from trainer.schema import write_schemas

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


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def main() -> None:
    cli(prog_name="trainer")


from trainer import cli_records  # noqa: E402,F401
