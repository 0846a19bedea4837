"""Server-rendered SVG charts of the console's pages (nothing fetched or built at run time).

``stacked_columns`` draws a value per category per x (runs by status per day, calls per
model per day); ``bars`` one horizontal bar per row (step durations). Every text goes through
``escape``; each shape carries a ``<title>`` with its exact value, and the charts are ``role="img"``
with a label, so a screen reader reads the title and the data table beside it.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PALETTE = ["#3b7dd8", "#ef8f00", "#2e7d32", "#c62828", "#6a1b9a", "#00838f", "#757575", "#ad1457"]
COL_W, COL_GAP, PLOT_H, LEFT, BOTTOM, TOP = 26, 8, 160, 44, 34, 10


def stacked_columns(title: str, xs: list[str], series: dict[str, dict[str, float]], *,
                    colours: dict[str, str] | None = None, unit: str = "") -> SafeString:
    """A column per ``xs`` value, stacked by the keys of ``series`` ({category: {x: value}});
    a legend below. Empty categories are left out; an empty chart says so."""
    series = {name: values for name, values in series.items() if any(values.values())}
    if not xs or not series:
        return mark_safe(f'<p class="gb-empty">{escape(title)}: no data yet.</p>')
    colours = {**{name: PALETTE[i % len(PALETTE)] for i, name in enumerate(series)}, **(colours or {})}
    totals = [sum(values.get(x, 0) for values in series.values()) for x in xs]
    top = max(totals) or 1
    width = LEFT + len(xs) * (COL_W + COL_GAP) + 10
    legend_y = TOP + PLOT_H + BOTTOM
    height = legend_y + 18 * ((len(series) + 3) // 4) + 4
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="gb-chart" role="img" aria-label="{escape(title)}" '
             f'width="{max(width, 420)}" height="{height}" viewBox="0 0 {max(width, 420)} {height}">',
             f'<text x="0" y="{TOP + 8}" font-size="11">{escape(_number(top))}{escape(unit)}</text>',
             f'<text x="0" y="{TOP + PLOT_H}" font-size="11">0</text>',
             f'<line x1="{LEFT - 4}" y1="{TOP + PLOT_H}" x2="{width}" y2="{TOP + PLOT_H}" stroke="#b0bec5"/>']
    for i, x in enumerate(xs):
        left = LEFT + i * (COL_W + COL_GAP)
        base = TOP + PLOT_H
        for name, values in series.items():
            value = values.get(x, 0)
            if not value:
                continue
            h = value / top * PLOT_H
            base -= h
            parts.append(f'<rect class="gb-segment" data-series="{escape(name)}" data-x="{escape(x)}" x="{left}" '
                         f'y="{base:.1f}" width="{COL_W}" height="{h:.1f}" fill="{colours[name]}">'
                         f'<title>{escape(x)} · {escape(name)}: {escape(_number(value))}{escape(unit)}</title></rect>')
        if i % max(1, len(xs) // 7) == 0 or i == len(xs) - 1:
            parts.append(f'<text x="{left}" y="{TOP + PLOT_H + 14}" font-size="10">{escape(x[-5:])}</text>')
    for i, name in enumerate(series):
        lx, ly = (i % 4) * 130, legend_y + (i // 4) * 18
        parts.append(f'<rect x="{lx}" y="{ly - 10}" width="10" height="10" fill="{colours[name]}"/>'
                     f'<text x="{lx + 14}" y="{ly}" font-size="11">{escape(name)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above went through escape()


def bars(title: str, rows: list[tuple[str, float, str]]) -> SafeString:
    """One horizontal bar per ``(label, value, text)`` row, scaled to the largest value."""
    if not rows:
        return mark_safe(f'<p class="gb-empty">{escape(title)}: no data yet.</p>')
    top = max(value for _, value, _ in rows) or 1
    height = len(rows) * 22 + 4
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="gb-chart" role="img" aria-label="{escape(title)}" '
             f'width="640" height="{height}" viewBox="0 0 640 {height}">']
    for i, (label, value, text) in enumerate(rows):
        y = i * 22
        w = value / top * 300
        parts.append(f'<text x="0" y="{y + 15}" font-size="12">{escape(label[:34])}</text>'
                     f'<rect class="gb-bar" x="230" y="{y + 3}" width="{w:.1f}" height="16">'
                     f'<title>{escape(label)}: {escape(text)}</title></rect>'
                     f'<text x="{235 + w:.1f}" y="{y + 15}" font-size="12">{escape(text)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above went through escape()


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.4g}"
