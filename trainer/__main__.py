"""Lets `python -m trainer` run the command line."""

from trainer.cli import main

main()
