"""Typed messages that the call's workers post back to the screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:  # only named here: the first screen imports this module, and needs none of the call's machinery
    from trainer.app.call_report import CallReport
    from trainer.app.past_sessions import PastSession
    from trainer.content.library import Library
    from trainer.content.rubric import Rubric
    from trainer.engine.session import CustomerTurn, Session
    from trainer.scoring.coaching import Mark
    from trainer.scoring.scorer import Scorer


class CallStarted(Message):
    """The session is ready and the customer has opened."""

    def __init__(self, session: Session, opening: CustomerTurn) -> None:
        super().__init__()
        self.session = session
        self.opening = opening


class CustomerPiece(Message):
    """A piece of the customer's line as it streams in."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class CustomerRestart(Message):
    """The line shown so far is withdrawn; the customer starts again."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class BackendNotice(Message):
    """Something about the model backend the trainee should know (shown as a notification)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class CustomerReplied(Message):
    """The customer's line is complete; `marks` is what the trainee's turn earned and missed."""

    def __init__(self, turn: CustomerTurn, marks: list[Mark], interrupted: bool) -> None:
        super().__init__()
        self.turn = turn
        self.marks = marks
        self.interrupted = interrupted


class LibraryLoaded(Message):
    """The persona library, the rubric and its scorer are ready (or `error` says why the rubric is not)."""

    def __init__(self, library: Library, rubric: Rubric | None, scorer: Scorer | None, error: str = "") -> None:
        super().__init__()
        self.library = library
        self.rubric = rubric
        self.scorer = scorer
        self.error = error


class SessionsListed(Message):
    """The transcripts folder has been read for the history screen."""

    def __init__(self, sessions: list[PastSession]) -> None:
        super().__init__()
        self.sessions = sessions


class ReportReady(Message):
    """A past session has been re-scored and can be shown as a debrief."""

    def __init__(self, report: CallReport) -> None:
        super().__init__()
        self.report = report
