"""The one root of every error a user can cause and fix; the CLI catches it once and prints it as one line."""

from __future__ import annotations


class UserError(Exception):
    """A problem the user can fix (a bad file, a missing key, an endpoint that failed); its text is for them.

    Bugs still raise their own exceptions and keep their tracebacks.
    """
