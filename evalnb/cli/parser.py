"""The ``evalnb`` command line: options, subcommands and their Chinese help (argparse with Chinese headings
and messages). Every subcommand has ``--help``; the formats' options come from the format registry."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path

import evalnb
from evalnb import settings
from evalnb.cli import formats
from evalnb.cli.commands import (
    cmd_batch,
    cmd_check,
    cmd_draft,
    cmd_ingest,
    cmd_list,
    cmd_mail,
    cmd_notebook,
    cmd_params,
    cmd_report,
    cmd_review,
    cmd_rules_check,
    cmd_rules_list,
    cmd_rules_schema,
    cmd_rules_show,
    cmd_score,
    cmd_show,
    cmd_summary,
    cmd_template,
)
from evalnb.console import EXIT_INPUT, closest, width
from evalnb.deliver.formats import extra

# argparse's own messages, as it phrases them (Python 3.11-3.13), and how a Chinese user reads them.
ARGPARSE_MESSAGES = [
    (r"the following arguments are required: (.*)", r"缺少必填参数：\1"),
    (r"unrecognized arguments: (.*)", r"无法识别的参数：\1"),
    (r"argument (\S+): invalid int value: (.*)", r"参数 \1：\2 不是整数"),
    (r"argument (\S+): invalid choice: (.*?) \(choose from (.*?)\)(；.*)?", r"参数 \1：无效的选项 \2（可选：\3）\4"),
    (r"argument (\S+): expected one argument", r"参数 \1：需要一个值"),
    (r"argument (\S+): expected at least one argument", r"参数 \1：至少需要一个值"),
    (r"argument (\S+): not allowed with argument (\S+)", r"参数 \1 不能与 \2 同时使用"),
    (r"argument (\S+): ignored explicit argument (.*)", r"参数 \1 不带值，却给了 \2"),
    (r"ambiguous option: (\S+) could match (.*)", r"选项 \1 不明确，可能是：\2"),
    (r"one of the arguments (.*) is required", r"须给出其中一个参数：\1"),
    (r"argument (\S+): (.*)", r"参数 \1：\2"),
]


class ChineseHelpFormatter(argparse.RawDescriptionHelpFormatter):
    """argparse's help with Chinese in it laid out by display width (a CJK character takes two columns): option
    columns line up, help wraps at the terminal's width without splitting an option or a file name, headings end
    in "：", and the subcommands are listed under their heading once."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix if prefix is not None else "用法：")

    def add_argument(self, action):
        if action.help is not argparse.SUPPRESS:
            invocations = [self._format_action_invocation(action)]
            invocations += [self._format_action_invocation(a) for a in self._iter_indented_subactions(action)]
            indent = self._current_indent + (self._indent_increment if _is_commands(action) else 0)
            self._action_max_length = max(self._action_max_length, max(map(width, invocations)) + indent)
            self._add_item(self._format_action, [action])

    def _format_action(self, action):
        if _is_commands(action):                 # no line of its own: the heading already says 命令
            return self._join_parts([self._format_action(sub) for sub in action._get_subactions()])
        help_position = min(self._action_max_length + 2, self._max_help_position)
        help_width = max(self._width - help_position, 11)
        action_width = help_position - self._current_indent - 2
        header = self._format_action_invocation(action)
        indent = " " * self._current_indent
        lines = self._split_lines(self._expand_help(action), help_width) if action.help else []
        if not lines:
            return f"{indent}{header}\n"
        if width(header) <= action_width:
            first = f"{indent}{header}{' ' * (action_width - width(header))}  {lines[0]}\n"
        else:
            first = f"{indent}{header}\n{' ' * help_position}{lines[0]}\n"
        return first + "".join(f"{' ' * help_position}{line}\n" for line in lines[1:])

    def _split_lines(self, text, width_):
        """Greedy wrapping by display width: a line breaks at a space or between two CJK characters (not before a
        closing mark nor after an opening one), never inside an option, a path or a URL."""
        lines, line = [], ""
        for piece in _pieces(text):
            if line and width(line + piece) > width_ and not piece.isspace():
                lines.append(line.rstrip())
                line = ""
            if not (piece.isspace() and not line):
                line += piece
        return [*lines, line.rstrip()] if line.strip() else lines

    def format_help(self):
        return re.sub(r"^(\S[^\n]*?):$", r"\1：", super().format_help(), flags=re.M)


CLOSING, OPENING = "，。、；：！？）》」』】”’", "（《「『【“‘"


def _pieces(text: str) -> list[str]:
    """The unbreakable pieces of a help text, spaces kept as pieces: words with a path, an option or a file name
    (they hold ``/``, start with ``-`` or ``.``) whole, others cut between CJK characters where a line may break."""
    pieces = []
    words = [w for part in re.split(r"(\s+)", " ".join(text.split()))
             for w in re.split(r"(?<=[：，；、。）])|(?=[（“])", part)]
    for word in words:
        if word.isspace() or "/" in word or word.startswith(("-", ".")):
            pieces.append(word)
            continue
        piece = ""
        for ch in word:
            if piece and width(piece[-1]) == 2 and width(ch) == 2 and ch not in CLOSING and piece[-1] not in OPENING:
                pieces.append(piece)
                piece = ""
            piece += ch
        pieces.append(piece)
    return [p for p in pieces if p]


def _is_commands(action: argparse.Action) -> bool:
    return isinstance(action, argparse._SubParsersAction)


class Parser(argparse.ArgumentParser):
    """argparse with Chinese headings and messages; errors exit 2 as argparse does."""
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def error(self, message: str):
        if (typo := re.fullmatch(r"argument \S+: invalid choice: '([^']*)' \(choose from (.*)\)", message)):
            choices = re.findall(r"'([^']*)'", typo.group(2))
            if found := closest(typo.group(1), choices):
                message += f"；是不是要输入：{'、'.join(found)}？"
        for pattern, replacement in ARGPARSE_MESSAGES:
            if re.fullmatch(pattern, message):
                message = re.sub(pattern, replacement, message)
                break
        self.print_usage(sys.stderr)
        self.exit(EXIT_INPUT, f"{self.prog}：错误：{message}\n")

Handler = Callable[[argparse.Namespace], int]


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="地址", help=f"数据库地址（SQLAlchemy URL），默认取环境变量 {settings.DB.name}，"
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
    parser.add_argument("--dept", required=True, metavar="部门",
                        help="部门名称，与工作簿“基本信息”中的部门名称一致，如 科学技术局")
    parser.add_argument("--year", required=True, type=_year, metavar="年度", help="年度，如 2024")
    _db_option(parser)


def _force_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--force", action="store_true", help="全部章节重新运行，不沿用未变化的章节")


def _rules_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rules", metavar="规则", help="评分规则名称或 .yaml 文件路径（默认：工作簿中填写的评分规则）")


def _templates_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--templates", type=Path, metavar="目录",
                        help=f"措辞模板目录：其中的 s1.j2 … 等文件替换同名的内置章节措辞"
                             f"（也可用环境变量 {settings.TEMPLATES.name}）")


def _format_options(parser: argparse.ArgumentParser) -> None:

    for kind in extra():
        parser.add_argument(f"--{kind}", action="store_true", help=formats.option_help(kind))


def _common_options(parser: argparse.ArgumentParser, top: bool) -> None:
    """-v/-q/--log/--debug, accepted before or after the subcommand."""
    default = {} if top else {"default": argparse.SUPPRESS}
    parser.add_argument("-v", "--verbose", action="count", help="显示更多过程信息", **({"default": 0} if top else default))
    parser.add_argument("-q", "--quiet", action="store_true", help="只显示警告和错误（不显示进度）", **default)
    parser.add_argument("--log", metavar="文件", help="把全部过程信息（含时间）追加写入此日志文件，便于无人值守的批量运行",
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
    p.add_argument("out", type=Path, metavar="文件", help="要写入的 .xlsx 文件")
    p.add_argument("--force", action="store_true", help="文件已存在时覆盖")
    p.add_argument("--rules", metavar="规则", help="按此评分规则预填：基本信息中的评分规则，绩效指标中规则列出的指标"
                                   "（一级/二级/三级、指标性质、分值）")

    p = command("ingest", "校验工作簿并导入数据库（全部通过才导入，否则一个也不导入）", cmd_ingest)
    p.add_argument("files", nargs="*", type=Path, metavar="工作簿", help="部门年度工作簿（.xlsx），可多个")
    p.add_argument("--init", action="store_true",
                   help=f"在此新建项目（数据库 outputs/evalnb.sqlite）：当前目录（或 {settings.HOME.name} 指定的目录）"
                        "还不是 evalnb 项目时须加此选项")
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
    p.add_argument("--out", type=Path, metavar="目录", help="输出目录（默认 outputs/）")
    _force_option(p)
    _templates_option(p)
    p.add_argument("--profile", action="store_true", help="列出本次生成各阶段的用时（读取数据、启动内核、各章节、拼接、写出）")
    p.add_argument("--final", action="store_true", help="定稿：报告仍为草稿（有错误级别的复核发现或必填文字未填）时不写出，"
                                                        "并列出须处理的事项")
    _projects_option(p)
    _format_options(p)

    p = command("review", "生成复核意见：outputs/<部门>/<年度>/复核意见.html（得分复核、复核发现、数据反映的问题、草稿原因）",
                cmd_review)
    _dept_year(p)
    _rules_option(p)
    p.add_argument("--out", type=Path, metavar="目录", help="输出目录（默认 outputs/）")

    p = command("mail", "把已生成的报告做成邮件：正文为摘要和图表，附报告文件；写出 .eml，或经 SMTP 发送", cmd_mail)
    _dept_year(p)
    p.add_argument("--to", action="append", metavar="地址", help="收件人，可重复；默认取 params/<部门>_<年度>.yaml 的 mail_to")
    p.add_argument("--cc", action="append", metavar="地址", help="抄送，可重复；默认取 mail_cc")
    p.add_argument("--from", dest="sender", metavar="地址",
                   help=f"发件人；默认取 params 的 mail_from、环境变量 {settings.MAIL_FROM.name} 或 SMTP 用户名"
                        "（须为邮件地址），都没有则报错")
    p.add_argument("--attach", default="html", metavar="附件",
                   help="附件：html（报告）、memo（复核意见）、pdf、docx、xlsx（自评表）、"
                                                    "memo-xlsx（复核意见，Excel）（须先用 evalnb report --pdf 等生成），"
                                                    "逗号分隔，默认 html")
    p.add_argument("--out", type=Path, metavar="目录", help="报告所在的输出目录（默认 outputs/）")
    how = p.add_mutually_exclusive_group()
    how.add_argument("--send", action="store_true", help=f"经 {settings.SMTP_URL.name} 指定的服务器发送"
                                                               f"（密码取 {settings.SMTP_PASSWORD.name}）")
    how.add_argument("--eml", type=Path, metavar="文件", help="写出 .eml 邮件文件（默认：报告目录下以报告命名的 .eml）")
    p.add_argument("--resend", action="store_true", help="同一份报告已发给同样的收件人时也再发一次（默认不重发）")
    p.add_argument("--force", action="store_true", help="覆盖同名的 .eml（默认把上次的文件按日期改名保留）")

    p = command("draft", "草拟“存在问题”和“改进措施”：写出工作簿副本，文字材料中新增由数据得出的段落（来源为“草拟”）",
                cmd_draft)
    _dept_year(p)
    p.add_argument("--out", type=Path, required=True, metavar="文件", help="要写出的工作簿副本（.xlsx）")
    p.add_argument("--from", dest="source", type=Path, metavar="工作簿",
                   help="导入时所用的工作簿（默认：导入时记录的路径，在任何目录下运行均可）；须与库中数据是同一份")
    p.add_argument("--force", action="store_true", help="--out 文件已存在时覆盖")

    p = command("summary", "生成某年度各部门汇总：outputs/summary/<年度>.html", cmd_summary)
    p.add_argument("--year", required=True, type=_year, metavar="年度", help="年度，如 2024")
    p.add_argument("--out", type=Path, metavar="目录", help="输出目录（默认 outputs/）")
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
            r.add_argument("name", metavar="规则", help="规则名称（如 national-2020）或 .yaml 文件路径")
        elif name == "check":
            r.add_argument("file", type=Path, metavar="文件", help="评分规则 .yaml 文件")

    p = command("notebook", "写出一个部门年度的章节 notebook 副本（已运行、参数已填）：work/<部门>/<年度>/，"
                            "用 JupyterLab 打开", cmd_notebook)
    _dept_year(p)
    _rules_option(p)
    p.add_argument("--section", action="append", metavar="章节",
                   help="只写出此章节（可重复）：s1…s6、appendix，或序号 1–7，或文件名如 01_basic_info；默认全部")
    p.add_argument("--force", action="store_true", help="副本已存在时重新运行并覆盖（默认保留已有副本及其中的修改）")

    p = command("params", "为库中每个部门年度写出 params/<部门>_<年度>.yaml（已有的文件保留不动）", cmd_params)
    _db_option(p)

    p = command("batch", "并行生成多个部门年度的报告（全部，或按条件筛选）", cmd_batch)
    p.add_argument("--year", type=_year, action="append", metavar="年度", help="只生成此年度（可重复）")
    p.add_argument("--dept", action="append", metavar="部门", help="只生成此部门（可重复）")
    p.add_argument("--params", type=Path, nargs="+", metavar="文件", help="按这些 params/*.yaml 文件生成，而不是库中的全部")
    p.add_argument("--workers", type=int, metavar="个数", help="并行进程数（默认：CPU 核数）")
    p.add_argument("--scheduler", metavar="地址", help="dask.distributed 调度器地址；local 表示在本机启动 LocalCluster")
    p.add_argument("--mail", action="store_true", help="生成后把每份成功的报告发给 params 中 mail_to/mail_cc 的收件人"
                                                       "（未变化的报告不重发）")
    p.add_argument("--resend", action="store_true", help="与 --mail 同用：未变化的报告也重发")
    p.add_argument("--mail-failures", metavar="地址", help=f"有失败时，把结果表和失败原因发到此地址"
                                                                f"（经 {settings.SMTP_URL.name}）")
    _projects_option(p)
    _format_options(p)
    _templates_option(p)
    _force_option(p)
    _rules_option(p)
    _db_option(p)
    return parser


def _projects_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--projects", action="store_true",
                   help="同时生成每个项目的项目支出绩效自评表和项目自评汇总表：outputs/<部门>/<年度>/项目自评表/"
                        "（每个部门年度运行一次；--pdf、--docx、--xlsx 也用于这些表；Excel 为一个工作簿、每个项目一个工作表）")
