"""The scenario of the highlighted customer, as the trainee may know it before the call."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from trainer.app.plain import plain
from trainer.content.catalogue import Entry


class PersonaPreview(VerticalScroll):
    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(Content.styled("Choose a customer to see the scenario.", "$text-muted"), id="preview-text")

    def show(self, entry: Entry | None) -> None:
        self.query_one("#preview-text", Static).update(describe(entry) if entry else Content(""))
        self.scroll_home(animate=False)


def describe(entry: Entry) -> Content:
    fault = {"company": "the company (an apology is owed)", "customer": "the customer", "nobody": "nobody"}
    return Content("\n").join([
        Content.styled(visible_line(entry.name), "bold"),
        Content.styled(f"{entry.type.replace('_', ' ')} · {entry.language} · {entry.difficulty}", "$text-muted"),
        Content(""),
        plain(entry.summary),
        Content(""),
        Content.assemble(("Company  ", "$text-muted"), plain(entry.company)),
        Content.assemble(("Product  ", "$text-muted"), plain(entry.product)),
        Content.assemble(("Problem  ", "$text-muted"), plain(entry.problem)),
        Content.assemble(("At fault ", "$text-muted"), fault[entry.fault]),
        Content.assemble(("Mood     ", "$text-muted"), f"{entry.mood}/100 at the start; patience {entry.patience} turns"),
    ])


def visible_line(text: str) -> str:
    return " ".join(text.split())
