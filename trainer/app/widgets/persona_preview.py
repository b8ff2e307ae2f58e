"""The scenario of the highlighted customer, as the trainee may know it before the call."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from trainer.app.plain import plain
from trainer.content.persona import Persona


class PersonaPreview(VerticalScroll):
    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(Content.styled("Choose a customer to see the scenario.", "$text-muted"), id="preview-text")

    def show(self, persona: Persona | None) -> None:
        self.query_one("#preview-text", Static).update(describe(persona) if persona else Content(""))
        self.scroll_home(animate=False)


def describe(persona: Persona) -> Content:
    s = persona.scenario
    fault = {"company": "the company (an apology is owed)", "customer": "the customer", "nobody": "nobody"}
    t = persona.temperament
    return Content("\n").join([
        Content.styled(visible_line(persona.name), "bold"),
        Content.styled(
            f"{persona.type.value.replace('_', ' ')} · {persona.language.value} · {persona.difficulty.value}",
            "$text-muted",
        ),
        Content(""),
        plain(persona.summary),
        Content(""),
        Content.assemble(("Company  ", "$text-muted"), plain(s.company)),
        Content.assemble(("Product  ", "$text-muted"), plain(s.product)),
        Content.assemble(("Problem  ", "$text-muted"), plain(s.problem)),
        Content.assemble(("At fault ", "$text-muted"), fault[s.fault.value]),
        Content.assemble(("Mood     ", "$text-muted"), f"{t.mood}/100 at the start; patience {t.patience} turns"),
    ])


def visible_line(text: str) -> str:
    return " ".join(text.split())
