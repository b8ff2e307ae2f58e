"""The `trainer` command group: its options open the app; every other command comes from a module of its own."""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from trainer import __version__
from trainer.cli.app_commands import _welcome, app_options, open_app
from trainer.errors import UserError

# Each command's module is imported only when that command runs (or --help lists it): `trainer score` need not
# import the persona models, the records or the app.
COMMANDS = {
    "serve": "app_commands",
    "personas": "library", "validate": "library", "schema": "library",
    "score": "scoring", "debrief": "scoring",
    "play": "calls", "resume": "calls",
    "keys": "records", "verify": "records", "history": "records", "rescore": "records", "report": "records",
    "certify": "records",
    "classroom": "classroom",
}


class Group(click.Group):
    """The group that turns any problem a user can fix into one line on stderr and exit 1, for every command."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *super().list_commands(ctx)})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMANDS.get(cmd_name)
        if module is not None:
            command = getattr(importlib.import_module(f"trainer.cli.{module}"), cmd_name)
            return command if isinstance(command, click.Command) else None
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except UserError as exc:
            raise click.ClickException(str(exc)) from None


@click.group(
    cls=Group,
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



def main() -> None:
    cli(prog_name="trainer")
