"""Charts for the report: matplotlib figures, shown as native ``image/png`` outputs. Their Chinese labels
(title, legend, axis) come from the section templates (:func:`evalnb.text.prose.words`).

A :class:`Chart` is what a section function returns for a figure. In a notebook it displays as an
``image/png`` output (JupyterLab shows it as an image that can be saved or opened on its own); its alt
text and caption travel in the output's metadata, and the ``evalnb`` nbconvert template turns that
output into ``<figure class="chart"><img src="data:…" alt="…"><figcaption>…</figcaption></figure>``.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping
from dataclasses import dataclass, field

import matplotlib
import pandas as pd
from matplotlib.figure import Figure

from evalnb.rules.scoring import Scorecard
from evalnb.sections.fonts import use_cjk_font
from evalnb.store.data import DepartmentYear
from evalnb.text.fmt import RANK_UNITS, fixed, percent
from evalnb.text.html import esc

BLUE, ORANGE, GREEN, RED, GREY = "#2f6db5", "#f0a030", "#3a9a5b", "#c8453b", "#999999"
WIDTH = 7.2
DPI = 110


def figure(height: float) -> Figure:
    use_cjk_font()
    # Labels are user text: "$" in a project category is a dollar sign, never mathtext or LaTeX.
    matplotlib.rcParams["text.parse_math"] = False
    matplotlib.rcParams["text.usetex"] = False
    fig = Figure(figsize=(WIDTH, height), dpi=DPI, layout="constrained")
    return fig


def png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


@dataclass(frozen=True)
class Chart:
    """One rendered figure with its alt text (what the chart shows, in words) and caption (图n …).

    Displayed, it is a single ``image/png`` output with a ``text/plain`` fallback (the caption) and no
    ``text/html``: an HTML representation would win over the image in JupyterLab and in nbconvert.
    """

    png: bytes = field(repr=False)
    alt: str
    caption: str
    screen_only: bool = field(default=False, repr=False)    # too dense for paper: not in the PDF or Word file

    def _repr_mimebundle_(self, include=None, exclude=None) -> tuple[dict, dict]:
        data = {"image/png": base64.b64encode(self.png).decode("ascii"), "text/plain": self.caption}
        meta = {"alt": self.alt, "caption": self.caption, **({"screen_only": True} if self.screen_only else {})}
        return data, {"image/png": meta}

    def html(self) -> str:
        """The same figure as HTML, as the report template renders it: inline PNG, alt text, caption."""
        data = base64.b64encode(self.png).decode("ascii")
        cls = "chart screen-only" if self.screen_only else "chart"
        return (f'<figure class="{cls}"><img src="data:image/png;base64,{data}" alt="{esc(self.alt)}">'
                f"<figcaption>{esc(self.caption)}</figcaption></figure>")


def chart(fig: Figure, alt: str, caption: str, screen_only: bool = False) -> Chart:
    return Chart(png(fig), alt, caption, screen_only)


def to_html(fig: Figure, alt: str, caption: str) -> str:
    """The figure as a <figure> with an inline PNG (no external file), alt text and caption."""
    return chart(fig, alt, caption).html()


def budget_by_category(dy: DepartmentYear, labels: Mapping[str, str]) -> Figure:
    by_cat = dy.budget.groupby("category", sort=False)[["budget", "executed"]].sum()
    by_cat = by_cat.sort_values("budget")
    fig = figure(0.45 * len(by_cat) + 1.2)
    ax = fig.subplots()
    y = range(len(by_cat))
    ax.barh([i + 0.2 for i in y], by_cat["budget"], height=0.4, color=BLUE, label=labels["budget"])
    ax.barh([i - 0.2 for i in y], by_cat["executed"], height=0.4, color=ORANGE, label=labels["executed"])
    ax.set_yticks(list(y), by_cat.index)
    for i, (budget, executed) in enumerate(zip(by_cat["budget"], by_cat["executed"], strict=True)):
        rate = executed / budget if budget else 0
        ax.text(budget, i + 0.2, f" {percent(rate)}", va="center", fontsize=8)
    ax.set_xlabel(labels["unit"])
    ax.set_xlim(0, by_cat["budget"].max() * 1.18)
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title(labels["title"], fontsize=10)
    return fig


def funding_sources(dy: DepartmentYear, labels: Mapping[str, str]) -> Figure:
    by_source = dy.budget.groupby("source", sort=False)["budget"].sum().sort_values(ascending=False)
    fig = figure(2.8)
    ax = fig.subplots()
    total = by_source.sum()
    names = [f"{name}\n{fixed(v, 2)}{labels['unit']}（{percent(v / total)}）" for name, v in by_source.items()]
    ax.pie(by_source, labels=names, colors=[BLUE, ORANGE, GREEN, GREY, RED][: len(by_source)],
           startangle=90, counterclock=False, wedgeprops={"width": 0.45}, textprops={"fontsize": 8})
    ax.set_title(labels["title"], fontsize=10)
    return fig


def indicator_completion(card: Scorecard, labels: Mapping[str, str], dy: DepartmentYear | None = None) -> Figure | None:
    """The 定量 indicators' completion (actual ÷ target, target ÷ actual for a ≤ target) as bars; a rank (第1位
    against 前3位) is no share of anything and is left out (``dy`` tells which indicators are ranks)."""
    ranks = set() if dy is None else {int(r.row) for r in dy.indicators.itertuples() if r.unit in RANK_UNITS}
    rows = [(i.name, i.achievement, i.met) for i in card.indicators
            if i.nature == "定量" and i.achievement is not None and i.row not in ranks]
    if not rows:
        return None
    frame = pd.DataFrame(rows, columns=["name", "achievement", "met"]).iloc[::-1]
    shown = frame["achievement"].clip(upper=2.0)
    fig = figure(0.28 * len(frame) + 1.2)
    ax = fig.subplots()
    ax.barh(range(len(frame)), shown * 100, color=[GREEN if m else RED for m in frame["met"]], height=0.6)
    ax.axvline(100, color=GREY, linestyle="--", linewidth=1)
    ax.set_yticks(range(len(frame)), [n if len(n) <= 16 else n[:15] + "…" for n in frame["name"]], fontsize=7)
    for i, value in enumerate(frame["achievement"]):
        label = "≥200%" if value >= 2 else percent(value, 1)
        ax.text(min(value, 2.0) * 100, i, f" {label}", va="center", fontsize=7)
    ax.set_xlim(0, 230)
    ax.set_xlabel(labels["axis"])
    ax.set_title(labels["title"], fontsize=10)
    return fig


def year_on_year(dy: DepartmentYear, labels: Mapping[str, str]) -> Figure | None:
    if dy.comparable_prior is None:
        return None
    years = [dy.comparable_prior, dy]
    fig = figure(2.8)
    ax = fig.subplots()
    x = range(len(years))
    budgets = [y.total("budget") for y in years]
    executed = [y.total("executed") for y in years]
    ax.bar([i - 0.18 for i in x], budgets, width=0.36, color=BLUE, label=labels["budget"])
    ax.bar([i + 0.18 for i in x], executed, width=0.36, color=ORANGE, label=labels["executed"])
    for i, y in enumerate(years):
        ax.text(i + 0.18, executed[i], f"{percent(y.execution_rate)}", ha="center", va="bottom", fontsize=8)
    ax.set_xticks(list(x), [f"{y.year}年" for y in years])
    ax.set_ylabel(labels["unit"])
    ax.set_ylim(0, max(budgets) * 1.15)
    ax.legend(fontsize=8, loc="lower right")
    ax.set_title(labels["title"], fontsize=10)
    return fig
