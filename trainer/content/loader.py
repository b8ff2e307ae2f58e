"""Reads persona and rubric YAML files into models, turning every problem into one line a trainer can act on."""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from trainer.content.rubric import Rubric
from trainer.errors import UserError

if TYPE_CHECKING:  # imported where used: `trainer score` reads a rubric and needs neither personas nor templates
    from trainer.content.persona import Persona

Model = TypeVar("Model", bound=BaseModel)
Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file, located as precisely as the file allows."""

    path: Path
    message: str
    line: int | None = None
    column: int | None = None
    field: str = ""

    def __str__(self) -> str:
        where = str(self.path)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


class FileError(UserError):
    """A file could not be loaded; carries every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


# YAML 1.1 reads `no` as false and `000` as an octal zero; trainers write YAML
# 1.2-style and expect `source: 000` and a line "No" to stay text.
class _Yaml12Loader(yaml.SafeLoader):
    pass


_BOOL, _INT, _FLOAT = "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_BOOL, _INT, _FLOAT)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml12Loader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_Yaml12Loader.add_implicit_resolver(_INT, re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789"))
_Yaml12Loader.add_implicit_resolver(
    _FLOAT, re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"), list("-+0123456789.")
)

# libyaml parses the same documents several times faster (it takes the app's start-up under a second);
# the resolvers stay the Python ones above, so values and positions come out the same.
_CYaml12Loader: type[yaml.CSafeLoader] | None = None
if getattr(yaml, "__with_libyaml__", False):
    class _CLoader(yaml.CSafeLoader):
        pass

    _CLoader.yaml_implicit_resolvers = _Yaml12Loader.yaml_implicit_resolvers
    _CYaml12Loader = _CLoader


@dataclass
class YamlDocument:
    """Parsed YAML plus where each value and key starts, keyed by field path."""

    path: Path
    data: Any
    marks: dict[Loc, tuple[int, int]]

    def locate(self, loc: Loc) -> tuple[int | None, int | None]:
        """Line and column (1-based) of the deepest part of `loc` present in the file."""
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.marks:
                return self.marks[loc[:end]]
        return None, None

    def problem(self, loc: Loc, message: str) -> Problem:
        line, column = self.locate(loc)
        return Problem(self.path, message, line, column, field_path(loc))


def field_path(loc: Loc) -> str:
    """`('lines', 'complain', 'angry', 0)` -> `lines.complain.angry[0]`."""
    out = ""
    for part in loc:
        if part == "[key]":
            continue
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def read_yaml(path: Path) -> YamlDocument:
    """Parse a YAML file, rejecting duplicate keys and recording positions."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FileError([Problem(path, "file not found")]) from None
    except UnicodeDecodeError as exc:
        raise FileError([Problem(path, f"not UTF-8 text (byte {exc.start})")]) from None
    except OSError as exc:
        raise FileError([Problem(path, f"cannot read: {exc.strerror}")]) from None
    loader = (_CYaml12Loader or _Yaml12Loader)(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.YAMLError:
            if type(loader) is _Yaml12Loader:
                raise
            # libyaml words errors its own way: the pure-Python parser reports them as it always has.
            loader.dispose()
            loader = _Yaml12Loader(text)
            node = loader.get_single_node()
        if node is None:
            raise FileError([Problem(path, "the file is empty")])
        marks: dict[Loc, tuple[int, int]] = {}
        problems: list[Problem] = []
        _walk(node, (), marks, problems, path)
        if problems:
            raise FileError(problems)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = " ".join(part for part in (exc.context, exc.problem) if part)
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        if "mapping values are not allowed" in what:
            what += " (put text that contains ': ' in quotes)"
        raise FileError([Problem(path, f"invalid YAML: {what}", line, col)]) from None
    except yaml.YAMLError as exc:
        raise FileError([Problem(path, f"invalid YAML: {exc}")]) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise FileError([Problem(path, "expected a mapping of fields at the top level", 1, 1)])
    return YamlDocument(path, data, marks)


def _walk(
    node: yaml.Node, loc: Loc, marks: dict, problems: list[Problem], path: Path, key_mark: yaml.Mark | None = None
) -> None:
    # A block mapping or list starts on the line after its key; the key is where a reader looks.
    at = key_mark if key_mark is not None and not isinstance(node, yaml.ScalarNode) else node.start_mark
    marks[loc] = (at.line + 1, at.column + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            line = key_node.start_mark.line + 1
            if key in seen:
                problems.append(
                    Problem(path, f"duplicate key (first at line {seen[key]})", line,
                            key_node.start_mark.column + 1, field_path(loc + (key,)))
                )
                continue
            seen[key] = line
            marks[loc + (key, "[key]")] = (line, key_node.start_mark.column + 1)
            _walk(value_node, loc + (key,), marks, problems, path, key_node.start_mark)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, loc + (i,), marks, problems, path)


def load_model(path: Path | YamlDocument, model: type[Model]) -> Model:
    """Load and validate one file as `model`, or raise FileError with every problem."""
    doc = path if isinstance(path, YamlDocument) else read_yaml(path)
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        raise FileError([_describe(doc, model, err) for err in exc.errors()]) from None


def load_persona(path: Path | YamlDocument) -> Persona:
    """Load a persona and check that every template in it compiles and renders."""
    from trainer.content.persona import Persona
    from trainer.content.templates import check_template

    doc = path if isinstance(path, YamlDocument) else read_yaml(path)
    persona = load_model(doc, Persona)
    context = persona.template_context()
    problems = []
    for loc, text in persona.templates():
        message = check_template(text, context)
        if message:
            problems.append(doc.problem(loc, message))
    if problems:
        raise FileError(problems)
    return persona


def load_rubric(path: Path | YamlDocument) -> Rubric:
    return load_model(path, Rubric)


def _describe(doc: YamlDocument, model: type[BaseModel], err: Mapping[str, Any]) -> Problem:
    loc: Loc = tuple(err["loc"])
    kind = err["type"]
    given = err.get("input")
    if kind == "missing":
        return doc.problem(loc, "required field is missing")
    if kind == "extra_forbidden":
        allowed = _allowed_fields(model, loc[:-1])
        hint = ""
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        if close:
            hint = f" (did you mean '{close[0]}'?)"
        elif allowed:
            hint = f" (allowed: {', '.join(allowed)})"
        key_loc = loc + ("[key]",)
        line, column = doc.marks.get(key_loc, doc.locate(loc))
        return Problem(doc.path, f"unknown field{hint}", line, column, field_path(loc))
    if kind in ("enum", "literal_error"):
        expected = err.get("ctx", {}).get("expected", "")
        close = difflib.get_close_matches(str(given), re.findall(r"'([^']*)'", expected), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        return doc.problem(loc, f"expected one of {expected}; got {_show(given)}{hint}")
    if kind == "value_error":
        message = err["msg"].removeprefix("Value error, ")
        # Model-level checks name the field they are about; point at it.
        match = re.match(r"^([a-z_]+(?:\.[a-z_]+)*): (.*)$", message)
        if match:
            sub = tuple(match.group(1).split("."))
            if loc + sub in doc.marks:
                return doc.problem(loc + sub, match.group(2))
        return doc.problem(loc, message)
    message = err["msg"]
    if given is not None and not isinstance(given, (dict, list)):
        message += f"; got {_show(given)}"
    return doc.problem(loc, message[0].lower() + message[1:])


def describe_plain(path: Path, err: Mapping[str, Any]) -> Problem:
    """A validation error in a file without positions (JSON): the field path and what was expected."""
    doc = YamlDocument(path, None, {})
    return _describe(doc, BaseModel, err)


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _allowed_fields(model: type[BaseModel], loc: Loc) -> list[str]:
    """Field names of the model found at `loc` inside `model`, or [] where it is not a model."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            if not isinstance(part, str) or part not in current.model_fields:
                return []
            current = current.model_fields[part].annotation
        else:
            args = typing.get_args(current)
            if not args:
                return []
            current = args[-1]
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(options) != 1:
                return annotation
            annotation = options[0]
        else:
            return annotation


__all__ = ["FileError", "Problem", "load_persona", "load_rubric", "read_yaml"]
