"""The ``evalnb`` command. Every subcommand has ``--help``; failures exit non-zero."""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path

from evalnb.errors import EvalnbError

Handler = Callable[[argparse.Namespace], int]


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", help="SQLAlchemy URL of the store (default: $EVALNB_DB or "
                                     "sqlite:///outputs/evalnb.sqlite under the project root)")


def _dept_year(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dept", required=True, help="department name as in 基本信息/部门名称, e.g. 科学技术局")
    parser.add_argument("--year", required=True, type=int, help="year, e.g. 2024")
    _db_option(parser)


def cmd_template(args: argparse.Namespace) -> int:
    from evalnb.template import write_template

    print(f"wrote {write_template(args.out)}")
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from evalnb.ingest import ingest

    for loaded in ingest(args.files, args.db):
        sub = loaded.submission
        action = "replaced" if loaded.replaced else "loaded"
        counts = ", ".join(f"{k} {v}" for k, v in sub.row_counts.items())
        print(f"{action} {sub.profile['department']} {sub.profile['year']} from {sub.file} ({counts})")
        for note in sub.notes:
            print(f"  note: {note}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from evalnb import store

    for dept, year in store.department_years(store.open_store(args.db)):
        print(f"{dept}\t{year}")
    return 0


def cmd_summary_text(args: argparse.Namespace) -> int:
    from evalnb import data
    from evalnb.fmt import percent, wan

    dy = data.load(args.dept, args.year, args.db)
    print(f"{dy.department} {dy.year}（{dy.nature}）")
    print(f"  项目个数 {dy.budget['name'].nunique()}，预算行 {len(dy.budget)}")
    print(f"  全年预算数 {wan(dy.total('budget'), 5)}，全年执行数 {wan(dy.total('executed'), 5)}，"
          f"预算执行率 {percent(dy.execution_rate)}")
    print(f"  绩效指标 {len(dy.indicators)} 个，评价工作组 {len(dy.team)} 人")
    return 0


def _force_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--force", action="store_true", help="re-run every section, even those that did not change")


def _rules_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rules", help="rulebook name or .yaml path (default: the workbook's 评分规则)")


def cmd_score(args: argparse.Namespace) -> int:
    from evalnb import data, scoring

    card = scoring.score(data.load(args.dept, args.year, args.db), args.rules)
    if args.json:
        print(json.dumps(card.to_dict(), ensure_ascii=False, indent=2))
        return 0
    print(f"{card.department} {card.year} — {card.rules_title}（{card.rules}）")
    print(f"预算执行率 {card.execution_score:g}/{card.execution_weight:g}  {card.execution_basis}")
    for item in card.indicators:
        declared = "" if item.declared_score is None else f"  自评 {item.declared_score:g}"
        print(f"  {item.level1}/{item.level2}/{item.name}: {item.score:g}/{item.weight:g}{declared}  {item.basis}")
    for level1, sub in card.subtotals.items():
        print(f"{level1} 小计 {sub['score']:g}/{sub['weight']:g}")
    declared = "" if card.declared_total is None else f"（自评 {card.declared_total:g} {card.declared_grade or ''}）"
    print(f"总分 {card.total:g}，等级 {card.grade}{declared}  {card.total_basis}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from evalnb import checks, data

    findings = checks.run_checks(data.load(args.dept, args.year, args.db), args.rules)
    if args.json:
        print(json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=2))
    else:
        for f in findings:
            print(f"{f.severity:7} {f.code:28} {f.location}  {f.message}")
        counts = {sev: sum(f.severity == sev for f in findings) for sev in (checks.ERROR, checks.WARNING, checks.INFO)}
        print(f"{len(findings)} finding(s): " + ", ".join(f"{n} {sev}" for sev, n in counts.items()))
    if args.strict and any(f.severity == checks.ERROR for f in findings):
        return 1
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from evalnb.report import render_report

    result = render_report(args.dept, args.year, args.db, args.rules, out_root=args.out, force=args.force,
                           progress=lambda line: print(line, file=sys.stderr, flush=True))
    print(f"report: {_relative(result.html)} ({result.html.stat().st_size / 1024:.0f} KB, {result.seconds:.1f} s, "
          f"{result.reused} of {len(result.sections)} sections unchanged)")
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    from evalnb.report import render_summary

    print(f"summary: {_relative(render_summary(args.year, args.db, args.rules, args.out))}")
    return 0


def cmd_params(args: argparse.Namespace) -> int:
    from evalnb.params import write_params

    for path in write_params(args.db):
        print(_relative(path))
    return 0


def cmd_batch(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from evalnb.batch import jobs_from_params, jobs_from_store, run_batch

    if args.params:
        jobs = jobs_from_params(args.params, args.db, args.force)
    else:
        jobs = jobs_from_store(args.db, args.year or (), args.dept or (), args.rules, args.force)
    if not jobs:
        print("evalnb batch: no department-year matches", file=sys.stderr)
        return 3
    with tqdm(total=len(jobs), desc="reports", unit="report", file=sys.stderr) as bar:
        results = run_batch(jobs, args.workers, args.scheduler,
                            on_result=lambda r: (bar.set_postfix_str(f"{r.department} {r.year} {r.status}"),
                                                 bar.update()))
    print(_results_table(results))
    failed = [r for r in results if r.status != "ok"]
    for r in failed:
        print(f"FAILED {r.department} {r.year}: {r.error}", file=sys.stderr)
    print(f"{len(results) - len(failed)} ok, {len(failed)} failed")
    return 1 if failed else 0


def _results_table(results: list) -> str:
    header = ("部门", "年度", "状态", "得分", "等级", "秒", "报告")
    rows = [(r.department, str(r.year), r.status, "" if r.score is None else f"{r.score:g}", r.grade or "",
             f"{r.seconds:.1f}", _relative(Path(r.report)) if r.report else "") for r in results]
    widths = [max(_width(x) for x in col) for col in zip(header, *rows, strict=True)]
    return "\n".join("  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(row, widths, strict=True)).rstrip()
                     for row in (header, *rows))


def _width(text: str) -> int:
    """Display width in a terminal: CJK characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _relative(path: Path) -> str:
    from evalnb.paths import project_root

    try:
        return str(path.resolve().relative_to(project_root()))
    except ValueError:
        return str(path)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="evalnb", description="部门整体支出绩效自评报告 from Excel workbooks.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("template", help="write an empty department-year workbook with a 说明 sheet")
    p.add_argument("out", type=Path, help="the .xlsx file to write")
    p.set_defaults(handler=cmd_template)

    p = sub.add_parser("ingest", help="validate workbooks and load them into the store (all or none)")
    p.add_argument("files", nargs="+", type=Path, help="department-year .xlsx workbooks")
    _db_option(p)
    p.set_defaults(handler=cmd_ingest)

    p = sub.add_parser("list", help="list the stored department-years")
    _db_option(p)
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser("show", help="print the key figures of one stored department-year")
    _dept_year(p)
    p.set_defaults(handler=cmd_summary_text)

    p = sub.add_parser("score", help="score a department-year under its rulebook, with the basis of every point")
    _dept_year(p)
    _rules_option(p)
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    p.set_defaults(handler=cmd_score)

    p = sub.add_parser("check", help="list what a reviewer would flag (errors, warnings)")
    _dept_year(p)
    _rules_option(p)
    p.add_argument("--json", action="store_true", help="print the findings as a JSON list")
    p.add_argument("--strict", action="store_true", help="exit 1 if any finding is an error")
    p.set_defaults(handler=cmd_check)

    p = sub.add_parser("report", help="render the HTML report of a department-year to outputs/<dept>/<year>/")
    _dept_year(p)
    _rules_option(p)
    p.add_argument("--out", type=Path, help="folder for <dept>/<year>/report.html (default: outputs/)")
    _force_option(p)
    p.set_defaults(handler=cmd_report)

    p = sub.add_parser("summary", help="render the cross-department overview of a year to outputs/summary/<year>.html")
    p.add_argument("--year", required=True, type=int, help="year, e.g. 2024")
    p.add_argument("--out", type=Path, help="folder for summary/<year>.html (default: outputs/)")
    _rules_option(p)
    _db_option(p)
    p.set_defaults(handler=cmd_summary)

    p = sub.add_parser("params", help="write params/<dept>_<year>.yaml for every stored department-year")
    _db_option(p)
    p.set_defaults(handler=cmd_params)

    p = sub.add_parser("batch", help="render every stored department-year (or a filtered set) in parallel")
    p.add_argument("--year", type=int, action="append", help="only this year (repeatable)")
    p.add_argument("--dept", action="append", help="only this department (repeatable)")
    p.add_argument("--params", type=Path, nargs="+", help="params/*.yaml files to render instead of the store's list")
    p.add_argument("--workers", type=int, help="parallel processes (default: number of cores)")
    p.add_argument("--scheduler", help="dask.distributed scheduler address, or 'local' to start a LocalCluster")
    _force_option(p)
    _rules_option(p)
    _db_option(p)
    p.set_defaults(handler=cmd_batch)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except EvalnbError as exc:
        print(f"evalnb {args.command}: {exc}", file=sys.stderr)
        return exc.exit_code


if __name__ == "__main__":
    sys.exit(main())
