"""The ``evalnb`` command. Every subcommand has ``--help``; messages are Chinese; failures exit non-zero
with one message (``--debug`` adds the traceback). Exit codes: 0 done, 1 a report or check failed,
2 bad input (workbook, rulebook, params, options), 3 not in the store, 4 store unreachable or refused,
5 file-system error, 130 interrupted."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import traceback
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import evalnb
from evalnb import settings
from evalnb.console import PROGRESS_FORMAT, SEVERITY, Parser, explain, log, mask_secrets, printable, setup_logging, table
from evalnb.errors import UsageError

Handler = Callable[[argparse.Namespace], int]


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", help=f"数据库地址（SQLAlchemy URL），默认取环境变量 {settings.DB.name}，"
                                     "否则为项目目录下的 outputs/evalnb.sqlite")


def _year(text: str) -> int:
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} 不是年度（应为如 2024 的四位数字）") from None
    if not 1900 <= year <= 2200:
        raise argparse.ArgumentTypeError(f"{text} 不是合理的年度（应在 1900–2200 之间）")
    return year


def _dept_year(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dept", required=True, help="部门名称，与工作簿“基本信息”中的部门名称一致，如 科学技术局")
    parser.add_argument("--year", required=True, type=_year, help="年度，如 2024")
    _db_option(parser)


def _force_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--force", action="store_true", help="全部章节重新运行，不沿用未变化的章节")


def _rules_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rules", help="评分规则名称或 .yaml 文件路径（默认：工作簿中填写的评分规则）")


def _templates_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--templates", type=Path, metavar="DIR",
                        help=f"措辞模板目录：其中的 s1.j2 … 等文件替换同名的内置章节措辞"
                             f"（也可用环境变量 {settings.TEMPLATES.name}）")


def _use_templates(args: argparse.Namespace) -> None:
    from evalnb.paths import WORDING_ENV as ENV_VAR

    folder = getattr(args, "templates", None)
    if folder is not None:
        if not folder.is_dir():
            raise UsageError(f"措辞模板目录 {folder} 不存在或不是目录")
        os.environ[ENV_VAR] = str(folder.resolve())      # the kernels and batch workers inherit it


def cmd_template(args: argparse.Namespace) -> int:
    from evalnb.intake.blank import write_template

    out: Path = args.out
    if out.is_dir():
        raise UsageError(f"{out} 是一个目录：请给出要写入的 .xlsx 文件名，如 {out / '部门_2024.xlsx'}")
    if out.exists() and not args.force:
        raise UsageError(f"{out} 已存在，未覆盖（可能是已填写的工作簿）；确需覆盖请加 --force")
    book = None
    if args.rules:
        from evalnb.rules import load_rulebook
        book = load_rulebook(args.rules)
    written = write_template(out, book)
    print(f"已写入空白工作簿：{written}" + (f"（评分规则 {book.name}，绩效指标已列出规则中的指标）" if book else ""))
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from evalnb.intake.ingest import ingest

    result = ingest(args.files, args.db)
    for skip in result.skipped:
        print(f"说明：{printable(str(skip))}")
    if not result:
        print("没有可导入的工作簿")
    for loaded in result:
        sub = loaded.submission
        action = "已替换" if loaded.replaced else "已导入"
        c = sub.row_counts
        print(f"{action} {printable(sub.profile['department'])} {sub.profile['year']}（{printable(sub.file)}：文字材料 "
              f"{c['texts']} 段，项目支出 {c['budget']} 行，绩效指标 {c['indicators']} 个，评价工作组 {c['team']} 人）")
        for note in sub.notes:
            print(f"  说明：{note}")
        for finding in _budget_findings(sub.profile["department"], sub.profile["year"], args.db):
            print(printable(f"  复核：{SEVERITY[finding.severity]} {finding.location} {finding.message}"))
    return 0


def _budget_findings(department: str, year: int, db: str | None) -> list:
    """What the whole-budget checks find in a department-year just stored (`evalnb check` lists all)."""
    from evalnb.review import checks
    from evalnb.review.budget_checks import BUDGET_CODES
    from evalnb.store import data

    found = checks.run_checks(data.load(department, year, db))
    return [f for f in found if f.code in BUDGET_CODES and f.severity != checks.INFO]


def cmd_list(args: argparse.Namespace) -> int:
    from evalnb.rules.scoring import score
    from evalnb.store import data
    from evalnb.store import sql as store

    engine = store.open_store(args.db)
    rows = []
    for dept, year in store.department_years(engine):
        card = score(data.load(dept, year, engine=engine, with_prior=False))
        rows.append((dept, str(year), f"{card.total:.2f}", card.grade))
    if not rows:
        print("库中还没有数据：先运行 evalnb ingest 工作簿.xlsx")
        return 0
    print(table(("部门", "年度", "得分", "等级"), rows))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from evalnb.store import data
    from evalnb.text.fmt import percent, wan

    dy = data.load(args.dept, args.year, args.db)
    print(f"{printable(dy.department)} {dy.year}（{dy.nature}）")
    print(f"  项目个数 {dy.project_count}，预算行 {len(dy.budget)}（基本支出 {len(dy.budget) - len(dy.projects)} 行）")
    print(f"  全年预算数 {wan(dy.total('budget'))}，全年执行数 {wan(dy.total('executed'))}，"
          f"预算执行率 {percent(dy.execution_rate)}")
    print(f"  绩效指标 {len(dy.indicators)} 个，评价工作组 {len(dy.team)} 人")
    print(f"  收支总表 {len(dy.accounts) or '未提供'}{' 个科目' if len(dy.accounts) else ''}，"
          f"部门情况 {len(dy.facts) or '未提供'}{' 项' if len(dy.facts) else ''}")
    print("  共性指标（按数据计算）：")
    for m in dy.measures.values():
        shown = f"{percent(float(m.value) / 100)}（{m.formula}）" if m.computed else m.missing
        print(f"    {m.name} {shown}")
    return 0


def cmd_score(args: argparse.Namespace) -> int:
    from evalnb.rules import scoring
    from evalnb.store import data

    card = scoring.score(data.load(args.dept, args.year, args.db), args.rules)
    if args.json:
        print(json.dumps(card.to_dict(), ensure_ascii=False, indent=2))
        return 0
    print(f"{printable(card.department)} {card.year} — {card.rules_title}（{card.rules}）")
    if card.execution_weight:
        print(f"预算执行率 {card.execution_score:g}/{card.execution_weight:g}  {card.execution_basis}")
    for item in card.items:
        declared = "" if item.declared_score is None else f"  自评 {item.declared_score:g}"
        print(printable(f"  {item.level1}/{item.level2}/{item.name}: {item.score:g}/{item.weight:g}{declared}  {item.basis}"))
    for level1, sub in card.subtotals.items():
        print(f"{level1} 小计 {sub['score']:g}/{sub['weight']:g}")
    declared = "" if card.declared_total is None else f"（自评 {card.declared_total:g} {card.declared_grade or ''}）"
    print(f"总分 {card.total:g}，等级 {card.grade}{declared}  {card.total_basis}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from evalnb.review import checks
    from evalnb.store import data

    findings = checks.run_checks(data.load(args.dept, args.year, args.db), args.rules)
    if args.json:
        print(json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=2))
    else:
        for f in findings:
            print(printable(f"{SEVERITY.get(f.severity, f.severity)}  {f.location}  {f.message}"))
        counts = "，".join(f"{SEVERITY[sev]} {sum(f.severity == sev for f in findings)}"
                          for sev in (checks.ERROR, checks.WARNING, checks.INFO))
        print(f"共 {len(findings)} 条复核发现：{counts}")
    if args.strict and any(f.severity == checks.ERROR for f in findings):
        return 1
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    _use_templates(args)
    from evalnb.deliver.formats import REGISTRY
    from evalnb.deliver.publish import publish

    done = publish(args.dept, args.year, args.db, args.rules, formats=_formats(args), out_root=args.out,
                   force=args.force, final=args.final, progress=log.info)
    if done.current:
        print(f"报告：{_relative(done.html)}（数据、规则和程序均未变化，沿用上次生成的报告）")
    else:
        print(f"报告：{_relative(done.html)}（{done.html.stat().st_size / 1024:.0f} KB，用时 {done.seconds:.1f} 秒，"
              f"{done.sections} 节中 {done.reused} 节未变化、沿用）")
    print(f"复核意见：{_relative(done.memo)}")
    for kind, path in done.formats.items():
        said = f"{path.stat().st_size / 1024:.0f} KB" if path in done.written else "未变化"
        print(f"{REGISTRY[kind].label}：{_relative(path)}（{said}）")
    if args.profile and done.current:
        print("（报告未重新生成，没有分阶段用时；要测量请加 --force）")
    elif args.profile:
        total = sum(seconds for _, seconds in done.phases) or 1
        print(table(("阶段", "用时（秒）", "占比"), [(name, f"{seconds:.2f}", f"{seconds / total:.0%}")
                                                  for name, seconds in done.phases]))
    _status(done.draft)
    return 0


def _status(draft: list[str]) -> None:
    if draft:
        print(f"状态：草稿（{len(draft)} 项须处理后方能定稿，见复核意见）")
    else:
        print("状态：可定稿报送")


def cmd_draft(args: argparse.Namespace) -> int:
    from evalnb.review.draft import write_draft

    drafted = write_draft(args.dept, args.year, args.out, args.source, args.db, args.force)
    print(f"已写出草拟稿：{drafted.path}（文字材料新增“存在问题”和“改进措施”各 {len(drafted.problems)} 段，来源为“草拟”）")
    for problem in drafted.problems:
        print(f"  - {problem.problem}")
    print("请在 Excel 中修改或删除草拟段落、清空其“来源”格，然后用 evalnb ingest 导入。")
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    from evalnb.report.render import render_review

    memo = render_review(args.dept, args.year, args.db, args.rules, out_root=args.out, progress=log.info)
    print(f"复核意见：{_relative(memo)}")
    return 0


def _formats(args: argparse.Namespace) -> tuple[str, ...]:
    from evalnb.deliver.formats import extra

    return tuple(kind for kind in extra() if getattr(args, kind, False))


def _format_options(parser: argparse.ArgumentParser) -> None:
    from evalnb.deliver.formats import REGISTRY, extra

    for kind in extra():
        parser.add_argument(f"--{kind}", action="store_true", help=REGISTRY[kind].help)


def cmd_mail(args: argparse.Namespace) -> int:
    from evalnb.batch.params import recipients
    from evalnb.deliver import mail
    from evalnb.deliver.formats import REGISTRY
    from evalnb.paths import document_name
    from evalnb.report.render import report_dir

    stored_to, stored_cc = recipients(args.dept, args.year)
    to, cc = args.to or stored_to, args.cc or stored_cc
    attach = tuple(dict.fromkeys(a.strip() for a in args.attach.split(",") if a.strip()))
    unknown = [a for a in attach if a not in REGISTRY]
    if unknown or not attach:
        raise UsageError(f"--attach 应为 {'、'.join(REGISTRY)} 中的一个或几个，用逗号分隔；收到：{args.attach}")
    folder = report_dir(args.dept, args.year, args.out)
    if args.send:
        before = mail.deliver(args.dept, args.year, folder, args.db, to, cc, args.sender, attach, args.resend)
        if before is not None:
            print(f"未重发：同一份报告已于 {before:%Y-%m-%d %H:%M} 发给 {printable('、'.join(to + cc))}（--resend 可重发）")
        else:
            print(f"已发送：{printable(args.dept)} {args.year} → {printable('、'.join(to + cc))}")
        return 0
    msg = mail.build_message(args.dept, args.year, folder, args.db, to, cc, args.sender, attach)
    path = args.eml or folder / document_name(args.dept, args.year, suffix=".eml")
    mail.write_eml(msg, path)
    print(f"邮件文件：{_relative(path)}（{path.stat().st_size / 1024:.0f} KB，可用邮件客户端打开后发送）")
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    from evalnb.report.render import render_summary

    print(f"汇总：{_relative(render_summary(args.year, args.db, args.rules, args.out))}")
    return 0


def cmd_rules_list(args: argparse.Namespace) -> int:
    import warnings

    from evalnb.errors import RulebookError
    from evalnb.rules import ALIASES, available, load_rulebook

    rows = []
    for name in available():
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                book = load_rulebook(name)
        except RulebookError as exc:      # one broken file in EVALNB_RULES_DIR does not hide the others
            rows.append((name, f"（无效：{str(exc).splitlines()[0]}；evalnb rules check 可查看全部问题）", ""))
            continue
        rows.append((name, book.title, str(_relative(book.path))))
    print(table(("名称", "标题", "文件"), rows))
    print("旧名称（仍可用，今后将不再支持）：" + "、".join(f"{old} → {new}" for old, new in ALIASES.items()))
    return 0


def cmd_rules_show(args: argparse.Namespace) -> int:
    from evalnb.rules import load_rulebook
    from evalnb.rules.show import describe

    print("\n".join(describe(load_rulebook(args.name))))
    return 0


def cmd_rules_check(args: argparse.Namespace) -> int:
    from evalnb.rules import load_rulebook
    from evalnb.rules.exact import num
    from evalnb.rules.tree import walk

    book = load_rulebook(str(args.file.resolve()))
    nodes = sum(1 for _ in walk(book.spec.tree))
    print(f"{_relative(args.file.resolve())}：评分规则“{book.title}”有效，共 {nodes} 个指标节点，总分 {num(book.spec.total)}")
    return 0


def cmd_rules_schema(args: argparse.Namespace) -> int:
    from evalnb.rules.model import Rulebook

    print(json.dumps(Rulebook.model_json_schema(), ensure_ascii=False, indent=2))
    return 0


def cmd_params(args: argparse.Namespace) -> int:
    from evalnb.batch.params import write_params

    for path in write_params(args.db):
        print(_relative(path))
    return 0


def cmd_batch(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from evalnb.batch.run import jobs_from_params, jobs_from_store, run_batch

    _use_templates(args)
    if args.workers is not None and args.workers < 1:
        raise UsageError(f"--workers 应为不小于 1 的整数，收到 {args.workers}")
    if args.params:
        jobs = jobs_from_params(args.params, args.db, args.force)
    else:
        jobs = jobs_from_store(args.db, args.year or (), args.dept or (), args.rules, args.force)
    jobs = [replace(job, formats=_formats(args)) for job in jobs]
    if not jobs:
        log.error("evalnb batch：没有符合条件的部门年度")
        return 3
    with tqdm(total=len(jobs), desc="生成报告", file=sys.stderr, bar_format=PROGRESS_FORMAT,
              disable=args.quiet) as bar:
        def on_result(r) -> None:
            bar.set_postfix_str(f"{printable(r.department)} {r.year} {STATUS[r.status]}")
            bar.update()
            log.debug("%s %s %s %.1fs %s", r.department, r.year, r.status, r.seconds, r.error or "")
        results = run_batch(jobs, args.workers, args.scheduler, on_result=on_result)
    print(_results_table(results))
    failed = [r for r in results if r.status == "failed"]
    skipped = [r for r in results if r.status == "skipped"]
    for r in failed:
        log.error("失败 %s %s：%s", printable(r.department), r.year, r.error)
    for r in skipped:
        log.warning("跳过 %s %s：%s", printable(r.department), r.year, r.error)
    print(f"成功 {len(results) - len(failed) - len(skipped)} 份，失败 {len(failed)} 份"
          + (f"，跳过 {len(skipped)} 份（另一进程正在生成）" if skipped else ""))
    mail_failed = _mail_results(results, args) if args.mail else 0
    if failed and args.mail_failures:
        _mail_failures(results, args.mail_failures)
    return 1 if failed or mail_failed else 0


def _mail_failures(results: list, operator: str) -> None:
    """The results table of a batch with failures, to the operator's address (a failed send is logged)."""
    from email.message import EmailMessage

    from evalnb.deliver import mail
    from evalnb.errors import MailError

    failed = [r for r in results if r.status == "failed"]
    msg = EmailMessage()
    msg["Subject"] = f"evalnb 批量生成：{len(failed)} 份失败（共 {len(results)} 份）"
    msg["From"] = os.environ.get(mail.MAIL_FROM) or "evalnb@localhost"
    msg["To"] = operator
    lines = [_results_table(results), ""] + [f"失败 {r.department} {r.year}：{r.error}" for r in failed]
    msg.set_content("\n".join(lines))
    try:
        mail.send(msg)
        print(f"失败清单已发给 {printable(operator)}")
    except MailError as exc:
        log.error("失败清单未能发出：%s", exc)


def _mail_results(results: list, args: argparse.Namespace) -> int:
    """Mail each report the batch made to its params recipients; one failure does not stop the others.
    Returns how many could not be sent."""
    from evalnb.batch.params import recipients
    from evalnb.deliver import mail
    from evalnb.errors import EvalnbError

    counts = {"sent": 0, "unchanged": 0, "no-recipients": 0, "failed": 0}
    for r in (r for r in results if r.status == "ok"):
        to, cc = recipients(r.department, r.year)
        if not to:
            counts["no-recipients"] += 1
            log.warning("未发送 %s %s：params 中没有 mail_to", printable(r.department), r.year)
            continue
        try:
            before = mail.deliver(r.department, r.year, Path(r.report).parent, args.db, to, cc, resend=args.resend)
        except (EvalnbError, ValueError, OSError) as exc:     # one department's mail does not stop the others
            counts["failed"] += 1
            log.error("邮件失败 %s %s：%s", printable(r.department), r.year, exc)
            continue
        counts["unchanged" if before else "sent"] += 1
    print(f"邮件：已发送 {counts['sent']} 份，未变化未重发 {counts['unchanged']} 份，"
          f"无收件人 {counts['no-recipients']} 份，失败 {counts['failed']} 份")
    return counts["failed"]


STATUS = {"ok": "成功", "failed": "失败", "skipped": "跳过"}       # batch.run.Status, as a person reads it


def _results_table(results: list) -> str:
    header = ("部门", "年度", "状态", "得分", "等级", "秒", "报告")
    rows = [(r.department, str(r.year), STATUS.get(r.status, r.status), "" if r.score is None else f"{r.score:.2f}",
             r.grade or "", f"{r.seconds:.1f}", _relative(Path(r.report)) if r.report else "") for r in results]
    return table(header, rows)


def _relative(path: Path) -> str:
    from evalnb.paths import project_root

    try:
        return str(path.resolve().relative_to(project_root()))
    except ValueError:
        return str(path)


def _common_options(parser: argparse.ArgumentParser, top: bool) -> None:
    """-v/-q/--log/--debug, accepted before or after the subcommand."""
    default = {} if top else {"default": argparse.SUPPRESS}
    parser.add_argument("-v", "--verbose", action="count", help="显示更多过程信息", **({"default": 0} if top else default))
    parser.add_argument("-q", "--quiet", action="store_true", help="只显示警告和错误（不显示进度）", **default)
    parser.add_argument("--log", metavar="FILE", help="把全部过程信息（含时间）追加写入此日志文件，便于无人值守的批量运行",
                        **default)
    parser.add_argument("--debug", action="store_true", help="出错时显示完整的 Python 调用栈（供开发人员排查）", **default)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="evalnb", description="由 Excel 工作簿生成部门整体支出绩效自评报告。")
    parser.add_argument("--version", action="version", version=f"evalnb {evalnb.__version__}", help="显示版本号并退出")
    _common_options(parser, top=True)
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令", title="命令")

    def command(name: str, help_text: str, handler: Handler) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        _common_options(p, top=False)
        p.set_defaults(handler=handler)
        return p

    p = command("template", "写出空白工作簿（各工作表、表头、下拉选项和“说明”工作表）", cmd_template)
    p.add_argument("out", type=Path, help="要写入的 .xlsx 文件")
    p.add_argument("--force", action="store_true", help="文件已存在时覆盖")
    p.add_argument("--rules", help="按此评分规则预填：基本信息中的评分规则，绩效指标中规则列出的指标"
                                   "（一级/二级/三级、指标性质、分值）")

    p = command("ingest", "校验工作簿并导入数据库（全部通过才导入，否则一个也不导入）", cmd_ingest)
    p.add_argument("files", nargs="+", type=Path, help="部门年度工作簿（.xlsx），可多个")
    _db_option(p)

    p = command("list", "列出库中的部门年度，含得分和等级", cmd_list)
    _db_option(p)

    p = command("show", "显示一个部门年度的主要数字", cmd_show)
    _dept_year(p)

    p = command("score", "按评分规则计算得分，并列出每一分的依据", cmd_score)
    _dept_year(p)
    _rules_option(p)
    p.add_argument("--json", action="store_true", help="输出一个 JSON 对象，而不是表格")

    p = command("check", "列出复核时会被指出的问题（错误、提示）", cmd_check)
    _dept_year(p)
    _rules_option(p)
    p.add_argument("--json", action="store_true", help="以 JSON 列表输出复核发现（code 为稳定的英文标识）")
    p.add_argument("--strict", action="store_true", help="有任何错误级别的发现时以退出码 1 结束")

    p = command("report", "生成一个部门年度的 HTML 报告 outputs/<部门>/<年度>/report.html，及其复核意见", cmd_report)
    _dept_year(p)
    _rules_option(p)
    p.add_argument("--out", type=Path, help="输出目录（默认 outputs/）")
    _force_option(p)
    _templates_option(p)
    p.add_argument("--profile", action="store_true", help="列出本次生成各阶段的用时（读取数据、启动内核、各章节、拼接、写出）")
    p.add_argument("--final", action="store_true", help="定稿：报告仍为草稿（有错误级别的复核发现或必填文字未填）时不写出，"
                                                        "并列出须处理的事项")
    _format_options(p)

    p = command("review", "生成复核意见：outputs/<部门>/<年度>/复核意见.html（得分复核、复核发现、数据反映的问题、草稿原因）",
                cmd_review)
    _dept_year(p)
    _rules_option(p)
    p.add_argument("--out", type=Path, help="输出目录（默认 outputs/）")

    p = command("mail", "把已生成的报告做成邮件：正文为摘要和图表，附报告文件；写出 .eml，或经 SMTP 发送", cmd_mail)
    _dept_year(p)
    p.add_argument("--to", action="append", metavar="地址", help="收件人，可重复；默认取 params/<部门>_<年度>.yaml 的 mail_to")
    p.add_argument("--cc", action="append", metavar="地址", help="抄送，可重复；默认取 mail_cc")
    p.add_argument("--from", dest="sender", metavar="地址", help=f"发件人（默认 {settings.MAIL_FROM.name} 或 SMTP 用户名）")
    p.add_argument("--attach", default="html", help="附件：html（报告）、memo（复核意见）、pdf、docx、xlsx（须先用 "
                                                    "evalnb report --pdf 等生成），逗号分隔，默认 html")
    p.add_argument("--out", type=Path, help="报告所在的输出目录（默认 outputs/）")
    how = p.add_mutually_exclusive_group()
    how.add_argument("--send", action="store_true", help=f"经 {settings.SMTP_URL.name} 指定的服务器发送"
                                                               f"（密码取 {settings.SMTP_PASSWORD.name}）")
    how.add_argument("--eml", type=Path, metavar="文件", help="写出 .eml 邮件文件（默认：报告目录下以报告命名的 .eml）")
    p.add_argument("--resend", action="store_true", help="同一份报告已发给同样的收件人时也再发一次（默认不重发）")

    p = command("draft", "草拟“存在问题”和“改进措施”：写出工作簿副本，文字材料中新增由数据得出的段落（来源为“草拟”）",
                cmd_draft)
    _dept_year(p)
    p.add_argument("--out", type=Path, required=True, help="要写出的工作簿副本（.xlsx）")
    p.add_argument("--from", dest="source", type=Path,
                   help="导入时所用的工作簿（默认：当前目录下与导入时同名的文件）；须与库中数据是同一份")
    p.add_argument("--force", action="store_true", help="--out 文件已存在时覆盖")

    p = command("summary", "生成某年度各部门汇总：outputs/summary/<年度>.html", cmd_summary)
    p.add_argument("--year", required=True, type=_year, help="年度，如 2024")
    p.add_argument("--out", type=Path, help="输出目录（默认 outputs/）")
    _rules_option(p)
    _db_option(p)

    p = command("rules", "评分规则：列出可用的规则、显示一个规则的指标树、检查自己编写的规则文件", cmd_rules_list)
    rules = p.add_subparsers(dest="rules_command", metavar="操作", title="操作")
    for name, help_text, handler in (
            ("list", "列出可用的评分规则（名称、标题）", cmd_rules_list),
            ("show", "显示一个评分规则的指标树、分值和计分方法", cmd_rules_show),
            ("check", "检查一个评分规则文件，逐条列出有误的键", cmd_rules_check),
            ("schema", "输出评分规则文件的 JSON Schema（供编辑器提示和校验）", cmd_rules_schema)):
        r = rules.add_parser(name, help=help_text, description=help_text)
        r.set_defaults(handler=handler)
        if name == "show":
            r.add_argument("name", help="规则名称（如 national-2020）或 .yaml 文件路径")
        elif name == "check":
            r.add_argument("file", type=Path, help="评分规则 .yaml 文件")

    p = command("params", "为库中每个部门年度写出 params/<部门>_<年度>.yaml（已有的文件保留不动）", cmd_params)
    _db_option(p)

    p = command("batch", "并行生成多个部门年度的报告（全部，或按条件筛选）", cmd_batch)
    p.add_argument("--year", type=_year, action="append", help="只生成此年度（可重复）")
    p.add_argument("--dept", action="append", help="只生成此部门（可重复）")
    p.add_argument("--params", type=Path, nargs="+", help="按这些 params/*.yaml 文件生成，而不是库中的全部")
    p.add_argument("--workers", type=int, help="并行进程数（默认：CPU 核数）")
    p.add_argument("--scheduler", help="dask.distributed 调度器地址；local 表示在本机启动 LocalCluster")
    p.add_argument("--mail", action="store_true", help="生成后把每份成功的报告发给 params 中 mail_to/mail_cc 的收件人"
                                                       "（未变化的报告不重发）")
    p.add_argument("--resend", action="store_true", help="与 --mail 同用：未变化的报告也重发")
    p.add_argument("--mail-failures", metavar="地址", help=f"有失败时，把结果表和失败原因发到此地址"
                                                                f"（经 {settings.SMTP_URL.name}）")
    _format_options(p)
    _templates_option(p)
    _force_option(p)
    _rules_option(p)
    _db_option(p)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    setup_logging(args.verbose, args.quiet, args.log)
    handler: Handler = args.handler
    signal.signal(signal.SIGTERM, _interrupt)     # `kill` unwinds like Ctrl-C: kernels, workers, staging cleaned
    try:
        return handler(args)
    except BaseException as exc:      # noqa: BLE001  every failure gets one Chinese message
        if isinstance(exc, SystemExit):
            raise
        explained = explain(exc)
        if explained is None or args.debug:
            log.error(mask_secrets("".join(traceback.format_exception(exc))))
        if explained is None:
            log.error("evalnb %s：内部错误（%s），请把上面的信息发给维护人员", args.command, type(exc).__name__)
            return 1
        message, code = explained
        log.error("evalnb %s：%s", args.command, mask_secrets(message))
        return code


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    sys.exit(main())
