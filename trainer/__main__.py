"""Lets `python -m trainer` run the command line."""

from trainer.cli import main

if __name__ == "__main__":  # not when a worker process of `trainer score --jobs` starts up from this module
    main()
