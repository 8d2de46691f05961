"""The notebooks' data API: one department-year as plain Python and pandas objects.

    from evalnb import data
    dy = data.load("科学技术局", 2024)
    dy.budget            # DataFrame, one row per project × funding source
    dy.indicators        # DataFrame, one row per 三级指标; target/target_text: the target in force (调整指标值
                         # where given; the 年度指标值 typed beside it is then initial_target/initial_target_text)
    dy.accounts          # 收支总表: one row per 科目 (empty if the workbook has no such sheet)
    dy.facts             # 部门情况: staffing, procurement, "三公经费"
    dy.measures          # the 共性 measures computed from the budget (evalnb.store.measures)
    dy.prior             # the same department's previous year, if stored
    dy.project_names     # the projects of 项目支出, in workbook order
    dy.project("项目甲")  # one project as a department-year of its own: its funds, its indicators, its 项目情况
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal

import pandas as pd
from sqlalchemy import Engine

from evalnb.errors import StaleDataError
from evalnb.store import sql as store
from evalnb.workbook import (
    ACCOUNTS,
    BUDGET,
    CORE_ANSWERS,
    DEDUCTIONS,
    DRAFTED,
    FACTS,
    INDICATORS,
    PROJECT,
    PROJECT_INFO,
    PROJECT_TEXTS,
    SAMPLE_NATURE,
    TEAM,
)

SHEETS_BY_TABLE = {"budget": BUDGET, "indicators": INDICATORS, "team": TEAM, "accounts": ACCOUNTS, "facts": FACTS,
                   "deductions": DEDUCTIONS, "project_info": PROJECT_INFO}

MONEY_COLUMNS = ("initial", "budget", "executed")
ACCOUNT_COLUMNS = ("initial", "budget", "final", "prior_final")
FACT_COLUMNS = ("budget", "actual", "prior_budget", "prior_actual")
VALUE_COLUMNS = ("target", "actual", "weight", "declared_score", "prior", "adjusted")


@dataclass
class DepartmentYear:
    department: str
    year: int
    parent: str | None
    rules: str
    nature: str
    declared_total: float | None
    declared_grade: str | None
    source_file: str
    sha256: str
    loaded_at: datetime
    version: str                    # the stored version: a new one on every ingest (store.version_of)
    texts: dict[str, list[str]]
    budget: pd.DataFrame
    indicators: pd.DataFrame
    team: pd.DataFrame
    prior: DepartmentYear | None = None
    report_date: date | None = None          # 报告日期 as typed (None: the report shows the ingest date)
    attachment: str | None = None            # 附件编号, the line above the title
    drafted: list[tuple[str, str]] = field(default_factory=list)   # (章节, 内容) of rows marked 草拟, still to confirm
    accounts: pd.DataFrame = field(default_factory=lambda: _frame([], [c.key for c in ACCOUNTS.columns], ()))
    facts: pd.DataFrame = field(default_factory=lambda: _frame([], [c.key for c in FACTS.columns], ()))
    deductions: pd.DataFrame = field(default_factory=lambda: _frame([], [c.key for c in DEDUCTIONS.columns], ()))
    source_path: str | None = None           # where the workbook was ingested from (None: ingested before 0009)
    project_rules: str | None = None         # 项目评分规则 (None: the default rulebook)
    project_info: pd.DataFrame = field(default_factory=lambda: _frame([], [c.key for c in PROJECT_INFO.columns], ()))
    project_indicators: pd.DataFrame | None = None   # the 绩效指标 rows of projects listed in 项目情况 (not the dept's)
    project_name: str | None = None          # set on the view of one project (:meth:`project`)
    project_details: dict = field(default_factory=dict)     # that project's 项目情况 row (empty: not listed)

    @property
    def is_sample(self) -> bool:
        return self.nature == SAMPLE_NATURE

    @property
    def comparable_prior(self) -> DepartmentYear | None:
        """The previous year to compare with: none for a 正式 year whose stored previous year is 示例 data
        (a filed report never prints sample figures as its 上年; the review memo says why 同比 is left out)."""
        if self.prior is not None and self.prior.is_sample and not self.is_sample:
            return None
        return self.prior

    def text(self, section: str) -> list[str]:
        """The paragraphs of one 文字材料 section, in workbook order (empty if none)."""
        return self.texts.get(section, [])

    def total(self, column: str) -> float:
        """Exact sum of a money column (万元), rounded to the 6 decimals the store keeps."""
        return round(math.fsum(self.budget[column]), 6)

    @property
    def execution_rate(self) -> float:
        budget = self.total("budget")
        return self.total("executed") / budget if budget else 0.0

    def to_frame(self, table: str, cn: bool = False) -> pd.DataFrame:
        """One of budget, indicators, team, accounts, facts; with ``cn`` its columns carry the workbook's
        Chinese headers (项目名称, 全年预算数（万元）…) and 行号 for the Excel row."""
        frame = getattr(self, table)
        if not cn:
            return frame
        headers = {c.key: c.header for c in SHEETS_BY_TABLE[table].columns}
        if table == "indicators":
            frame = as_typed(frame)
        return frame.rename(columns={"row": "行号", **headers})

    @property
    def projects(self) -> pd.DataFrame:
        """The 项目支出 lines: 基本支出 (人员经费, 公用经费) lines are spending, not projects."""
        return self.budget[self.budget["expense_type"] == PROJECT]

    @property
    def project_count(self) -> int:
        return int(self.projects["name"].nunique())

    def account(self, item: str, column: str = "final") -> float | None:
        """One 收支总表 amount (万元), or None if the sheet or the 科目 or that column is not given."""
        rows = self.accounts[self.accounts["item"] == item]
        if rows.empty or pd.isna(rows.iloc[0][column]):
            return None
        return float(rows.iloc[0][column])

    def fact(self, item: str, column: str = "actual") -> float | None:
        """One 部门情况 value, or None if not given."""
        rows = self.facts[self.facts["item"] == item]
        if rows.empty or pd.isna(rows.iloc[0][column]):
            return None
        return float(rows.iloc[0][column])

    @property
    def project_names(self) -> list[str]:
        """The projects of 项目支出, in workbook order (a project with two funding sources once)."""
        return list(dict.fromkeys(self.projects["name"]))

    def project(self, name: str) -> DepartmentYear:
        """One project as a department-year of its own, for its 项目支出绩效自评表: its 项目支出 lines, the 绩效指标
        rows carrying its name (if it is listed in 项目情况), its 项目情况 texts as the sections the form reads
        (年度目标 → 年度总体目标 …), 自评总分 as declared on its form. Raises KeyError for a name not in 项目支出."""
        if name not in self.project_names:
            raise KeyError(name)
        info = self.project_info[self.project_info["name"] == name]
        details = {k: v for k, v in info.iloc[0].to_dict().items() if not _blank(v)} if len(info) else {}
        own = self.project_indicators if self.project_indicators is not None else self.indicators.iloc[0:0]
        texts = {section: [details[key]] for key, section in PROJECT_TEXTS.items() if key in details}
        empty = self.indicators.iloc[0:0]
        return replace(
            self, parent=details.get("parent", self.department), rules=self.project_rules or "",   # 主管部门: its own
            declared_total=_optional_float(details.get("declared_total")), declared_grade=None, texts=texts,
            budget=self.projects[self.projects["name"] == name].reset_index(drop=True),
            indicators=own[own["project"] == name].reset_index(drop=True) if len(info) else empty,
            team=self.team.iloc[0:0], prior=None, drafted=[], accounts=self.accounts.iloc[0:0],
            facts=self.facts.iloc[0:0], deductions=self.deductions.iloc[0:0], project_indicators=None,
            project_name=name, project_details=details)

    @property
    def measures(self) -> dict:
        """The 共性 measures of 部门整体 frameworks computed from this year's data (:mod:`evalnb.store.measures`)."""
        from evalnb.store.measures import compute  # measures reads DepartmentYear: imported when asked for

        return compute(self)


def _comparison_pairs(indicator: pd.Series | dict) -> list[tuple[str, str]]:
    scope, base = indicator["scope"], indicator["base"]
    if not isinstance(scope, str) or not isinstance(base, str):
        return []
    return list(zip(scope.split("；"), base.split("；"), strict=True))


def comparisons(indicator: pd.Series | dict) -> list[tuple[str, float]]:
    """The (比较范围, 比较基数) pairs of one indicator row whose base is a total, e.g. [("全市", 33.0)]."""
    return [(scope, float(base)) for scope, base in _comparison_pairs(indicator) if not base.endswith("%")]


def stated_shares(indicator: pd.Series | dict) -> list[tuple[str, float]]:
    """The shares the department typed as such (比较基数 27%): [("全市", 27.0)], in percent."""
    return [(scope, float(base[:-1])) for scope, base in _comparison_pairs(indicator) if base.endswith("%")]


def shares(indicator: pd.Series | dict) -> list[tuple[str, float | str]]:
    """Every (比较范围, 比较基数) in the order typed: a total as a float, a stated share as typed ("27%")."""
    return [(scope, base if base.endswith("%") else float(base)) for scope, base in _comparison_pairs(indicator)]


def _frame(records: list[dict], columns: list[str], numeric: tuple[str, ...]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records, columns=["row", *columns])
    for col in numeric:
        if col in frame:
            frame[col] = frame[col].map(lambda v: float(v) if isinstance(v, Decimal) else v).astype("float64")
    return frame


def in_force(frame: pd.DataFrame) -> pd.DataFrame:
    """Indicators as scored: where a 调整指标值 was given it is the target (target, target_text), the 年度指标值
    typed beside it becomes initial_target / initial_target_text, and target_adjusted is True."""
    frame = frame.copy()
    adjusted = frame["adjusted_text"].notna()
    frame["target_adjusted"] = adjusted
    frame["initial_target"] = frame["target"].where(adjusted)
    frame["initial_target_text"] = frame["target_text"].where(adjusted, None)
    frame["target"] = frame["adjusted"].where(adjusted, frame["target"])
    frame["target_text"] = frame["adjusted_text"].where(adjusted, frame["target_text"])
    return frame.drop(columns=["adjusted", "adjusted_text"])


def as_typed(frame: pd.DataFrame) -> pd.DataFrame:
    """The inverse of :func:`in_force`: 年度指标值 and 调整指标值 as the workbook has them, 是否核心指标 as 是/否."""
    if "target_adjusted" not in frame:
        return frame
    frame = frame.copy()
    adjusted = frame["target_adjusted"].eq(True)           # NaN (a row an analyst added): not adjusted
    frame["adjusted"] = frame["target"].where(adjusted)
    frame["adjusted_text"] = frame["target_text"].where(adjusted, None)
    frame["target"] = frame["initial_target"].where(adjusted, frame["target"])
    frame["target_text"] = frame["initial_target_text"].where(adjusted, frame["target_text"])
    if "core" in frame:
        frame["core"] = frame["core"].map({True: CORE_ANSWERS[0], False: CORE_ANSWERS[1]})
    return frame.drop(columns=["initial_target", "initial_target_text", "target_adjusted"])


def _budget_frame(records: list[dict]) -> pd.DataFrame:
    """项目支出 lines; a line stored before contract v2 (no 支出类型) is a 项目支出 line."""
    frame = _frame(records, [c.key for c in BUDGET.columns], MONEY_COLUMNS)
    frame["expense_type"] = frame["expense_type"].where(frame["expense_type"].notna(), PROJECT)
    return frame


def _optional_float(value: Decimal | float | None) -> float | None:
    return None if _blank(value) else float(value)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def load(department: str, year: int, db: str | None = None, with_prior: bool = True,
         engine: Engine | None = None, version: str | None = None) -> DepartmentYear:
    """One stored department-year; raises NotFoundError listing what is stored if it is not there.

    With ``version`` (a :attr:`DepartmentYear.version`), the data must still be that version, else
    :class:`StaleDataError`: a report reads one version of a department-year from start to end."""
    engine = engine or store.open_store(db)
    raw = store.fetch(engine, department, int(year))
    head = raw["profile"]
    if version is not None and store.version_of(head) != version:
        raise StaleDataError(f"{department} {year} 已被重新导入（版本 {version} → {store.version_of(head)}），"
                             "本次读取作废")
    texts: dict[str, list[str]] = {}
    for t in raw["texts"]:
        texts.setdefault(t["section"], []).append(t["content"])
    drafted = [(t["section"], t["content"]) for t in raw["texts"] if t.get("origin") == DRAFTED]
    info = _frame(raw.get("projects", []), [c.key for c in PROJECT_INFO.columns], ("declared_total",))
    indicators = in_force(_frame(raw["indicators"], [*(c.key for c in INDICATORS.columns), "target_text",
                                                     "actual_text", "adjusted_text"], VALUE_COLUMNS))
    filed = indicators["project"].isin(set(info["name"]))
    prior = None
    if with_prior and (department, int(year) - 1) in store.department_years(engine):
        prior = load(department, int(year) - 1, with_prior=False, engine=engine)
    return DepartmentYear(
        department=head["department"], year=head["year"], parent=head["parent"], rules=head["rules"],
        nature=head["nature"], declared_total=_optional_float(head["declared_total"]),
        declared_grade=head["declared_grade"], source_file=head["source_file"], sha256=head["sha256"],
        loaded_at=head["loaded_at"], version=store.version_of(head), texts=texts,
        budget=_budget_frame(raw["budget"]),
        indicators=indicators[~filed].reset_index(drop=True),
        project_indicators=indicators[filed].reset_index(drop=True), project_info=info,
        project_rules=head.get("project_rules"),
        team=_frame(raw["team"], [c.key for c in TEAM.columns], ()),
        accounts=_frame(raw["accounts"], [c.key for c in ACCOUNTS.columns], ACCOUNT_COLUMNS),
        facts=_frame(raw["facts"], [c.key for c in FACTS.columns], FACT_COLUMNS),
        deductions=_frame(raw.get("deductions", []), [c.key for c in DEDUCTIONS.columns], ()),
        prior=prior, drafted=drafted, report_date=head.get("report_date"), attachment=head.get("attachment"),
        source_path=head.get("source_path"),
    )


def departments(db: str | None = None) -> list[str]:
    return sorted({d for d, _ in store.department_years(store.open_store(db))})


def years(department: str, db: str | None = None) -> list[int]:
    return [y for d, y in store.department_years(store.open_store(db)) if d == department]
