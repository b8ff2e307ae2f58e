"""The `trainer` command line, a thin shell over the core: one module per group of commands, and the group in
`main`, which imports them (never the other way round) and prints any user error once, as one line.

May import: every layer below (engine, records, scoring, content, config) and `trainer.app` to open it.
Nothing imports the CLI but `trainer.__main__`. A new command goes in the module of its group and is added in `main`.
"""

from trainer.cli.main import cli, main

__all__ = ["cli", "main"]
