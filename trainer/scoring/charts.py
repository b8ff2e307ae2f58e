"""Inline SVG charts for self-contained HTML pages (debriefs, reports): no scripts, no network."""

from __future__ import annotations

from collections.abc import Callable

Scale = Callable[[float], float]


def line_chart(
    values: list[float], label: str, *, width: int = 560, height: int = 160, pad: int = 28,
    background: Callable[[Scale], str] | None = None, dots: bool = False,
) -> str:
    """Values on a 0-100 scale, left to right; `background(y)` draws bands or reference lines under the line.

    Returns "" for fewer than two values: one point makes no line.
    """
    if len(values) < 2:
        return ""
    step = (width - 2 * pad) / (len(values) - 1)

    def y(value: float) -> float:
        return pad / 2 + (100 - value) / 100 * (height - pad)

    points = " ".join(f"{pad + i * step:.1f},{y(v):.1f}" for i, v in enumerate(values))
    marks = "".join(f'<circle cx="{pad + i * step:.1f}" cy="{y(v):.1f}" r="3"/>' for i, v in enumerate(values))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" aria-label="{label}">'
        + (background(y) if background else "")
        + f'<polyline points="{points}" fill="none" stroke="#1d2433" stroke-width="2"/>'
        + (f'<g fill="#1d2433">{marks}</g>' if dots else "")
        + f'<text x="2" y="{y(100) + 4:.1f}" font-size="10">100</text><text x="8" y="{y(0):.1f}" font-size="10">0</text>'
        + "</svg>"
    )
