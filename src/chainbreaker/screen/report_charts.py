"""Charts for the HTML report, drawn as inline SVG (no script, no network, prints well).

Each function returns one `<svg>` element as text; every label is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

#: Colours of the verdicts (clear, review, hold), readable on white and in grey print.
VERDICT_COLOURS = {"clear": "#6b9e78", "review": "#e0a030", "hold": "#c0392b"}
_BAR = "#4a6fa5"
_ROW = 22  # pixels per bar row
_LABEL = 260  # pixels for the labels left of the bars
_PLOT = 380  # pixels for the bars


def _text(x: float, y: float, body: str, *, anchor: str = "start", size: int = 12) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}">'
        f"{escape(body)}</text>"
    )


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def bar_chart(items: Sequence[tuple[str, int]], title: str) -> str:
    """Horizontal bars, one per (label, count), longest first as given."""
    if not items:
        return f'<p class="none">{escape(title)}: nothing to show.</p>'
    most = max(n for _, n in items) or 1
    body: list[str] = []
    for i, (label, n) in enumerate(items):
        y = i * _ROW
        length = _PLOT * n / most
        body.append(_text(_LABEL - 6, y + 15, _clip(label), anchor="end"))
        body.append(
            f'<rect x="{_LABEL}" y="{y + 4}" width="{length:.1f}" height="{_ROW - 8}" '
            f'fill="{_BAR}"><title>{escape(label)}: {n:,}</title></rect>'
        )
        body.append(_text(_LABEL + length + 4, y + 15, f"{n:,}"))
    return _svg(_LABEL + _PLOT + 70, len(items) * _ROW + 4, title, body)


def stacked_bars(rows: Sequence[tuple[str, Mapping[str, int]]], title: str) -> str:
    """One bar per row label, split by verdict (clear, review, hold), with a legend."""
    if not rows:
        return f'<p class="none">{escape(title)}: nothing to show.</p>'
    most = max(sum(parts.values()) for _, parts in rows) or 1
    body: list[str] = []
    for i, (label, parts) in enumerate(rows):
        y = i * _ROW
        x = float(_LABEL)
        body.append(_text(_LABEL - 6, y + 15, _clip(label), anchor="end"))
        for verdict, colour in VERDICT_COLOURS.items():
            n = parts.get(verdict, 0)
            if not n:
                continue
            length = _PLOT * n / most
            body.append(
                f'<rect x="{x:.1f}" y="{y + 4}" width="{length:.1f}" height="{_ROW - 8}" '
                f'fill="{colour}"><title>{escape(label)}, {verdict}: {n:,}</title></rect>'
            )
            x += length
        body.append(_text(x + 4, y + 15, f"{sum(parts.values()):,}"))
    legend_y = len(rows) * _ROW + 14
    for j, (verdict, colour) in enumerate(VERDICT_COLOURS.items()):
        x = _LABEL + j * 90
        body.append(f'<rect x="{x}" y="{legend_y - 10}" width="12" height="12" fill="{colour}"/>')
        body.append(_text(x + 16, legend_y, verdict))
    return _svg(_LABEL + _PLOT + 70, legend_y + 8, title, body)


def histogram(bins: Sequence[int], title: str, marks: Sequence[tuple[float, str]] = ()) -> str:
    """Vertical bars over [0, 1] (one per bin), with dashed lines at `marks` (value, label)."""
    width, height, left, bottom = 640, 220, 50, 30
    plot_w, plot_h = width - left - 10, height - bottom - 20
    most = max(bins, default=0) or 1
    step = plot_w / max(len(bins), 1)
    body: list[str] = [
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" '
        'stroke="#333"/>'
    ]
    for i, n in enumerate(bins):
        h = plot_h * n / most
        x = left + i * step
        low, high = i / len(bins), (i + 1) / len(bins)
        body.append(
            f'<rect x="{x + 1:.1f}" y="{height - bottom - h:.1f}" width="{step - 2:.1f}" '
            f'height="{h:.1f}" fill="{_BAR}"><title>risk {low:.2f}-{high:.2f}: {n:,}'
            "</title></rect>"
        )
    for k in range(0, 11, 2):
        x = left + plot_w * k / 10
        body.append(_text(x, height - bottom + 16, f"{k / 10:.1f}", anchor="middle", size=11))
    body.append(_text(left - 6, 20 + 4, f"{most:,}", anchor="end", size=11))
    body.append(_text(left - 6, height - bottom, "0", anchor="end", size=11))
    for value, label in marks:
        x = left + plot_w * value
        body.append(
            f'<line x1="{x:.1f}" y1="14" x2="{x:.1f}" y2="{height - bottom}" stroke="#333" '
            'stroke-dasharray="4 3"/>'
        )
        body.append(_text(x + 3, 12, f"{label} {value:g}", size=11))
    return _svg(width, height, title, body)


def _clip(label: str, most: int = 38) -> str:
    return label if len(label) <= most else label[: most - 1] + "…"
