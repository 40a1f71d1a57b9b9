"""The bulletin's charts as PNG bytes (matplotlib, Agg, no pyplot state), Chinese labels in the
Noto CJK font that scripts/system-deps.sh installs (Debian package fonts-noto-cjk).

Each chart takes a small tidy frame and returns PNG bytes, so the HTML bulletin can embed it
as a data URI and the Word bulletin as a picture. Charts never compute figures: the frames
come from the same functions that fill the bulletin's tables.
"""
from __future__ import annotations

import functools
import io
from functools import lru_cache

import pandas as pd
from matplotlib import font_manager, rc_context
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

#: Families tried in order; the first that font_manager (fontconfig's font folders) knows wins.
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Noto Serif CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei")
FONT_PACKAGE = "fonts-noto-cjk"
#: Score bands of the distribution chart: (label, lowest score, highest score exclusive).
SCORE_BANDS = (("60分以下", 0, 60), ("60–70分", 60, 70), ("70–80分", 70, 80), ("80–90分", 80, 90),
               ("90分以上", 90, 1000))
VETO_BAND = "单项否决"
DPI = 150
_INK, _ACCENT, _ALERT, _MUTED = "#1f3b63", "#2e6fba", "#c0392b", "#8a8f98"


class ChartFontMissing(RuntimeError):
    """No CJK font: charts would print boxes instead of Chinese."""


@lru_cache(maxsize=4)
def cjk_family(families: tuple[str, ...] = CJK_FAMILIES) -> str:
    """The first of `families` matplotlib's font manager knows; raises ChartFontMissing naming
    the package to install."""
    known = {font.name for font in font_manager.fontManager.ttflist}
    for family in families:
        if family in known:
            return family
    raise ChartFontMissing(
        f"no CJK font for the bulletin's charts (looked for {', '.join(families)}); install the Debian package "
        f"{FONT_PACKAGE} (`bash scripts/system-deps.sh` does it), then delete matplotlib's font cache "
        f"(~/.cache/matplotlib) so it is found")


def _figure(width: float = 5.6, height: float = 3.2) -> Figure:
    return Figure(figsize=(width, height), dpi=DPI, layout="constrained")


def _style(ax, title: str) -> None:
    ax.set_title(title, fontsize=12, color=_INK, loc="left", fontweight="bold")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=9, colors="#333333")
    ax.grid(axis="y", color="#e3e6ea", linewidth=0.8)
    ax.set_axisbelow(True)


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, facecolor="white")
    return buffer.getvalue()


def _cjk(draw):
    """Run a chart function with the CJK family as matplotlib's font (restored afterwards)."""
    @functools.wraps(draw)
    def chart(*args, **kwargs) -> bytes:
        with rc_context({"font.family": [cjk_family()], "axes.unicode_minus": False}):
            return draw(*args, **kwargs)
    return chart


def score_bands(sites: pd.DataFrame) -> pd.DataFrame:
    """band, count, vetoed — sites per score band, 单项否决 sites first; `sites` has `score`
    (NaN when vetoed) and `veto` (bool), like reports.scoring's site frames."""
    vetoed = int(sites["veto"].sum())
    scored = sites.loc[~sites["veto"].astype(bool), "score"].astype(float)
    rows = [{"band": VETO_BAND, "count": vetoed, "vetoed": True}]
    rows += [{"band": label, "count": int(((scored >= low) & (scored < high)).sum()), "vetoed": False}
             for label, low, high in SCORE_BANDS]
    return pd.DataFrame(rows)


def _bar_labels(ax, bars) -> None:
    for bar in bars:
        height = bar.get_height()
        if height:
            ax.annotate(f"{int(height)}", (bar.get_x() + bar.get_width() / 2, height), ha="center", va="bottom",
                        fontsize=9, xytext=(0, 2), textcoords="offset points")


@_cjk
def score_distribution_chart(bands: pd.DataFrame) -> bytes:
    """Bars of sites per score band (`score_bands`); 单项否决 and below-60 bars in red."""
    fig = _figure()
    ax = fig.add_subplot()
    colours = [_ALERT if row.vetoed or row.band == SCORE_BANDS[0][0] else _ACCENT for row in bands.itertuples()]
    bars = ax.bar(bands["band"], bands["count"], color=colours, width=0.6)
    _bar_labels(ax, bars)
    ax.margins(y=0.12)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("网站数", fontsize=9)
    _style(ax, "网站得分分布")
    return _png(fig)


@_cjk
def category_chart(categories: pd.DataFrame) -> bytes:
    """Horizontal bars of problems per category; `categories` has `title` and `count`."""
    frame = categories.sort_values("count")
    fig = _figure(height=max(2.2, 0.42 * len(frame) + 1.0))
    ax = fig.add_subplot()
    bars = ax.barh(frame["title"], frame["count"], color=_ACCENT, height=0.6)
    for bar in bars:
        ax.annotate(f"{int(bar.get_width())}", (bar.get_width(), bar.get_y() + bar.get_height() / 2), va="center",
                    fontsize=9, xytext=(3, 0), textcoords="offset points")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    _style(ax, "发现问题分类统计")
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", color="#e3e6ea", linewidth=0.8)
    return _png(fig)


@_cjk
def trend_chart(trend: pd.DataFrame) -> bytes:
    """Month over month: problems found (bars, left axis) and 合格率 (line, right axis);
    `trend` has `month` (YYYY-MM), `problems` and `pass_rate` (0–1, NaN when unknown)."""
    fig = _figure(7.2, 2.8)
    ax = fig.add_subplot()
    labels = [f"{int(m[5:])}月" if i and m[:4] == trend["month"].iloc[i - 1][:4] else f"{m[:4]}年{int(m[5:])}月"
              for i, m in enumerate(trend["month"])]
    bars = ax.bar(labels, trend["problems"], color="#b8cbe4", width=0.55, label="发现问题数")
    _bar_labels(ax, bars)
    slots = max(len(labels), 6)            # a lone month is a bar, not a wall
    pad = (slots - len(labels)) / 2
    ax.set_xlim(-0.5 - pad, len(labels) - 0.5 + pad)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("问题数", fontsize=9)
    rate = ax.twinx()
    rate.plot(labels, trend["pass_rate"], color=_ALERT, marker="o", linewidth=2, label="合格率")
    rate.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    rate.set_ylim(0, 1.05)
    rate.tick_params(labelsize=9, colors="#333333")
    rate.spines["top"].set_visible(False)
    _style(ax, "近期检查情况趋势")
    handles = [bars, rate.get_lines()[0]]
    ax.margins(y=0.15)
    ax.legend(handles, [h.get_label() for h in handles], fontsize=8, loc="lower right", bbox_to_anchor=(1, 1),
              frameon=False, ncols=2)
    return _png(fig)
