"""Settings for model calls, layered once: command-line flags > environment > config file > defaults."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from trainer.config.locations import home  # kept importable from here: the engine and the tests name it so
from trainer.errors import UserError

OPENAI_HOST = "api.openai.com"
PLACEHOLDER_KEY = "not-needed"  # keyless servers (Ollama, llama.cpp) still want a key in the header


class LLMSettings(BaseModel):
    """How to reach an OpenAI-compatible endpoint."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    base_url: str | None = Field(None, description="Endpoint, e.g. http://127.0.0.1:11434/v1 for Ollama.")
    api_key: str | None = Field(None, description="Key for that endpoint; not needed for local servers.")
    model: str = Field("gpt-4o-mini", description="Model name as the endpoint knows it.")
    timeout: float = Field(30.0, gt=0, le=600, description="Seconds before a whole (not streamed) request is given up.")
    max_retries: int = Field(
        2, ge=0, le=10,
        description="Retries with backoff on 429, 5xx and dropped connections; a customer's line retries only "
        "while its first_token_timeout allows.",
    )
    first_token_timeout: float = Field(
        5.0, gt=0, le=600,
        description="Seconds a customer's line may take to start (retries included) before the scripted line "
        "is used and the rest of the call goes on scripted.",
    )
    line_timeout: float = Field(
        20.0, gt=0, le=600,
        description="Seconds a customer's whole line may take; a line still arriving then ends at its last "
        "complete sentence.",
    )


class ConfigFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    llm: LLMSettings = Field(default_factory=LLMSettings)


def config_path() -> Path:
    return home() / "config.toml"


def read_config(path: Path | None = None) -> ConfigFile:
    path = path or config_path()
    if not path.exists():
        return ConfigFile()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: {exc}") from None
    try:
        return ConfigFile.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        raise UserError(f"{path}: {field}: {err['msg']}") from None


@dataclass(frozen=True)
class Resolved:
    """The settings in force, and whether the key may be sent to the chosen host."""

    llm: LLMSettings
    key_source: str

    @property
    def safe_key(self) -> str:
        return self.llm.api_key or PLACEHOLDER_KEY


def resolve_llm(
    base_url: str | None = None, api_key: str | None = None, model: str | None = None, config: Path | None = None
) -> Resolved:
    """Flags > TRAINER_* > OPENAI_* environment > config file > defaults.

    The user's OPENAI_API_KEY goes only to OpenAI, or to an OPENAI_BASE_URL set
    beside it: pointing the trainer at another host never leaks it there.
    """
    env = os.environ
    file = read_config(config).llm
    chosen_url, url_source = _first(
        (base_url, "flag"), (env.get("TRAINER_BASE_URL"), "TRAINER_BASE_URL"),
        (env.get("OPENAI_BASE_URL"), "OPENAI_BASE_URL"), (file.base_url, "config"),
    )
    chosen_key, key_source = _first(
        (api_key, "flag"), (env.get("TRAINER_API_KEY"), "TRAINER_API_KEY"),
        (env.get("OPENAI_API_KEY"), "OPENAI_API_KEY"), (file.api_key, "config"),
    )
    if key_source == "OPENAI_API_KEY" and chosen_url and url_source != "OPENAI_BASE_URL":
        if urlparse(chosen_url).hostname != OPENAI_HOST:
            chosen_key, key_source = None, "withheld"
    chosen_model = model or env.get("TRAINER_MODEL") or file.model
    try:
        llm = LLMSettings(
            base_url=chosen_url, api_key=chosen_key, model=chosen_model,
            timeout=float(env.get("TRAINER_TIMEOUT", file.timeout)),
            max_retries=int(env.get("TRAINER_MAX_RETRIES", file.max_retries)),
            first_token_timeout=float(env.get("TRAINER_FIRST_TOKEN_TIMEOUT", file.first_token_timeout)),
            line_timeout=float(env.get("TRAINER_LINE_TIMEOUT", file.line_timeout)),
        )
    except (ValidationError, ValueError) as exc:
        raise UserError(f"model settings: {exc}") from None
    if llm.base_url is None and llm.api_key is None:
        raise UserError(
            "no model endpoint configured: set OPENAI_API_KEY for OpenAI, or --base-url / TRAINER_BASE_URL "
            "for a local server such as Ollama (http://127.0.0.1:11434/v1) or llama.cpp"
        )
    return Resolved(llm, key_source or "none")


def _first(*options: tuple[str | None, str]) -> tuple[str | None, str | None]:
    for value, source in options:
        if value:
            return value, source
    return None, None
