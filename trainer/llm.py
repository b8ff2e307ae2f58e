"""The one door to model calls: an `openai` client for any OpenAI-compatible endpoint, with errors made readable.

Whole replies (the judge) go through the blocking client. A customer's line is
streamed through the async client on one background event loop, so that its time
budget is enforced to the moment (a first-token deadline and a deadline for the
whole line) and stopping it closes the HTTP request, which is what tells a server
such as llama.cpp's to stop generating.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import queue
import random
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast

from trainer.config.settings import Resolved
from trainer.errors import UserError

if TYPE_CHECKING:
    from openai.types.chat import ChatCompletionMessageParam

RETRY_STATUS = frozenset({408, 409, 429})  # and every 5xx
FIRST_BACKOFF = 0.25  # seconds before the first retry; doubled each time, unless the server names a wait


class LLMError(UserError):
    """A model call failed after its retries; the message says why in one line."""


class LineTimeout(LLMError):
    """The line was still arriving when its deadline came: what arrived so far is all there is."""


@dataclass(frozen=True)
class Budget:
    """How long one streamed line may take: to its first word, and in all (retries included)."""

    first_token: float
    total: float
    retries: int

    @classmethod
    def of(cls, settings: Resolved) -> Budget:
        llm = settings.llm
        return cls(min(llm.first_token_timeout, llm.line_timeout), llm.line_timeout, llm.max_retries)


class LLM:
    """Chat completions, whole or streamed. The openai package is imported only when a model is used."""

    def __init__(self, settings: Resolved) -> None:
        import openai

        self.settings = settings
        self.model = settings.llm.model
        self._openai = openai
        self.transport_errors = _transport_errors()
        self.client = openai.OpenAI(
            base_url=settings.llm.base_url,
            api_key=settings.safe_key,
            timeout=settings.llm.timeout,
            max_retries=settings.llm.max_retries,
        )
        # Retries of a streamed line are ours, so they can be fitted into its budget.
        self.async_client = openai.AsyncOpenAI(
            base_url=settings.llm.base_url,
            api_key=settings.safe_key,
            timeout=max(settings.llm.line_timeout, settings.llm.timeout),
            max_retries=0,
        )

    def complete(self, messages: list[dict[str, str]], **options: Any) -> str:
        try:
            response = self.client.chat.completions.create(model=self.model, messages=_params(messages), **options)
        except self._openai.APIError as exc:
            raise LLMError(_describe(exc, self.settings)) from None
        choice = response.choices[0] if response.choices else None
        return (choice.message.content or "") if choice is not None else ""

    def stream(self, messages: list[dict[str, str]], budget: Budget | None = None, **options: Any) -> LineStream:
        """The reply as it arrives, within `budget` (the settings' by default); see LineStream."""
        return LineStream(self, messages, budget or Budget.of(self.settings), options)


class LineStream:
    """Pieces of one streamed reply, read from any thread; `close()` cancels the request wherever it is.

    Iterating raises LLMError when the endpoint fails (after the retries that fit
    the budget), LineTimeout when the line outruns its deadline. After a normal end
    `finish_reason` says why the model stopped ("stop", or "length" at max_tokens).
    """

    def __init__(self, llm: LLM, messages: list[dict[str, str]], budget: Budget, options: dict[str, Any]) -> None:
        self.llm = llm
        self.budget = budget
        self.finish_reason: str | None = None
        self.closed = False
        self._pieces: queue.Queue[object] = queue.Queue()
        self._future: concurrent.futures.Future[None] = asyncio.run_coroutine_threadsafe(
            self._run(messages, options), _model_loop()
        )

    def __iter__(self) -> Iterator[str]:
        while True:
            item = self._pieces.get()
            if item is _END:
                return
            if isinstance(item, LLMError):
                raise item
            yield cast(str, item)

    def close(self) -> None:
        """Stop the request: the connection is closed, and iteration ends after what has arrived."""
        self.closed = True
        self._future.cancel()
        self._pieces.put(_END)  # in case the request was cancelled before it started, and never says so itself

    async def _run(self, messages: list[dict[str, str]], options: dict[str, Any]) -> None:
        try:
            await self._attempts(messages, options)
        except LLMError as exc:
            self._pieces.put(exc)
        finally:
            self._pieces.put(_END)

    async def _attempts(self, messages: list[dict[str, str]], options: dict[str, Any]) -> None:
        openai, settings, budget = self.llm._openai, self.llm.settings, self.budget
        loop = asyncio.get_running_loop()
        start = loop.time()
        first_by, end_by = start + budget.first_token, start + budget.total
        retries = 0
        while True:
            arrived = False
            try:
                async with asyncio.timeout_at(min(first_by, end_by)) as deadline:
                    stream = await self.llm.async_client.chat.completions.create(
                        model=self.llm.model, messages=_params(messages), stream=True, **options
                    )
                    async with stream:
                        async for chunk in stream:
                            if not chunk.choices:
                                continue
                            choice = chunk.choices[0]
                            if choice.delta and choice.delta.content:
                                if not arrived:
                                    arrived = True
                                    deadline.reschedule(end_by)
                                self._pieces.put(choice.delta.content)
                            if choice.finish_reason:
                                self.finish_reason = choice.finish_reason
                if self.finish_reason is None:
                    raise LLMError("the stream ended before the reply was complete")
                return
            except TimeoutError:
                if arrived:
                    raise LineTimeout(f"the line took longer than {budget.total:g} s") from None
                raise LLMError(f"{_where(settings)} sent nothing within {budget.first_token:g} s") from None
            except openai.APIStatusError as exc:
                wait = _retry_wait(exc, retries)
                if arrived or not _retryable(exc) or retries >= budget.retries or loop.time() + wait >= first_by:
                    raise LLMError(_describe(exc, settings)) from None
            except (openai.APIConnectionError, OSError) as exc:
                wait = _retry_wait(None, retries)
                if arrived or retries >= budget.retries or loop.time() + wait >= first_by:
                    raise LLMError(_describe(exc, settings)) from None
            except (ValueError, KeyError) as exc:  # a malformed event in the stream
                raise LLMError(f"the endpoint sent a malformed stream event ({exc.__class__.__name__})") from None
            except self.llm.transport_errors as exc:  # raised while reading, e.g. a stream cut off mid-event
                raise LLMError(f"the stream broke off ({exc.__class__.__name__})") from None
            retries += 1
            await asyncio.sleep(wait)


_END = object()


@lru_cache(maxsize=1)
def _model_loop() -> asyncio.AbstractEventLoop:
    """One event loop for every streamed line in this process, in a daemon thread of its own."""
    loop = asyncio.new_event_loop()
    threading.Thread(target=loop.run_forever, name="model-calls", daemon=True).start()
    return loop


def _transport_errors() -> tuple[type[Exception], ...]:
    """The HTTP library's errors, which the client lets through while a stream is read."""
    try:
        import httpx2

        return (httpx2.HTTPError,)
    except ImportError:  # openai releases before 3.5x send with httpx
        import httpx

        return (httpx.HTTPError,)


def _retryable(exc: Exception) -> bool:
    status = getattr(exc, "status_code", None) or 0
    return status in RETRY_STATUS or status >= 500


def _retry_wait(exc: Exception | None, retries: int) -> float:
    """The server's Retry-After when it names one, else a backoff with a little jitter."""
    response = getattr(exc, "response", None)
    if response is not None:
        try:
            return max(0.0, float(response.headers.get("retry-after", "")))
        except ValueError:
            pass
    return FIRST_BACKOFF * 2**retries * (1 - 0.25 * random.random())


def _where(settings: Resolved) -> str:
    return settings.llm.base_url or "OpenAI"


def _describe(exc: Exception, settings: Resolved) -> str:
    where = _where(settings)
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
