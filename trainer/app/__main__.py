"""`python -m trainer.app`: open the app whatever stdout is; `trainer serve` runs it this way for each browser."""

from trainer.cli import app_command

app_command(prog_name="trainer")
