"""What each ``evalnb`` subcommand does: one ``cmd_…`` function per subcommand, taking the parsed options and
returning the exit code. Heavy modules are imported inside the commands that need them, so ``evalnb report``
with nothing to do starts in a blink."""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from evalnb import settings
from evalnb.cli import formats
from evalnb.console import PROGRESS_FORMAT, SEVERITY, explain, log, mask_secrets, printable, table
from evalnb.deliver.addresses import checked
from evalnb.deliver.formats import REGISTRY, extra, with_companions
from evalnb.errors import EvalnbError, MailError, ProjectError, RulebookError, UsageError

if TYPE_CHECKING:
    from evalnb.deliver.projects import PublishedProjects
from evalnb.paths import HOME_MARK, OUTPUTS, STORE_FILE, document_name, project_root, write_atomic
from evalnb.paths import WORDING_ENV as ENV_VAR


def _use_templates(args: argparse.Namespace) -> None:

    folder = getattr(args, "templates", None)
    if folder is not None:
        if not folder.is_dir():
            raise UsageError(f"措辞模板目录 {folder} 不存在或不是目录")
        os.environ[ENV_VAR] = str(folder.resolve())      # the kernels and batch workers inherit it


def cmd_template(args: argparse.Namespace) -> int:
    from evalnb.intake.blank import write_template  # lazy: keeps `evalnb` quick to start

    out: Path = args.out
    if out.is_dir():
        raise UsageError(f"{out} 是一个目录：请给出要写入的 .xlsx 文件名，如 {out / '部门_2024.xlsx'}")
    if out.exists() and not args.force:
        raise UsageError(f"{out} 已存在，未覆盖（可能是已填写的工作簿）；确需覆盖请加 --force")
    book = None
    if args.rules:
        from evalnb.rules import load_rulebook  # lazy: keeps `evalnb` quick to start
        book = load_rulebook(args.rules)
    written = write_template(out, book)
    print(f"已写入空白工作簿：{written}" + (f"（评分规则 {book.name}，绩效指标已列出规则中的指标）" if book else ""))
    return 0


def _new_store(args: argparse.Namespace) -> bool:
    """Whether this ingest starts the project's default store; without --init that is refused, saying why."""
    if args.db or settings.DB.get():
        return False
    home = project_root()
    store = home / OUTPUTS / STORE_FILE
    if store.exists():
        return False
    if not args.init:
        raise ProjectError(f"{home} 还没有数据库（{store}）。确要在此新建项目，请加 --init：evalnb ingest --init "
                           f"工作簿.xlsx；否则请 cd 到已有的项目目录，或设置环境变量 {settings.HOME.name}=项目目录")
    return True


def cmd_ingest(args: argparse.Namespace) -> int:
    from evalnb.intake.ingest import ingest  # lazy: keeps `evalnb` quick to start
    from evalnb.store.sql import open_store  # lazy: keeps `evalnb` quick to start

    if not args.files and not args.init:
        raise UsageError("请给出要导入的工作簿（.xlsx），可多个；只新建项目而暂不导入：evalnb ingest --init")
    new = _new_store(args)
    if not args.files:
        open_store(args.db, create=True).dispose()
    result = ingest(args.files, args.db) if args.files else []
    if args.init:
        mark = project_root() / OUTPUTS / HOME_MARK
        if not mark.exists():
            write_atomic(mark, "evalnb 项目目录（evalnb ingest --init）\n")
        if new or not args.files:
            store = args.db or settings.DB.get() or _relative(project_root() / OUTPUTS / STORE_FILE)
            print(f"已在 {project_root()} 新建项目：数据库 {mask_secrets(store)}")
    if not args.files:
        return 0
    for skip in result.skipped:
        print(f"说明：{printable(str(skip))}")
    if not result:
        log.error("evalnb ingest：没有导入任何工作簿（给出的文件都是 Excel/WPS 的锁定文件）：请给出工作簿本身")
        return 2
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
        _warn_missing_glyphs(sub.profile["department"], sub.profile["year"], args.db)
    return 0


def _warn_missing_glyphs(department: str, year: int, db: str | None) -> None:
    """A character no font has is a warning on the console (and a finding in the memo), never silent tofu."""
    from evalnb.review.glyph_checks import missing_glyphs  # lazy: keeps `evalnb` quick to start
    from evalnb.store import data  # lazy: keeps `evalnb` quick to start

    for finding in missing_glyphs(data.load(department, year, db, with_prior=False)):
        log.warning(printable(f"缺字（{finding.location}）：{finding.message}"))


def _budget_findings(department: str, year: int, db: str | None) -> list:
    """What the whole-budget checks find in a department-year just stored (`evalnb check` lists all)."""
    from evalnb.review import checks  # lazy: keeps `evalnb` quick to start
    from evalnb.review.budget_checks import BUDGET_CODES  # lazy: keeps `evalnb` quick to start
    from evalnb.store import data  # lazy: keeps `evalnb` quick to start

    found = checks.run_checks(data.load(department, year, db))
    return [f for f in found if set(f.codes) & set(BUDGET_CODES) and f.severity != checks.INFO]


def cmd_list(args: argparse.Namespace) -> int:
    from evalnb.rules.scoring import score  # lazy: keeps `evalnb` quick to start
    from evalnb.store import data  # lazy: keeps `evalnb` quick to start
    from evalnb.store import sql as store  # lazy: keeps `evalnb` quick to start

    engine = store.open_store(args.db)
    rows, failed = [], 0
    for dept, year in store.department_years(engine):
        try:
            card = score(data.load(dept, year, engine=engine, with_prior=False))
        except Exception as exc:      # noqa: BLE001  one department-year that cannot be scored is a row, not the end
            explained = explain(exc)
            log.error("%s %s 无法评分：%s（请修正工作簿后重新导入）", printable(dept), year,
                      explained[0] if explained else f"{type(exc).__name__}: {exc}")
            rows.append((dept, str(year), "—", "无法评分"))
            failed += 1
            continue
        rows.append((dept, str(year), f"{card.total:.2f}", card.grade))
    if not rows:
        print("库中还没有数据：先运行 evalnb ingest 工作簿.xlsx")
        return 0
    print(table(("部门", "年度", "得分", "等级"), rows))
    return 1 if failed else 0


def cmd_show(args: argparse.Namespace) -> int:
    from evalnb.store import data  # lazy: keeps `evalnb` quick to start
    from evalnb.text.fmt import percent, wan  # lazy: keeps `evalnb` quick to start

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
    from evalnb.rules import scoring  # lazy: keeps `evalnb` quick to start
    from evalnb.store import data  # lazy: keeps `evalnb` quick to start

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
    from evalnb.review import checks  # lazy: keeps `evalnb` quick to start
    from evalnb.store import data  # lazy: keeps `evalnb` quick to start

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
    from evalnb.deliver.publish import publish  # lazy: keeps `evalnb` quick to start

    forms = None
    if args.projects:
        from evalnb.deliver.projects import publish_with_projects  # lazy: keeps `evalnb` quick to start

        done, forms = publish_with_projects(args.dept, args.year, args.db, args.rules, formats=_formats(args),
                                            out_root=args.out, force=args.force, final=args.final, progress=log.info)
    else:
        done = publish(args.dept, args.year, args.db, args.rules, formats=_formats(args), out_root=args.out,
                       force=args.force, final=args.final, progress=log.info)
    if not done.current:
        _warn_missing_glyphs(args.dept, args.year, args.db)
    if done.current:
        print(f"报告：{_relative(done.html)}（数据、规则和程序均未变化，沿用上次生成的报告）")
    else:
        print(f"报告：{_relative(done.html)}（{done.html.stat().st_size / 1024:.0f} KB，用时 {done.seconds:.1f} 秒，"
              f"{done.sections} 节中 {done.reused} 节未变化、沿用）")
    print(f"复核意见：{_relative(done.memo)}")
    for kind, path in done.formats.items():
        said = f"{path.stat().st_size / 1024:.0f} KB" if path in done.written else "未变化"
        print(f"{formats.label(kind)}：{_relative(path)}（{said}）")
    if args.profile and done.current:
        print("（报告未重新生成，没有分阶段用时；要测量请加 --force）")
    elif args.profile:
        total = sum(seconds for _, seconds in done.phases) or 1
        print(table(("阶段", "用时（秒）", "占比"), [(name, f"{seconds:.2f}", f"{seconds / total:.0%}")
                                                  for name, seconds in done.phases]))
    _status(done.draft)
    if forms is not None:
        _projects(forms)
    return 0


def _projects(done: PublishedProjects) -> None:
    """What evalnb report --projects wrote: every project's 项目支出绩效自评表, the 汇总表, the forms' formats."""
    result = done.result
    print(f"项目支出绩效自评表：{_relative(result.folder)}（{len(result.forms)} 个项目，用时 {result.seconds:.1f} 秒"
          + ("，未变化、沿用" if result.reused else "") + "）")
    print(f"项目自评汇总表：{_relative(result.summary)}")
    for kind, paths in done.files.items():
        print(f"{formats.label(kind)}：{len(paths)} 个文件")
    if result.drafts:
        print(f"草稿：{len(result.drafts)} 个项目的自评表尚缺内容（见各表开头的说明）")


def _status(draft: list[str]) -> None:
    if draft:
        print(f"状态：草稿（{len(draft)} 项须处理后方能定稿，见复核意见）")
    else:
        print("状态：可定稿报送")


def cmd_notebook(args: argparse.Namespace) -> int:
    from evalnb.report.explore import write_copies  # lazy: keeps `evalnb` quick to start

    copies = write_copies(args.dept, args.year, args.db, args.rules, args.section, args.force,
                         progress=lambda notebook: log.info("运行 %s", notebook))
    for copy in copies:
        print(f"{_relative(copy.path)}" + ("" if copy.written else "（已有副本，未覆盖；--force 重新运行）"))
    folder = _relative(copies[0].path.parent)
    print(f"在 JupyterLab 中打开：jupyter lab {folder}（副本不进 git；提交的 notebooks/ 保持示例的默认值）")
    return 0


def cmd_draft(args: argparse.Namespace) -> int:
    from evalnb.review.draft import write_draft  # lazy: keeps `evalnb` quick to start

    drafted = write_draft(args.dept, args.year, args.out, args.source, args.db, args.force)
    print(f"已写出草拟稿：{drafted.path}（文字材料新增“存在问题”和“改进措施”各 {len(drafted.problems)} 段，来源为“草拟”）")
    for problem in drafted.problems:
        print(f"  - {problem.problem}")
    print("请在 Excel 中修改或删除草拟段落、清空其“来源”格，然后用 evalnb ingest 导入。")
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    from evalnb.report.render import render_review  # lazy: keeps `evalnb` quick to start

    memo = render_review(args.dept, args.year, args.db, args.rules, out_root=args.out, progress=log.info)
    print(f"复核意见：{_relative(memo)}")
    return 0


def _formats(args: argparse.Namespace) -> tuple[str, ...]:
    kinds = with_companions(tuple(kind for kind in extra() if getattr(args, kind.replace("-", "_"), False)))
    _warn_if_slow_pdf(kinds)
    return kinds


def _warn_if_slow_pdf(kinds: tuple[str, ...]) -> None:
    from evalnb.deliver import pdf  # lazy: keeps `evalnb` quick to start

    if "pdf" in kinds and not pdf.subsets_fonts_fast():
        log.warning(f"未找到 HarfBuzz 字体子集库（4.1 或更高版本），PDF 改用慢得多的方式嵌入字体（实测每份约慢 19 倍）："
                    f"请安装 {pdf.HARFBUZZ_SUBSET}（Debian/Ubuntu：apt install {pdf.HARFBUZZ_SUBSET}，或 make system-deps）")


def cmd_mail(args: argparse.Namespace) -> int:
    from evalnb.batch.params import recipients, sender  # lazy: keeps `evalnb` quick to start
    from evalnb.deliver import mail  # lazy: keeps `evalnb` quick to start
    from evalnb.deliver.formats import extra  # lazy: keeps `evalnb` quick to start
    from evalnb.deliver.publish import publish  # lazy: keeps `evalnb` quick to start

    given = {"--to": args.to or [], "--cc": args.cc or [], "--from": [args.sender] if args.sender else []}
    for option, addresses in given.items():
        checked(addresses, option)
    stored_to, stored_cc = recipients(args.dept, args.year)
    to, cc = args.to or stored_to, args.cc or stored_cc
    args.sender = args.sender or sender(args.dept, args.year)
    attach = tuple(dict.fromkeys(a.strip() for a in args.attach.split(",") if a.strip()))
    unknown = [a for a in attach if a not in REGISTRY]
    if unknown or not attach:
        raise UsageError(f"--attach 应为 {'、'.join(REGISTRY)} 中的一个或几个，用逗号分隔；收到：{args.attach}")
    # the one report sequence: a current report (and the asked files) is kept, a stale or missing one rendered
    _warn_if_slow_pdf(attach)
    done = publish(args.dept, args.year, args.db, args.rules, formats=tuple(k for k in attach if k in extra()),
                   out_root=args.out, progress=log.info)
    folder = done.html.parent
    if args.send:
        before = mail.deliver(args.dept, args.year, folder, args.db, to, cc, args.sender, attach, args.resend)
        if before is not None:
            print(f"未重发：同一份报告已于 {before:%Y-%m-%d %H:%M} 发给 {printable('、'.join(to + cc))}（--resend 可重发）")
        else:
            print(f"已发送：{printable(args.dept)} {args.year} → {printable('、'.join(to + cc))}")
        return 0
    msg = mail.build_message(args.dept, args.year, folder, args.db, to, cc, args.sender, attach)
    path = args.eml or folder / document_name(args.dept, args.year, suffix=".eml")
    kept = mail.write_eml(msg, path, force=args.force)
    if kept:
        print(f"上次的邮件文件已保留为：{_relative(kept)}（--force 则直接覆盖）")
    print(f"邮件文件：{_relative(path)}（{path.stat().st_size / 1024:.0f} KB，用邮件客户端打开即为待发送的草稿）")
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    from evalnb.report.render import render_summary  # lazy: keeps `evalnb` quick to start

    print(f"汇总：{_relative(render_summary(args.year, args.db, args.rules, args.out))}")
    return 0


def cmd_rules_list(args: argparse.Namespace) -> int:
    import warnings

    from evalnb.rules import ALIASES, available, load_rulebook  # lazy: keeps `evalnb` quick to start

    rows = []
    for name in available():
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                book = load_rulebook(name)
        except RulebookError as exc:      # one broken file in EVALNB_RULES_DIR does not hide the others
            rows.append((name, f"（无效：{str(exc).splitlines()[0]}；evalnb rules check 可查看全部问题）", "", "", ""))
            continue
        rows.append((name, book.title, book.region, book.document or book.spec.source, str(_relative(book.path))))
    print(table(("名称", "标题", "地区", "依据", "文件"), rows))
    print("旧名称（仍可用，今后将不再支持）：" + "、".join(f"{old} → {new}" for old, new in ALIASES.items()))
    return 0


def cmd_rules_show(args: argparse.Namespace) -> int:
    from evalnb.rules import load_rulebook  # lazy: keeps `evalnb` quick to start
    from evalnb.rules.show import describe  # lazy: keeps `evalnb` quick to start

    print("\n".join(describe(load_rulebook(args.name))))
    return 0


def cmd_rules_check(args: argparse.Namespace) -> int:
    from evalnb.rules import load_rulebook  # lazy: keeps `evalnb` quick to start
    from evalnb.rules.exact import num  # lazy: keeps `evalnb` quick to start
    from evalnb.rules.tree import walk  # lazy: keeps `evalnb` quick to start

    book = load_rulebook(str(args.file.resolve()))
    nodes = sum(1 for _ in walk(book.spec.tree))
    print(f"{_relative(args.file.resolve())}：评分规则“{book.title}”有效，共 {nodes} 个指标节点，总分 {num(book.spec.total)}")
    return 0


def cmd_rules_schema(args: argparse.Namespace) -> int:
    from evalnb.rules.model import Rulebook  # lazy: keeps `evalnb` quick to start

    print(json.dumps(Rulebook.model_json_schema(), ensure_ascii=False, indent=2))
    return 0


def cmd_params(args: argparse.Namespace) -> int:
    from evalnb.batch.params import write_params  # lazy: keeps `evalnb` quick to start

    for path in write_params(args.db):
        print(_relative(path))
    return 0


def cmd_batch(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from evalnb.batch.run import jobs_from_params, jobs_from_store, run_batch  # lazy: keeps `evalnb` quick to start

    _use_templates(args)
    if args.workers is not None and args.workers < 1:
        raise UsageError(f"--workers 应为不小于 1 的整数，收到 {args.workers}")
    if args.params:
        jobs = jobs_from_params(args.params, args.db, args.force)
    else:
        jobs = jobs_from_store(args.db, args.year or (), args.dept or (), args.rules, args.force)
    kinds = _formats(args)
    jobs = [replace(job, formats=kinds, projects=args.projects) for job in jobs]
    if not jobs:
        log.error("evalnb batch：没有符合条件的部门年度")
        return 3
    with tqdm(total=len(jobs), desc="生成报告", file=sys.stderr, bar_format=PROGRESS_FORMAT,
              disable=args.quiet) as bar:
        def on_result(r) -> None:
            bar.set_postfix_str(f"{printable(r.department)} {r.year} {STATUS[r.status]}")
            bar.update()
            log.debug("%s %s %s %.1fs %s", r.department, r.year, r.status, r.seconds, r.error or "")

        def on_step(step: str) -> None:          # a worker writes a PDF, Word or Excel file ("[PDF] <file>")
            with bar.external_write_mode():
                log.info("%s", printable(step))
        results = run_batch(jobs, args.workers, args.scheduler, on_result=on_result, on_step=on_step)
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

    from evalnb.deliver import mail  # lazy: keeps `evalnb` quick to start

    failed = [r for r in results if r.status == "failed"]
    msg = EmailMessage()
    msg["Subject"] = f"evalnb 批量生成：{len(failed)} 份失败（共 {len(results)} 份）"
    msg["To"] = operator
    try:
        msg["From"] = mail.sender_of()
    except EvalnbError as exc:
        log.error("失败清单未能发出：%s", exc)
        return
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
    from evalnb.batch.params import recipients, sender  # lazy: keeps `evalnb` quick to start
    from evalnb.deliver import mail  # lazy: keeps `evalnb` quick to start

    counts = {"sent": 0, "unchanged": 0, "no-recipients": 0, "failed": 0}
    for r in (r for r in results if r.status == "ok"):
        to, cc = recipients(r.department, r.year)
        if not to:
            counts["no-recipients"] += 1
            log.warning("未发送 %s %s：params 中没有 mail_to", printable(r.department), r.year)
            continue
        log.info("[邮件] %s %s → %s", printable(r.department), r.year, printable("、".join(to + cc)))
        try:
            before = mail.deliver(r.department, r.year, Path(r.report).parent, args.db, to, cc,
                                  sender(r.department, r.year), resend=args.resend)
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

    try:
        return str(path.resolve().relative_to(project_root()))
    except ValueError:
        return str(path)
