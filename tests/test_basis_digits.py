"""Issue 27 item 10: a scoring basis shows amounts as the report shows them (万元, two decimals) whenever the
printed arithmetic still gives the printed score, more decimals only where needed; and every printed basis,
parsed back from its text, recomputes exactly to the printed score."""

from __future__ import annotations

import ast
import operator
import re
from decimal import Decimal
from fractions import Fraction

import pytest

from evalnb.intake.ingest import ingest
from evalnb.rules import load_rulebook, scoring
from evalnb.rules.methods import Inputs, measured
from evalnb.rules.model import MeasureLeaf, PerPoint, Step
from evalnb.store import data
from evalnb.store.measures import Measure
from tests.helpers import SAMPLES, evalnb

NATIONAL = load_rulebook("national-2020")
# "S = expression" wherever it stands in a basis (not only at its end)
ARITHMETIC = re.compile(r"(-?\d+(?:\.\d+)?) = ([-\d.() ÷×−]*\d\)?)")
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def exact(expression: str) -> Fraction:
    """The printed arithmetic, exactly (fractions: no 28-digit rounding between ÷ and ×)."""
    tree = ast.parse(expression.replace("÷", "/").replace("×", "*").replace("−", "-"), mode="eval")
    ops = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}

    def value(node: ast.AST) -> Fraction:
        if isinstance(node, ast.Expression):
            return value(node.body)
        if isinstance(node, ast.Constant):
            return Fraction(str(node.value))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -value(node.operand)
        if isinstance(node, ast.BinOp):
            return ops[type(node.op)](value(node.left), value(node.right))
        raise AssertionError(f"not arithmetic: {ast.dump(node)}")

    return value(tree)


def half_up(value: Fraction, digits: int = 2) -> Decimal:
    scaled = abs(value) * 10 ** digits
    whole = int(scaled + Fraction(1, 2))
    return (Decimal(whole) if value >= 0 else -Decimal(whole)).scaleb(-digits)


def printed_arithmetic(basis: str) -> list[tuple[Decimal, str]]:
    return [(Decimal(s), e) for s, e in ARITHMETIC.findall(basis)]


def assert_recomputes(basis: str, score: float | Decimal, digits: int = 2) -> None:
    found = printed_arithmetic(basis)
    for printed, expression in found:
        assert half_up(exact(expression), digits) == printed, basis
    if found:
        assert found[-1][0] == Decimal(str(score)), basis


def decimals(text: str) -> int:
    return max((len(n.split(".")[1]) if "." in n else 0 for n in NUMBER.findall(text)), default=0)


def fewer(expression: str, digits: int) -> str:
    """The expression with every number rounded half up to ``digits`` decimals."""
    return NUMBER.sub(lambda m: str(half_up(Fraction(m[0]), digits)), expression)


def cards(tmp_path) -> list[scoring.Scorecard]:
    db = f"sqlite:///{tmp_path / 'store.sqlite'}"
    ingest(SAMPLES, db)
    found = []
    for path in SAMPLES:
        department, year = path.stem.split("_")
        found.append(scoring.score(data.load(department, int(year), db)))
    return found


# ---------------------------------------------------------------------------------------------- samples

def test_the_seed_execution_basis_shows_the_reports_two_decimals():
    """Was "9.87 = 19837.71876 ÷ 20094.62746 × 10"; the report says 19837.72万元 and 20094.63万元."""
    score, basis = scoring.execution_score(Decimal("19837.71876"), Decimal("20094.62746"), 10)
    assert score == 9.87 and basis == "执行率 98.72%，9.87 = 19837.72 ÷ 20094.63 × 10"


def test_every_basis_of_every_sample_recomputes_and_shows_amounts_at_two_decimals(tmp_path):
    for card in cards(tmp_path):
        bases = [(card.execution_basis, card.execution_score), (card.total_basis, card.total),
                 *((i.basis, i.score) for i in card.items)]
        for basis, score in bases:
            assert_recomputes(basis, score)
        for _, expression in printed_arithmetic(card.execution_basis):
            assert decimals(expression) <= 2, card.execution_basis     # every sample recomputes at two


# ---------------------------------------------------------------------------------------------- edges
# (executed, budget, decimals the basis needs): 360.199 ÷ 400 × 10 = 9.004975 → 9.00, but 360.20 ÷ 400 × 10
# = 9.005 → 9.01; the same from the budget side; and a miss that only the full five decimals resolve.
EDGES = [("360.199", "400", 3), ("360.2", "400.001", 3), ("360.19999", "400", 5), ("19837.71876", "20094.62746", 2),
         ("0.004", "1", 3), ("2786.974", "3000", 2)]


@pytest.mark.parametrize(("executed", "budget", "needed"), EDGES)
def test_amounts_get_more_decimals_only_where_two_do_not_recompute(executed, budget, needed):
    score, basis = scoring.execution_score(Decimal(executed), Decimal(budget), 10)
    assert_recomputes(basis, score)
    (_, expression), = printed_arithmetic(basis)
    assert decimals(expression) == needed, basis
    if decimals(expression) > 2:        # the fewest: one decimal less no longer gives the printed score
        assert half_up(exact(fewer(expression, decimals(expression) - 1))) != Decimal(str(score)), basis


def test_an_amount_rounding_to_zero_is_not_divided_by():
    """A budget of 0.004 万元 shown at two decimals would be ÷ 0: it keeps its digits."""
    score, basis = scoring.execution_score(Decimal("0.001"), Decimal("0.004"), 10)
    assert score == 2.5 and basis.endswith("2.5 = 0.001 ÷ 0.004 × 10")


def measure_inputs(value: Decimal, top: Decimal, bottom: Decimal) -> dict[str, Measure]:
    return {"预算执行率": Measure("预算执行率", "全年执行数 ÷ 全年预算数 × 100%", value,
                                (("全年执行数", top, "万元"), ("全年预算数", bottom, "万元")))}


def test_a_measure_scored_linearly_shows_its_amounts_at_the_fewest_decimals():
    top, bottom = Decimal("19837.71876"), Decimal("20094.62746")
    leaf = MeasureLeaf(name="预算执行率", weight=Decimal(10), method="measure", measure="预算执行率")
    result = measured(leaf, Inputs(Decimal(10), 2, measures=measure_inputs(top / bottom * 100, top, bottom)))
    assert result.basis.endswith("9.87 = 19837.72 ÷ 20094.63 × 10"), result.basis
    top = Decimal("360.199")
    result = measured(leaf, Inputs(Decimal(10), 2, measures=measure_inputs(top / 400 * 100, top, Decimal(400))))
    assert result.basis.endswith("9 = 360.199 ÷ 400 × 10") and result.score == 9, result.basis
    assert_recomputes(result.basis, result.score)


def test_a_rate_shown_beside_a_step_lands_in_that_step():
    """94.996%: at two decimals it reads 95%, in the "≥ 95%" step it does not reach."""
    steps = (Step(min=Decimal(95), points=Decimal(10)), Step(min=Decimal(0), points=Decimal(6)))
    leaf = MeasureLeaf(name="预算执行率", weight=Decimal(10), method="measure", measure="预算执行率", scale="steps",
                       steps=steps)
    value = Decimal("94.996")
    result = measured(leaf, Inputs(Decimal(10), 2, measures=measure_inputs(value, value, Decimal(100))))
    assert result.score == 6 and "预算执行率 94.996%" in result.basis, result.basis


@pytest.mark.parametrize(("whole", "value", "beyond", "score"), [
    (True, Decimal("104.998"), "4.998", Decimal(5)),                   # 5.00 would be one whole step
    (False, Decimal(10100) / Decimal(99), "2.02", Decimal("3.99")),   # was 2.020202020202020202020202
    (False, Decimal("101.0099"), "1.0099", Decimal("4.5"))])          # 1.01 × 0.5 = 0.505 would take 0.51
def test_points_beyond_a_limit_are_shown_so_that_the_deduction_recomputes(whole, value, beyond, score):
    """每满 5 个百分点扣 1 分 at 4.998 points beyond: "超过 5 个百分点…共 0 步" contradicted itself; 每 1 个百分点扣
    0.5 分 at 2.0202… points beyond printed 28 digits."""
    per = (PerPoint(limit=Decimal(100), side="above", per=Decimal(5), points=Decimal(1), whole=True) if whole else
           PerPoint(limit=Decimal(100), side="above", per=Decimal(1), points=Decimal("0.5"), whole=False))
    leaf = MeasureLeaf(name="在职人员控制率", weight=Decimal(5), method="measure", measure="在职人员控制率",
                       scale="per_point", per_point=per)
    found = {"在职人员控制率": Measure("在职人员控制率", "在职人数 ÷ 编制人数 × 100%", value)}
    result = measured(leaf, Inputs(Decimal(5), 2, measures=found))
    assert result.score == score, result.basis
    assert re.search(r"超过 ([\d.]+) 个百分点", result.basis)[1] == beyond, result.basis
    shown = Decimal(re.search(r"在职人员控制率 ([\d.]+)%", result.basis)[1])
    assert shown - 100 == Decimal(beyond), result.basis               # the rate and the points beyond agree
    assert_recomputes(result.basis, result.score)


# ---------------------------------------------------------------------------------------------- as printed

def test_score_and_check_print_bases_that_recompute_at_the_reports_digits(project):
    """What `score` and `check` print, parsed back line by line (the memo, the Excel and the mail show the same
    bases: test_report, test_filed_files)."""
    where = ("--dept", "科学技术局", "--year", "2024", "--db", project["db"])
    printed = []
    for command in ("score", "check"):
        result = evalnb(command, *where, env=project["env"])
        assert result.returncode == 0, result.stderr
        printed += [line for line in result.stdout.splitlines() if printed_arithmetic(line)]
    assert any("9.87 = 19837.72 ÷ 20094.63 × 10" in line for line in printed), printed
    assert not any("19837.71876" in line for line in printed)
    for line in printed:
        for score, expression in printed_arithmetic(line):
            assert half_up(exact(expression)) == score, line
