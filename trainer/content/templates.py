"""The one jinja2 environment for persona lines and prompts: sandboxed, strict about unknown names."""

from __future__ import annotations

from functools import lru_cache

import jinja2
from jinja2.sandbox import SandboxedEnvironment


@lru_cache(maxsize=1)
def environment() -> SandboxedEnvironment:
    # Templates come from trainer-written files; the sandbox keeps a typo from
    # reaching Python internals, and StrictUndefined turns a misspelt fact into
    # an error at validation time instead of an empty gap in a customer's line.
    return SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=False)


_MARKDOWN_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#|~"})


def _markdown_text(value: object) -> str:
    """Trainee and customer text is data: escape it so Markdown shows it as typed."""
    return " ".join(str(value).split()).translate(_MARKDOWN_SPECIAL)


@lru_cache(maxsize=2)
def report_environment(html: bool) -> jinja2.Environment:
    """Templates shipped in trainer/templates for reports; HTML ones escape everything they insert."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("trainer", "templates"),
        autoescape=html,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = _markdown_text
    return env


def render_file(name: str, html: bool = False, **context: object) -> str:
    return report_environment(html).get_template(name).render(**context)


@lru_cache(maxsize=4096)
def compile_template(text: str) -> jinja2.Template:
    return environment().from_string(text)


def render(text: str, context: dict[str, object]) -> str:
    if "{" not in text and "\r" not in text:
        # Nothing jinja2 would read as a tag: it would give the text back. Most persona lines are plain, and
        # compiling each one was most of loading the library (the app's first screen waits for it).
        return text.strip()
    return compile_template(text).render(context).strip()


def check_template(text: str, context: dict[str, object]) -> str | None:
    """Why `text` would fail to render with `context`, or None if it renders."""
    try:
        render(text, context)
    except jinja2.TemplateSyntaxError as exc:
        return f"template syntax error: {exc.message} (template line {exc.lineno})"
    except jinja2.UndefinedError as exc:
        return f"template uses an unknown name: {exc.message}"
    except jinja2.TemplateError as exc:
        return f"template error: {exc}"
    return None
