"""The fixed words shared by personas, rubrics, the scorer and the director."""

from __future__ import annotations

from enum import Enum


class Language(str, Enum):
    """Languages the personas and the scorer speak (ISO 639-1)."""

    en = "en"
    de = "de"
    lv = "lv"
    pl = "pl"
    ru = "ru"
    nl = "nl"


class CustomerType(str, Enum):
    """The customer types of the guidance (shared/guidance.md)."""

    aggressive = "aggressive"
    reserved_grumbler = "reserved_grumbler"
    silent = "silent"
    key_account = "key_account"
    know_it_all = "know_it_all"
    compensation_seeker = "compensation_seeker"
    serial_complainer = "serial_complainer"
    angry_caller = "angry_caller"
    abusive = "abusive"
    supervisor_demander = "supervisor_demander"
    customer_at_fault = "customer_at_fault"
    refused_request = "refused_request"
    prankster = "prankster"
    undecided = "undecided"


class Fault(str, Enum):
    """Who caused the problem; decides whether an apology for fault is owed."""

    company = "company"
    customer = "customer"
    nobody = "nobody"


class Difficulty(str, Enum):
    easy = "easy"
    medium = "medium"
    hard = "hard"


class SourceDoc(str, Enum):
    """The guidance documents in shared/seeds, by their number."""

    de_000 = "000"
    lv_001 = "001"
    pl_002 = "002"
    ru_003 = "003"
    nl_004 = "004"


SOURCE_TITLES: dict[SourceDoc, str] = {
    SourceDoc.de_000: "000 (de): types of dissatisfied customers; seven steps of conflict resolution",
    SourceDoc.lv_001: "001 (lv): handling an angry caller on the phone",
    SourceDoc.pl_002: "002 (pl): strategies for difficult clients",
    SourceDoc.ru_003: "003 (ru): angry, mistaken and aggressive customers; how to say no",
    SourceDoc.nl_004: "004 (nl): service habits, complaints, abusive customers, limits",
}


_T, _S = CustomerType, SourceDoc
# Which guidance documents describe each customer type (shared/guidance.md).
TYPE_SOURCES: dict[CustomerType, tuple[SourceDoc, ...]] = {
    **{t: (_S.de_000,) for t in (_T.aggressive, _T.reserved_grumbler, _T.silent, _T.key_account,
                                 _T.know_it_all, _T.compensation_seeker, _T.serial_complainer)},
    _T.angry_caller: (_S.lv_001, _S.ru_003),
    _T.abusive: (_S.lv_001, _S.ru_003, _S.nl_004),
    _T.supervisor_demander: (_S.lv_001, _S.ru_003),
    _T.customer_at_fault: (_S.ru_003, _S.lv_001),
    _T.refused_request: (_S.ru_003,),
    _T.prankster: (_S.nl_004,),
    _T.undecided: (_S.nl_004,),
}


class Signal(str, Enum):
    """What the detectors report about one trainee turn. These names are a public interface."""

    empathy = "empathy"
    apology = "apology"
    negative_language = "negative_language"
    paraphrase = "paraphrase"
    raised_tone = "raised_tone"
    blame = "blame"
    question = "question"
    commitment = "commitment"
    escalation = "escalation"
    boundary = "boundary"
    thanks = "thanks"


class Intent(str, Enum):
    """What the customer does next; the director picks one, an actor voices it."""

    complain = "complain"
    demand = "demand"
    calm_down = "calm_down"
    accept = "accept"
    threaten_to_leave = "threaten_to_leave"
    leave = "leave"
    ask_for_manager = "ask_for_manager"
    insult = "insult"
    go_silent = "go_silent"
    thank = "thank"


# Every persona must voice these; the others are optional and the director
# picks them only for personas that have lines for them.
REQUIRED_INTENTS: tuple[Intent, ...] = (
    Intent.complain,
    Intent.demand,
    Intent.calm_down,
    Intent.accept,
    Intent.threaten_to_leave,
    Intent.leave,
    Intent.thank,
)


class MoodBand(str, Enum):
    """Mood 0-100 falls in one of three bands; lines are written per band."""

    calm = "calm"
    annoyed = "annoyed"
    angry = "angry"

    @classmethod
    def of(cls, mood: float) -> MoodBand:
        if mood < 34:
            return cls.calm
        if mood < 67:
            return cls.annoyed
        return cls.angry


class Cue(str, Enum):
    """Further phrase-based detections a rubric may use beside the eleven signals.

    They are not reported among a turn's `signals` (that set is a fixed public
    interface); criteria cite them as evidence.
    """

    compensation = "compensation"
    deflection = "deflection"
    reason = "reason"
    follow_up = "follow_up"
    false_promise = "false_promise"
    documentation = "documentation"


class CustomerCue(str, Enum):
    """What the detectors look for in customer turns, to open a criterion's window."""

    manager_request = "manager_request"
    abuse = "abuse"


DETECTOR_NAMES: tuple[str, ...] = tuple(s.value for s in Signal) + tuple(c.value for c in Cue)
