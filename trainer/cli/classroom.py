"""`trainer classroom`: who may sign in to `trainer serve --classroom`, as trainer or trainee, and their codes."""

from __future__ import annotations

import os
import time

import click

from trainer.classroom.accounts import CODE_HOURS, Accounts, Issued, open_accounts
from trainer.config.settings import home

URL_HELP = "The address trainees open, printed with the code (default: http://127.0.0.1:8000)."


def _store() -> Accounts:
    return open_accounts(os.environ.get("TRAINER_CLASSROOM_DB") or home())


def _print_code(issued: Issued, url: str) -> None:
    hours = max(1, round((issued.expires - time.time()) / 3600))
    click.echo(f"One-time sign-in code for {issued.name} ({issued.role}), shown only now, valid {hours} h:")
    click.echo(f"  {issued.code}")
    # The code rides in the fragment: a browser never sends it to the server, so no access log records it.
    click.echo(f"  {url.rstrip('/')}/signin#code={issued.code}")


@click.group()
def classroom() -> None:
    """Who may sign in to `trainer serve --classroom` (accounts in TRAINER_HOME/classroom.db).

    \b
    Examples:
      trainer classroom add "Ana Berzina"
      trainer classroom add "Mara Ozola" --role trainer
      trainer classroom list
    """


@classroom.command()
@click.argument("name")
@click.option("--role", type=click.Choice(["trainee", "trainer"]), default="trainee", show_default=True,
              help="A trainee sees only their own sessions; a trainer sees the cohort.")
@click.option("--hours", type=float, default=CODE_HOURS, show_default=True, help="How long the code stays valid.")
@click.option("--url", default="http://127.0.0.1:8000", help=URL_HELP)
def add(name: str, role: str, hours: float, url: str) -> None:
    """Add a person and print their one-time sign-in code (stored only as a hash).

    \b
    Example:
      trainer classroom add "Ana Berzina" --url https://trainer.example.org
    """
    _print_code(_store().add(name, role, hours), url)  # type: ignore[arg-type]


@classroom.command(name="list")
def list_() -> None:
    """Everyone who may sign in: name, role, password set, code waiting, signed in now.

    \b
    Example:
      trainer classroom list
    """
    people = _store().people()
    if not people:
        click.echo('Nobody yet: `trainer classroom add "NAME"` adds a trainee.')
        return
    width = max(len(p.name) for p in people)
    click.echo(f"{'name':<{width}}  role     password  code waiting  signed in")
    for p in people:
        click.echo(f"{p.name:<{width}}  {p.role:<7}  {'yes' if p.has_password else 'no':<8}  "
                   f"{'yes' if p.pending_code else 'no':<12}  {p.sessions}")


@classroom.command()
@click.argument("name")
def remove(name: str) -> None:
    """Remove a person: their code, password and sessions stop at once (their transcripts stay).

    \b
    Example:
      trainer classroom remove "Ana Berzina"
    """
    _store().remove(name)
    click.echo(f"Removed {name}; their transcripts are kept.")


@classroom.command()
@click.argument("name")
@click.option("--hours", type=float, default=CODE_HOURS, show_default=True, help="How long the code stays valid.")
@click.option("--url", default="http://127.0.0.1:8000", help=URL_HELP)
def reset(name: str, hours: float, url: str) -> None:
    """A new one-time code for a forgotten password or a lost code; signs them out everywhere.

    \b
    Example:
      trainer classroom reset "Ana Berzina"
    """
    _print_code(_store().reset(name, hours), url)
