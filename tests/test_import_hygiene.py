"""The core imports nothing from Textual, and the model client only when a model is used."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import PROJECT

CORE = sorted(p.stem for p in (PROJECT / "trainer").glob("*.py") if p.stem not in ("__main__",))


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
