"""Who a classroom app process serves: set by the server from the signed-in session, never by the browser."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Role = Literal["trainer", "trainee"]
ROLES: tuple[Role, ...] = ("trainer", "trainee")


@dataclass(frozen=True)
class Identity:
    """A signed-in person: the name every transcript of theirs records, and what they may see."""

    name: str
    role: Role

    @property
    def sees_cohort(self) -> bool:
        """A trainer sees every trainee's sessions; a trainee only their own."""
        return self.role == "trainer"

    def header(self) -> dict[str, str]:
        """What a transcript's header records of the person who sat the call (`proctored`)."""
        return {"user": self.name, "role": self.role}
