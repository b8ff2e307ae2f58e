"""The core imports nothing from Textual, and the model client only when a model is used."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import PROJECT

FRONT_ENDS = ("cli", "app")  # the shells over the core; everything else is core
CORE = sorted(
    ".".join(p.relative_to(PROJECT / "trainer").with_suffix("").parts).removesuffix(".__init__")
    for p in (PROJECT / "trainer").rglob("*.py")
    if p.relative_to(PROJECT / "trainer").parts[0] not in FRONT_ENDS and p.stem != "__main__"
)


def test_the_core_list_walks_every_layer():
    """A move into a new sub-package must not make this check silently look at less."""
    for package in ("config", "content", "scoring", "records", "engine"):
        assert any(m.startswith(package + ".") for m in CORE), package
    assert len(CORE) >= 40


def loaded_after_importing(modules: list[str]) -> set[str]:
    code = (
        "import sys\n"
        + "".join(f"import trainer.{m}\n" for m in modules)
        + "print(' '.join(sorted({name.split('.')[0] for name in sys.modules})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PROJECT)
    return set(out.stdout.split())


def test_core_modules_do_not_import_textual_or_openai():
    loaded = loaded_after_importing(CORE)
    assert "textual" not in loaded
    assert "openai" not in loaded  # `import openai` alone costs half a second: only when a model is used


def test_the_first_screen_needs_neither_the_persona_models_nor_the_yaml_reader():
    """The app lists the customers from the kept catalogue: pydantic and yaml load with the library, after."""
    loaded = loaded_after_importing(["app.app", "app.screens.choose", "content.catalogue"])
    assert "pydantic" not in loaded
    assert "yaml" not in loaded
