"""Number formatting for report text (domain-rules §7): one policy, enforced by tests/test_formatting_policy.py.

Prose (the paragraphs and list items of the report and of the review memo):

- **Percentages** (:func:`pct`, :func:`share`): rounded half up to two decimals, then trailing zeros
  dropped, everywhere the same way: ``27.01%``, ``14%``, ``10%``, ``98.72%``, ``21.6%``. Never ``10.00%``.
- **Change of a quantity** (:func:`yoy`): 同比 on the prior-year base, (本年 − 上年) ÷ 上年, as a prose
  percentage: ``同比增长10%``, ``同比下降3.2%``, ``与上年持平``.
- **Change of a rate** (an indicator with unit ``%``, or the 预算执行率): in 百分点, never in %
  (:func:`points`, :func:`rate_change`): ``较上年提高1个百分点``, ``由96.81%提高到98.72%，提高1.91个百分点``.
  The difference is taken between the two rates *as shown* (each rounded to two decimals), so the
  reader's own subtraction of the printed figures gives the printed difference.
- **Money computed by the report** (totals, sums, shares of the budget, changes) (:func:`wan`): 万元 with
  exactly two decimals: ``20094.63万元``. :func:`money` switches to ``亿元`` (two decimals) from 10 亿 up.
- **An indicator's own values** (target, actual, prior year) keep the decimals the department typed,
  with their unit (:func:`measure`): ``2786.974万元``, ``4351万元``, ``66.71亿元``, ``95.6%``, ``336家``.
  They are the department's figures, quoted, not amounts the report computed.
- Counts carry their measure word (``32个``, ``88项``, ``8人``); ranks read ``第17位``. Before a counted value
  an indicator name drops its own 数量/场次 (:func:`counted`): ``认定高新技术企业336家``, not ``…数量336家``.
- No ASCII spaces between Chinese and numbers in prose; quotation marks are “ ”.

Tables (the 表 in the report and the memo): money columns in 万元 with two *fixed* decimals
(``fixed(x, 2)``: ``475.30``), rate columns with two fixed decimals (:func:`percent`: ``100.00%``,
``98.72%``) so that every cell of a column has the same form and the decimal points line up; indicator
value columns show the typed value (:func:`measure`), as in prose. Scores (分) are shown as computed
(:func:`plain`), the total with two decimals, trailing zeros dropped.

Rounding is half up on the exact decimal value of the float (``0.005`` → ``0.01``); a value that rounds
to zero is shown without a minus sign.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def _round(value: float, decimals: int) -> Decimal:
    rounded = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    return rounded.copy_abs() if rounded == 0 else rounded      # no "-0.00"


def _strip(text: str) -> str:
    return text.rstrip("0").rstrip(".") if "." in text else text


def fixed(value: float, decimals: int = 2, sep: bool = False, strip: bool = False) -> str:
    """``20094.62746`` → ``20094.63``; ``sep`` adds thousands separators; ``strip`` drops trailing zeros."""
    rounded = _round(value, decimals)
    text = f"{rounded:,.{decimals}f}" if sep else f"{rounded:.{decimals}f}"
    return _strip(text) if strip else text


def exact(value: Decimal) -> str:
    """A decimal as a score's basis prints it, exactly: no exponent, no trailing zeros (10, 0.475, 2786.974)."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def plain(value: float, max_decimals: int = 6) -> str:
    """A value as typed: no trailing zeros, at most ``max_decimals`` (2786.974, 336, 66.71)."""
    return fixed(value, max_decimals, strip=True)


def wan(value: float, decimals: int = 2, sep: bool = False) -> str:
    """Money already in 万元: ``20094.63万元`` (``282,796.90万元`` with sep)."""
    return f"{fixed(value, decimals, sep)}万元"


def yi_from_wan(value: float, decimals: int = 2) -> str:
    """Money in 万元 shown in 亿元: 667100 → ``66.71亿元``."""
    return f"{fixed(value / 10000, decimals)}亿元"


def money(value: float) -> str:
    """万元 amounts in text: 亿元 from 10 亿 up, else 万元, two decimals."""
    return yi_from_wan(value) if abs(value) >= 100000 else wan(value)


def percent(ratio: float, decimals: int = 2, strip: bool = False) -> str:
    """A ratio as a percentage in a table cell: 0.98722 → ``98.72%``, 1 → ``100.00%``; with strip 0.27 → ``27%``."""
    return f"{fixed(ratio * 100, decimals, strip=strip)}%"


def pct(ratio: float) -> str:
    """A ratio as a percentage in prose: two decimals, trailing zeros dropped: 0.1 → ``10%``, 0.9872 → ``98.72%``."""
    return percent(ratio, 2, strip=True)


def share(part: float, base: float) -> str:
    """A share of a comparison base, two decimals, trailing zeros dropped: 1881/13436 → ``14%``."""
    return pct(part / base)


RANK_UNITS = ("位", "名")
RATE_UNITS = ("%", "％")


def measure(value: float, unit: str | None) -> str:
    """A value with its measure word: ``336家``, ``98%``, ``66.71亿元``; ranks as ``第17位``."""
    if unit in RANK_UNITS:
        return f"第{plain(value)}{unit}"
    return f"{plain(value)}{unit or ''}"


def goal(value: float, unit: str | None, direction: str | None) -> str:
    """A target as forms write it: ``前20位`` for a rank ceiling, else the value with its measure word."""
    if unit in RANK_UNITS and direction == "≤":
        return f"前{plain(value)}{unit}"
    return measure(value, unit)


def yoy(current: float, prior: float | None) -> str:
    """同比 on the prior-year base: ``同比增长10.5%``, ``同比下降3.2%``, ``与上年持平``; "" without a base."""
    if prior is None or prior == 0:
        return ""
    change = (current - prior) / prior
    if _round(change * 100, 2) == 0:
        return "与上年持平"
    return f"同比{'增长' if change > 0 else '下降'}{pct(abs(change))}"


def _point_diff(current: float, prior: float) -> Decimal:
    """current − prior between two percentages (98.72, 96.81) as shown, i.e. each rounded to two decimals."""
    return _round(current, 2) - _round(prior, 2)


def points(current: float, prior: float) -> str:
    """The change between two rates given in percent (98, 97): ``提高1个百分点``, ``降低0.5个百分点``, ``持平``."""
    diff = _point_diff(current, prior)
    if diff == 0:
        return "持平"
    return f"{'提高' if diff > 0 else '降低'}{_strip(f'{abs(diff):.2f}')}个百分点"


def rate_change(current: float, prior: float) -> str:
    """Two ratios (0.9872, 0.9681) compared in 百分点: ``由96.81%提高到98.72%，提高1.91个百分点``; equal as
    shown: ``与上年持平，为98.72%``."""
    moved = points(current * 100, prior * 100)
    if moved == "持平":
        return f"与上年持平，为{pct(current)}"
    return f"由{pct(prior)}{moved[:2]}到{pct(current)}，{moved}"


def change(current: float, prior: float | None, unit: str | None) -> str:
    """Year-on-year wording: places moved for ranks (a smaller rank is better), 百分点 for rates (unit %),
    同比 on the prior-year base for quantities."""
    if prior is None:
        return ""
    if unit in RANK_UNITS:
        moved = prior - current
        return "与上年持平" if moved == 0 else f"较上年{'上升' if moved > 0 else '下降'}{plain(abs(moved))}{unit}"
    if unit in RATE_UNITS:
        moved = points(current, prior)
        return "与上年持平" if moved == "持平" else f"较上年{moved}"
    return yoy(current, prior)


COUNT_WORDS = ("家", "个", "项", "起", "场", "次", "件", "篇", "所", "座", "台", "套", "户", "人", "批", "条")
COUNT_SUFFIXES = ("数量", "个数", "场次", "次数", "家数", "件数", "户数", "人数")


def counted(name: str, unit: str | None) -> str:
    """An indicator's name as prose says it before a counted value: "认定高新技术企业数量" + 336家 reads
    "认定高新技术企业336家" (数量, 场次 … are dropped before a measure word that already counts)."""
    if unit in COUNT_WORDS:
        for suffix in COUNT_SUFFIXES:
            if name.endswith(suffix) and len(name) > len(suffix):
                return name[: -len(suffix)]
    return name


def change_wan(current: float, prior: float | None) -> str:
    """同比 of an amount in 万元 with the absolute change first (domain-rules §7):
    ``比上年增加189.25万元，增长31.39%``, ``比上年减少5.00万元，下降2.5%``, ``与上年持平``; "" without a base."""
    if prior is None or prior == 0:
        return ""
    diff = _round(current, 2) - _round(prior, 2)
    if diff == 0:
        return "与上年持平"
    grew = diff > 0
    return (f"比上年{'增加' if grew else '减少'}{wan(abs(float(diff)))}，"
            f"{'增长' if grew else '下降'}{pct(abs((current - prior) / prior))}")
