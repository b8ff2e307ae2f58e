"""The four filters over the persona library: type, language, difficulty, and who is at fault.

The four drop-downs are mounted just after the first screen is drawn (`Lazy`): they are a third of its
widgets, and the list of customers is what a trainee looks at first. Until then no filter is set.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.lazy import Lazy
from textual.message import Message
from textual.widgets import Select

from trainer.content.catalogue import Entry
from trainer.content.vocabulary import CustomerType, Difficulty, Fault, Language


@dataclass(frozen=True)
class Filters:
    type: str | None = None
    language: str | None = None
    difficulty: str | None = None
    fault: str | None = None

    def admit(self, entry: Entry) -> bool:
        return (
            (self.type is None or entry.type == self.type)
            and (self.language is None or entry.language == self.language)
            and (self.difficulty is None or entry.difficulty == self.difficulty)
            and (self.fault is None or entry.fault == self.fault)
        )


CHOICES = {
    "type": ("any type", [(t.value.replace("_", " "), t.value) for t in CustomerType]),
    "language": ("any language", [(x.value, x.value) for x in Language]),
    "difficulty": ("any difficulty", [(x.value, x.value) for x in Difficulty]),
    "fault": ("anyone at fault", [(f"{x.value} at fault", x.value) for x in Fault]),
}


class PersonaFilters(Horizontal):
    class Changed(Message):
        def __init__(self, filters: Filters) -> None:
            super().__init__()
            self.filters = filters

    def compose(self) -> ComposeResult:
        for name, (prompt, options) in CHOICES.items():
            yield Lazy(Select(options, prompt=prompt, id=f"filter-{name}", compact=True))

    @property
    def filters(self) -> Filters:
        values = {}
        for name in CHOICES:
            chosen = self.query(f"#filter-{name}").results(Select)  # none before it is mounted
            value = next((select.value for select in chosen), None)
            values[name] = value if isinstance(value, str) else None
        return Filters(**values)

    @on(Select.Changed)
    def _changed(self, event: Select.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(self.filters))
