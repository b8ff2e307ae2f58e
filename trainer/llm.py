"""The one door to model calls: an `openai` client for any OpenAI-compatible endpoint, with errors made readable."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, cast

from trainer.config.settings import Resolved
from trainer.errors import UserError

if TYPE_CHECKING:
    from openai import Stream
    from openai.types.chat import ChatCompletionChunk, ChatCompletionMessageParam


class LLMError(UserError):
    """A model call failed after its retries; the message says why in one line."""


class LLM:
    """Chat completions, whole or streamed. The openai package is imported only when a model is used."""

    def __init__(self, settings: Resolved) -> None:
        import openai

        self.settings = settings
        self.model = settings.llm.model
        self._openai = openai
        self.client = openai.OpenAI(
            base_url=settings.llm.base_url,
            api_key=settings.safe_key,
            timeout=settings.llm.timeout,
            max_retries=settings.llm.max_retries,
        )

    def complete(self, messages: list[dict[str, str]], **options: Any) -> str:
        try:
            response = self.client.chat.completions.create(model=self.model, messages=_params(messages), **options)
        except self._openai.APIError as exc:
            raise LLMError(_describe(exc, self.settings)) from None
        choice = response.choices[0] if response.choices else None
        return (choice.message.content or "") if choice is not None else ""

    def stream(self, messages: list[dict[str, str]], **options: Any) -> Iterator[str]:
        """Yields pieces of the reply as they arrive; raises LLMError if the stream fails part-way."""
        try:
            stream = cast("Stream[ChatCompletionChunk]", self.client.chat.completions.create(
                model=self.model, messages=_params(messages), stream=True, **options
            ))
            finished = False
            for chunk in stream:
                if not chunk.choices:
                    continue
                choice = chunk.choices[0]
                if choice.delta and choice.delta.content:
                    yield choice.delta.content
                if choice.finish_reason:
                    finished = True
            if not finished:
                raise LLMError("the stream ended before the reply was complete")
        except self._openai.APIError as exc:
            raise LLMError(_describe(exc, self.settings)) from None
        except (ValueError, KeyError) as exc:  # a malformed event in the stream
            raise LLMError(f"the endpoint sent a malformed stream event ({exc.__class__.__name__})") from None


def _describe(exc: Exception, settings: Resolved) -> str:
    where = settings.llm.base_url or "OpenAI"
    status = getattr(exc, "status_code", None)
    if status == 401:
        return f"{where} refused the API key (401); set TRAINER_API_KEY or api_key in the config file"
    if status == 404:
        return f"{where} does not know model '{settings.llm.model}' (404)"
    if status == 429:
        return f"{where} is rate limiting (429) and retries ran out"
    if status is not None:
        return f"{where} answered {status}: {getattr(exc, 'message', exc)}"
    name = exc.__class__.__name__
    if "Timeout" in name:
        return f"{where} did not answer within {settings.llm.timeout:g} s"
    return f"cannot reach {where}: {exc}"


def _params(messages: list[dict[str, str]]) -> list[ChatCompletionMessageParam]:
    """Our plain {"role", "content"} messages, as the client's types name them."""
    return cast("list[ChatCompletionMessageParam]", messages)
