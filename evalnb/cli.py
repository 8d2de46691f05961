"""The ``evalnb`` command. Every subcommand has ``--help``; failures exit non-zero."""

from __future__ import annotations

import argparse
import sys
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
