"""Charts for the HTML report, drawn with matplotlib as deterministic inline SVG.

matplotlib is an optional extra (`pip install 'auditor[report]'`); only this module imports it.
Every chart is readable in greyscale: the risk palette darkens monotonically, bars carry hatching
and their numbers, and heatmap cells print their values.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Sequence

from auditor.errors import ConfigError

# Light → dark so greyscale keeps the order; hatching tells neighbours apart without colour.
RISK_COLOURS = {"critical": "#67000d", "high": "#cb181d", "medium": "#fb6a4a", "low": "#fcbba1"}
RISK_HATCH = {"critical": "xx", "high": "//", "medium": "..", "low": ""}
INK = "#222222"
FONT = ["DejaVu Sans", "Liberation Sans", "Arial", "sans-serif"]


def _matplotlib():
    try:
        import matplotlib
        import matplotlib.colors  # noqa: F401  (BoundaryNorm for the heatmap)
        from matplotlib.figure import Figure
    except ImportError:
        raise ConfigError("the html report needs matplotlib: pip install 'auditor[report]' (or pip install 'matplotlib>=3.8')") from None
    return matplotlib, Figure


def require() -> None:
    """Raise a clear error (exit 2) when matplotlib is not installed."""
    _matplotlib()


def _rc(salt: str) -> dict:
    return {
        "svg.hashsalt": salt,  # fixed ids instead of random ones: byte-identical output
        "svg.fonttype": "none",  # text stays text: selectable, searchable, small
        "font.family": "sans-serif",
        "font.sans-serif": FONT,
        "font.size": 10,
        "axes.edgecolor": INK,
        "axes.labelcolor": INK,
        "text.color": INK,
        "xtick.color": INK,
        "ytick.color": INK,
        "hatch.linewidth": 0.6,
        "hatch.color": "#ffffff",
    }


def to_svg(fig, salt: str, label: str) -> str:
    """A figure as an inline <svg> element: no XML prolog, no metadata, scalable, labelled."""
    matplotlib, _ = _matplotlib()
    buffer = io.StringIO()
    with matplotlib.rc_context(_rc(salt)):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None}, bbox_inches="tight")
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r'<svg\1', svg, count=1)
    svg = _prefix_ids(svg, salt)
    return svg.replace("<svg", f'<svg role="img" aria-label="{html.escape(label)}" class="chart"', 1).strip()


def _prefix_ids(svg: str, prefix: str) -> str:
    """Make every id in one chart unique in the page (matplotlib names groups figure_1, patch_1 … in each)."""
    ids = set(re.findall(r'\bid="([^"]+)"', svg))
    if not ids:
        return svg

    def rename(match: re.Match) -> str:
        name = match.group(2)
        return f"{match.group(1)}{prefix}-{name}{match.group(3)}" if name in ids else match.group(0)

    return re.sub(r'(\bid="|url\(#|href="#)([^")]+)([")])', rename, svg)


def _figure(salt: str, size: tuple[float, float]):
    matplotlib, Figure = _matplotlib()
    with matplotlib.rc_context(_rc(salt)):
        fig = Figure(figsize=size)
        ax = fig.add_subplot()
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    return fig, ax


def stacked_bars(
    labels: Sequence[str], series: dict[str, Sequence[int]], *, salt: str, label: str, xlabel: str, horizontal: bool = True,
) -> str:
    """Stacked bars, one series per risk tier or severity, with counts printed in each segment."""
    matplotlib, _ = _matplotlib()
    height = 0.6 + 0.42 * max(len(labels), 1) if horizontal else 3.2
    with matplotlib.rc_context(_rc(salt)):
        fig, ax = _figure(salt, (6.4, height))
        positions = list(range(len(labels)))
        base = [0] * len(labels)
        for name, values in series.items():
            values = list(values)
            draw = ax.barh if horizontal else ax.bar
            kwargs = {"left": base} if horizontal else {"bottom": base}
            bars = draw(positions, values, 0.7, color=RISK_COLOURS.get(name, "#888888"), hatch=RISK_HATCH.get(name, ""),
                        edgecolor="white", linewidth=0.8, label=name, **kwargs)
            dark = name in ("critical", "high")
            texts = [str(v) if v else "" for v in values]
            ax.bar_label(bars, labels=texts, label_type="center", fontsize=9, fontweight="bold",
                         color="white" if dark else INK,
                         bbox={"boxstyle": "round,pad=0.15", "facecolor": RISK_COLOURS.get(name, "#888888"), "edgecolor": "none"})
            base = [b + v for b, v in zip(base, values)]
        if horizontal:
            ax.set_yticks(positions, labels)
            ax.invert_yaxis()
            ax.set_xlabel(xlabel)
            ax.xaxis.get_major_locator().set_params(integer=True)
        else:
            ax.set_xticks(positions, labels)
            ax.set_ylabel(xlabel)
            ax.yaxis.get_major_locator().set_params(integer=True)
        for position, total in zip(positions, base):
            if horizontal:
                ax.text(total, position, f"  {total}", va="center", ha="left", fontsize=9, color=INK)
            else:
                ax.text(position, total, f"{total}", va="bottom", ha="center", fontsize=9, color=INK)
        ax.legend(loc="lower right" if horizontal else "upper right", frameon=False, fontsize=9, ncols=len(series),
                  bbox_to_anchor=(1.0, 1.0), handlelength=1.6, handleheight=1.1) if series else None
        return to_svg(fig, salt, label)


def share_bars(labels: Sequence[str], shares: Sequence[float], *, salt: str, label: str, xlabel: str) -> str:
    """Horizontal bars of shares (0–1), each labelled with its percentage."""
    matplotlib, _ = _matplotlib()
    with matplotlib.rc_context(_rc(salt)):
        fig, ax = _figure(salt, (6.4, 0.6 + 0.24 * max(len(labels), 1)))
        positions = list(range(len(labels)))
        percent = [100 * s for s in shares]
        ax.barh(positions, [100] * len(labels), 0.7, color="#eeeeee", edgecolor="none")
        bars = ax.barh(positions, percent, 0.7, color="#3a3a3a", edgecolor="none")
        ax.bar_label(bars, labels=[f"{p:.0f}%" for p in percent], padding=3, fontsize=8.5, color=INK)
        ax.set_yticks(positions, labels, fontsize=8.5)
        ax.invert_yaxis()
        ax.set_xlim(0, 112)
        ax.set_xticks([0, 25, 50, 75, 100], ["0", "25%", "50%", "75%", "100%"])
        ax.set_xlabel(xlabel)
        return to_svg(fig, salt, label)


def heatmap(
    rows: Sequence[str], columns: Sequence[str], values: Sequence[Sequence[float | None]], notes: Sequence[Sequence[str]],
    *, salt: str, label: str, colour_label: str,
) -> str:
    """A matrix of scores with each cell's value printed in it; empty cells stay blank."""
    matplotlib, _ = _matplotlib()
    import numpy as np

    with matplotlib.rc_context(_rc(salt)):
        width = min(max(4.0, 1.4 + 0.55 * len(columns)), 11.0)
        fig, ax = _figure(salt, (width, 1.2 + 0.42 * max(len(rows), 1)))
        data = np.ma.masked_invalid(np.array([[np.nan if v is None else v for v in row] for row in values], dtype=float))
        limit = max(float(data.max()) if data.count() else 1.0, 1.0)
        # Steps of 10 points, not a continuous ramp: cells stay vector rectangles and the key stays readable in greyscale.
        bounds = list(range(0, int(np.ceil(limit / 10.0)) * 10 + 1, 10)) if limit > 10 else [0, 5, 10]
        cmap = matplotlib.colormaps["Reds"].resampled(len(bounds) - 1).with_extremes(bad="#ffffff")
        norm = matplotlib.colors.BoundaryNorm(bounds, cmap.N)
        image = ax.pcolormesh(np.arange(len(columns) + 1) - 0.5, np.arange(len(rows) + 1) - 0.5, data, cmap=cmap, norm=norm,
                              edgecolors="#d0d0d0", linewidth=0.6)
        ax.set_xlim(-0.5, len(columns) - 0.5)
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set_xticks(range(len(columns)), columns, fontsize=9)
        ax.set_yticks(range(len(rows)), rows, fontsize=9)
        ax.xaxis.tick_top()
        ax.tick_params(length=0)
        for side in ax.spines.values():
            side.set_visible(False)
        for i, row in enumerate(values):
            for j, value in enumerate(row):
                if value is None:
                    continue
                dark = value > 0.55 * limit
                ax.text(j, i, notes[i][j], ha="center", va="center", fontsize=8, color="white" if dark else INK,
                        fontweight="bold" if dark else "normal")
        bar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02, ticks=bounds)
        bar.set_label(colour_label, fontsize=9)
        bar.outline.set_visible(False)
        return to_svg(fig, salt, label)
