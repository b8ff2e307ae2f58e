"""Opening the app: `trainer` in a terminal, `python -m trainer.app`, and `trainer serve` for browsers."""

from __future__ import annotations

import click

from trainer import __version__
from trainer.config import locations


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


def open_app(backend: str, model: str | None, base_url: str | None, trainee: str | None) -> None:
    from trainer.app import AppSettings, run_app

    run_app(AppSettings.load(backend=backend, model=model, base_url=base_url, trainee=trainee))  # type: ignore[arg-type]


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 lets other machines connect.")
@click.option("--port", type=int, default=8000, show_default=True, help="Port to listen on.")
@click.option("--classroom", is_flag=True, help="Sign-in first (accounts from `trainer classroom`); each tab "
              "practises as the person who signed in, and a trainee sees only their own sessions.")
@click.option("--public-url", help="The address browsers use, e.g. https://trainer.example.org behind a TLS proxy "
              "(default: http://HOST:PORT).")
@click.option("--secure-cookie/--no-secure-cookie", default=None,
              help="Send the session cookie over HTTPS only (default: on when --public-url is https).")
@click.option("--session-hours", type=float, default=8.0, show_default=True,
              help="How long a classroom sign-in lasts.")
@app_options
def serve(host: str, port: int, classroom: bool, public_url: str | None, secure_cookie: bool | None,
          session_hours: float, backend: str, model: str | None, base_url: str | None, trainee: str | None) -> None:
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
      trainer serve --classroom --host 0.0.0.0 --port 8080
    """
    from trainer.app.serve import serve_app
    from trainer.config.trainee import clean_name
    from trainer.errors import UserError

    if classroom and trainee:
        raise UserError("--trainee and --classroom: in a classroom each tab practises as the person who signed in")
    serve_app(host, port, backend=backend, model=model, base_url=base_url, trainee=clean_name(trainee) if trainee else None,
              classroom=classroom, public_url=public_url, secure_cookie=secure_cookie, session_hours=session_hours)


def _welcome() -> None:
    from trainer.content.library import load_library

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
