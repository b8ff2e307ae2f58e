"""`python -m trainer.app`: open the app whatever stdout is; `trainer serve` runs it this way for each browser.

It parses its few options itself, so a browser tab never loads the command line.
"""

from __future__ import annotations

import argparse
import sys

from trainer.app import AppSettings, run_app
from trainer.classroom.identity import Identity
from trainer.config.trainee import clean_name
from trainer.errors import UserError


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m trainer.app", description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["scripted", "openai"], default="scripted")
    parser.add_argument("--model")
    parser.add_argument("--base-url")
    parser.add_argument("--trainee")
    parser.add_argument("--shared", action="store_true",
                        help="one of many sessions on one server: ask for the name, remember none")
    parser.add_argument("--classroom-user", help="set by `trainer serve --classroom`: who signed in")
    parser.add_argument("--classroom-role", choices=["trainer", "trainee"], default="trainee")
    args = parser.parse_args(argv)
    try:
        classroom = Identity(clean_name(args.classroom_user), args.classroom_role) if args.classroom_user else None
        settings = AppSettings.load(backend=args.backend, model=args.model, base_url=args.base_url,
                                    trainee=classroom.name if classroom else args.trainee,
                                    remember_trainee=not args.shared and classroom is None, classroom=classroom)
    except UserError as exc:
        sys.exit(f"Error: {exc}")
    run_app(settings)


if __name__ == "__main__":
    main()
