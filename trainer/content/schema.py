"""JSON Schemas for the file formats, generated from the models so editors can check files as they are typed."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from trainer.content.persona import Persona
from trainer.content.rubric import Rubric

SCHEMAS: dict[str, type[BaseModel]] = {"personas": Persona, "rubrics": Rubric}


def schema_text(model: type[BaseModel]) -> str:
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def write_schemas(root: Path) -> list[Path]:
    """Write `<folder>/schema.json` for each format below `root`; returns the files that changed."""
    changed = []
    for folder, model in SCHEMAS.items():
        target = root / folder / "schema.json"
        text = schema_text(model)
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            changed.append(target)
    return changed
