"""Charts drawn on the server as inline SVG: the geometry only, in plain values.

The templates draw what these functions compute (lines, bars, a heat table), so a page
needs no JavaScript; each chart also comes with its numbers as a table for screen readers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 32  # margins for the axes' labels


@dataclass(frozen=True, slots=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True, slots=True)
class Line:
    label: str
    points: str  # SVG polyline points "x,y x,y"
    dots: tuple[tuple[float, float], ...]
    style: int  # 0, 1, 2...: colour and dash pattern in the stylesheet


@dataclass(frozen=True, slots=True)
class LineChart:
    width: int
    height: int
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    lines: tuple[Line, ...]


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: float
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True, slots=True)
class BarChart:
    width: int
    height: int
    bars: tuple[Bar, ...]
    y_ticks: tuple[Tick, ...]
    reference: float | None  # y of a reference line (e.g. the overall mean), if any


def _nice_max(value: float) -> float:
    """A round upper bound for an axis.

    >>> _nice_max(0), _nice_max(7), _nice_max(230), _nice_max(0.83)
    (1.0, 10.0, 250.0, 1.0)
    """
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for m in (1, 2, 2.5, 5, 10):
        if value <= m * magnitude * (1 + 1e-9):
            return float(round(m * magnitude, 10))
    return float(10 * magnitude)  # pragma: no cover - the loop always returns


def _y(value: float, top: float, height: int) -> float:
    return round(height - BOTTOM - value / top * (height - TOP - BOTTOM), 1)


def _y_ticks(top: float, height: int, percent: bool) -> tuple[Tick, ...]:
    def label(v: float) -> str:
        return f"{v * 100:.0f} %" if percent else f"{v:g}"

    return tuple(Tick(_y(top * k / 5, top, height), label(top * k / 5)) for k in range(6))


def line_chart(
    labels: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    width: int = WIDTH,
    height: int = HEIGHT,
    percent: bool = False,
) -> LineChart:
    """One line per series over the ``labels`` (months); a missing value breaks no line,
    it is skipped.

    >>> chart = line_chart(["2026-01", "2026-02"], {"actifs": [2, 4]})
    >>> chart.lines[0].points
    '48.0,131.2 624.0,54.4'
    >>> [t.label for t in chart.y_ticks]
    ['0', '1', '2', '3', '4', '5']
    """
    top = _nice_max(max((v for s in series.values() for v in s if v is not None), default=0))
    inner = width - LEFT - RIGHT
    step = inner / max(1, len(labels) - 1)
    xs = [round(LEFT + i * step, 1) for i in range(len(labels))]
    lines = []
    for k, (name, values) in enumerate(series.items()):
        dots = tuple(
            (x, _y(v, top, height)) for x, v in zip(xs, values, strict=True) if v is not None
        )
        lines.append(Line(name, " ".join(f"{x},{y}" for x, y in dots), dots, k % 4))
    return LineChart(
        width, height, tuple(Tick(x, lab) for x, lab in zip(xs, labels, strict=True)),
        _y_ticks(top, height, percent), tuple(lines),
    )  # fmt: skip


def bar_chart(
    items: Sequence[tuple[str, float]],
    reference: float | None = None,
    width: int = WIDTH,
    height: int = HEIGHT,
    percent: bool = False,
) -> BarChart:
    """One bar per item (sites), and an optional reference line (the overall value).

    >>> chart = bar_chart([("Lyon", 0.5), ("Paris", 1.0)], reference=0.75)
    >>> [(b.label, b.height) for b in chart.bars], chart.reference
    ([('Lyon', 96.0), ('Paris', 192.0)], 64.0)
    """
    top = _nice_max(max([v for _, v in items] + [reference or 0.0], default=0.0))
    slot = (width - LEFT - RIGHT) / max(1, len(items))
    bars = []
    for i, (label, value) in enumerate(items):
        y = _y(value, top, height)
        bars.append(Bar(label, value, round(LEFT + i * slot + slot * 0.15, 1), y,
                        round(slot * 0.7, 1), round(height - BOTTOM - y, 1)))  # fmt: skip
    ref = None if reference is None else _y(reference, top, height)
    return BarChart(width, height, tuple(bars), _y_ticks(top, height, percent), ref)


def heat_level(share: float, top: float) -> int:
    """A level 0-5 for a heat-table cell (0: no link; 5: the strongest link shown).

    >>> heat_level(0.0, 0.2), heat_level(0.01, 0.2), heat_level(0.2, 0.2)
    (0, 1, 5)
    """
    if share <= 0 or top <= 0:
        return 0
    return max(1, min(5, round(share / top * 5)))
