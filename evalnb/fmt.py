"""Number formatting for report text (domain-rules §7).

Money in 万元 with two decimals in text; percentages with two decimals, trailing zeros dropped
where the text asks for it; 同比 on the prior-year base; counts carry their measure word.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def _round(value: float, decimals: int) -> Decimal:
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)


def _strip(text: str) -> str:
    return text.rstrip("0").rstrip(".") if "." in text else text


def fixed(value: float, decimals: int = 2, sep: bool = False, strip: bool = False) -> str:
    """``20094.62746`` → ``20094.63``; ``sep`` adds thousands separators; ``strip`` drops trailing zeros."""
    rounded = _round(value, decimals)
    text = f"{rounded:,.{decimals}f}" if sep else f"{rounded:.{decimals}f}"
    return _strip(text) if strip else text


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
    """A ratio as a percentage: 0.98722 → ``98.72%``; with strip 0.27 → ``27%``."""
    return f"{fixed(ratio * 100, decimals, strip=strip)}%"


def share(part: float, base: float) -> str:
    """A share of a comparison base, two decimals, trailing zeros dropped: 1881/13436 → ``14%``."""
    return percent(part / base, 2, strip=True)


RANK_UNITS = ("位", "名")


def measure(value: float, unit: str | None) -> str:
    """A value with its measure word: ``336家``, ``98%``, ``66.71亿元``; ranks as ``第17位``."""
    if unit in RANK_UNITS:
        return f"第{plain(value)}{unit}"
    return f"{plain(value)}{unit or ''}"


def yoy(current: float, prior: float | None) -> str:
    """同比 on the prior-year base: ``同比增长10.50%``, ``同比下降3.20%``, ``与上年持平``."""
    if prior is None or prior == 0:
        return ""
    change = (current - prior) / prior
    if _round(change * 100, 2) == 0:
        return "与上年持平"
    return f"同比{'增长' if change > 0 else '下降'}{percent(abs(change))}"


def change(current: float, prior: float | None, unit: str | None) -> str:
    """Year-on-year wording: 同比 for quantities, places moved for ranks (a smaller rank is better)."""
    if prior is None:
        return ""
    if unit in RANK_UNITS:
        moved = prior - current
        return "与上年持平" if moved == 0 else f"较上年{'上升' if moved > 0 else '下降'}{plain(abs(moved))}{unit}"
    return yoy(current, prior)
