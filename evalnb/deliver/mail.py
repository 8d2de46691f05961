"""Mail a rendered report: one MIME message that mail clients show well, written to a file or sent by SMTP.

The message (:func:`build_message`) has a plain-text part and an HTML summary (table layout, inline
styles only, charts as ``cid:`` images in ``multipart/related``; wording in
``evalnb/templates/mail/``), and the report (and on request the review memo) attached under its name
for people. Subject and file names are Chinese: the standard library's ``email`` encodes them (RFC 2047
headers, RFC 2231 file names). The charts are the ``image/png`` outputs of the executed section
notebooks, so the mail shows exactly what the report shows.

SMTP settings come from ``EVALNB_SMTP_URL`` (``smtp://user@host:25``, ``smtp+starttls://user@host:587``,
``smtps://user@host:465``) and the password from ``EVALNB_SMTP_PASSWORD`` or the system keyring (service
``evalnb-smtp``, user ``user@host``); neither is written anywhere.
"""

from __future__ import annotations

import hashlib
import json
import re
import smtplib
import ssl
import time
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.header import Header
from email.message import EmailMessage
from email.utils import encode_rfc2231, formatdate, getaddresses, make_msgid
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from evalnb import settings
from evalnb.deliver.addresses import SENDER_GIVEN, SENDER_LOGIN, bare, checked
from evalnb.deliver.formats import REGISTRY, path_of
from evalnb.errors import MailError, MailUncertainError, NotFoundError
from evalnb.paths import SECTIONS_DIR, TEMPLATES, write_atomic
from evalnb.review.context import ReportContext, load_context
from evalnb.review.memo import draft_reasons
from evalnb.sections.outline import SECTIONS
from evalnb.store import sql as store
from evalnb.text.fmt import percent, plain, wan
from evalnb.text.prose import say

SMTP_URL, SMTP_PASSWORD, MAIL_FROM = settings.SMTP_URL.name, settings.SMTP_PASSWORD.name, settings.MAIL_FROM.name
MAIL_TEMPLATES = TEMPLATES / "mail"
SMTP_TIMEOUT = 30
# Worth another try: the server went away or could not be reached (not: refused a recipient, refused a login).
TRANSIENT = (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, ConnectionError, TimeoutError)


@dataclass(frozen=True)
class ChartImage:
    png: bytes
    alt: str
    caption: str
    cid: str


def report_charts(folder: Path) -> list[ChartImage]:
    """The charts of a rendered report: the ``image/png`` outputs of its executed section notebooks."""
    import base64

    charts = []
    for section in SECTIONS:
        path = folder / SECTIONS_DIR / section.notebook
        if not path.exists():
            continue
        for cell in json.loads(path.read_text(encoding="utf-8")).get("cells", []):
            for output in cell.get("outputs", []):
                png = output.get("data", {}).get("image/png")
                if png:
                    meta = output.get("metadata", {}).get("image/png", {})
                    charts.append(ChartImage(base64.b64decode("".join(png)), meta.get("alt", ""),
                                             meta.get("caption", ""), make_msgid(domain="evalnb")[1:-1]))
    return charts


@cache
def _templates() -> Environment:
    return Environment(loader=FileSystemLoader(str(MAIL_TEMPLATES)), undefined=StrictUndefined,
                       autoescape=select_autoescape(["html.j2"]), trim_blocks=True, lstrip_blocks=True)


def subject(ctx: ReportContext) -> str:
    """科学技术局2024年度整体支出绩效自评报告（总分 99.87，优）; a draft says so first."""
    card = ctx.card
    head = "【草稿】" if draft_reasons(ctx) else ""
    return f"{head}{ctx.dy.department}{ctx.dy.year}年度整体支出绩效自评报告（总分 {plain(card.total)}，{card.grade}）"


def _summary(ctx: ReportContext, charts: list[ChartImage], attachments: list[str]) -> dict:
    card, dy = ctx.card, ctx.dy
    subtotals = [(name, s["score"], s["weight"]) for name, s in card.subtotals.items()]
    scores = [(name, plain(weight), plain(score)) for name, weight, score in card.parts()]
    scores.append(("总分", plain(card.max_points), plain(card.total)))
    return {
        "subject": subject(ctx), "department": dy.department, "year": dy.year, "attachment": dy.attachment,
        "draft_reasons": draft_reasons(ctx), "charts": charts, "attachments": attachments, "scores": scores,
        "conclusion": say("s4", "conclusion", card.rules_title, card.execution_rate, card.execution_score,
                          card.execution_weight, subtotals, card.total, card.grade, card.notes,
               card.execution_name),
        "figures": [("总分", f"{plain(card.total)}分"), ("评价等级", card.grade),
                    ("全年预算数", wan(card.budget)), ("全年执行数", wan(card.executed)),
                    ("预算执行率", percent(card.execution_rate))],
    }


def build_message(department: str, year: int, folder: Path, db: str | None = None, to: list[str] = (),
                  cc: list[str] = (), sender: str | None = None, attach: tuple[str, ...] = ("html",)) -> EmailMessage:
    """The mail of one rendered report (``folder``: its ``outputs/<部门>/<年度>``)."""
    ctx = load_context(department, year, db)
    files = [path_of(folder, ctx.dy.department, ctx.dy.year, kind) for kind in attach]
    for kind, path in zip(attach, files, strict=True):
        if not path.exists():
            option = "" if kind in ("html", "memo") else f" --{kind}"
            raise NotFoundError(f"找不到 {path}：请先运行 evalnb report --dept {department} --year {year}{option}")
    charts = report_charts(folder)
    values = _summary(ctx, charts, [f.name for f in files])
    msg = EmailMessage(policy=MAIL_POLICY)
    msg["Subject"] = " ".join(values["subject"].split())     # a header is one line, whatever the names hold
    to, cc = checked(to, "收件人"), checked(cc, "抄送")
    msg["From"] = sender_of(sender)
    if to:
        msg["To"] = ", ".join(to)
    if cc:
        msg["Cc"] = ", ".join(cc)
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain="evalnb")
    msg.set_content(_templates().get_template("summary.txt.j2").render(values))
    msg.add_alternative(_templates().get_template("summary.html.j2").render(values), subtype="html")
    body = msg.get_payload()[1]
    for chart in charts:
        body.add_related(chart.png, "image", "png", cid=f"<{chart.cid}>", filename=f"{chart.caption}.png",
                         disposition="inline")
    for kind, path in zip(attach, files, strict=True):
        maintype, subtype = REGISTRY[kind].mime.split("/")
        msg.add_attachment(path.read_bytes(), maintype, subtype, filename=path.name)
    for part in msg.walk():
        if part.get_filename():
            name_both_ways(part)
    return msg


# Headers evalnb folds itself (name_both_ways) are written as folded, not refolded into one RFC 2231 form.
MAIL_POLICY = policy.default.clone(refold_source="none")


def name_both_ways(part: EmailMessage) -> None:
    """A part's file name in both forms clients read: RFC 2047 words in ``name=`` / ``filename=`` (older Outlook
    and webmails, which otherwise show ATT00001 or 未命名) and RFC 2231 continuations (``filename*0*=``, what
    RFC 6266 readers prefer)."""
    name = part.get_filename()
    for header, param, head in (("Content-Type", "name", part.get_content_type()),
                                ("Content-Disposition", "filename", part.get_content_disposition())):
        del part[header]
        legacy = f'{param}="' + "\r\n ".join(Header(name, "utf-8", maxlinelen=66).encode().split("\n ")) + '"'
        part.set_raw(header, ";\r\n ".join([head, legacy, *_continuations(param, name)]))


def _continuations(param: str, name: str, width: int = 56) -> list[str]:
    """``param*0*=utf-8''%E7…; param*1*=…`` (RFC 2231), each line within mail's 78 characters."""
    octets = re.findall(r"%[0-9A-F]{2}|.", encode_rfc2231(name, "utf-8").split("''", 1)[1])
    pieces = [""]
    for octet in octets:
        if len(pieces[-1]) + len(octet) > width:
            pieces.append("")
        pieces[-1] += octet
    return [f"{param}*{i}*=" + ("utf-8''" if i == 0 else "") + piece for i, piece in enumerate(pieces)]


SEND_ATTEMPTS, BACKOFF = 3, 2.0       # seconds before the 2nd attempt; doubled for the 3rd


def deliver(department: str, year: int, folder: Path, db: str | None, to: list[str], cc: list[str] = (),
            sender: str | None = None, attach: tuple[str, ...] = ("html",), resend: bool = False) -> datetime | None:
    """Send a report's mail exactly once per recipient: to those who do not have this very report yet (by the
    sha256 of what is attached; all of them with ``resend``). Returns when it was sent before if nobody needed
    it (nothing sent), else None.

    Every recipient the server accepts is logged before a refused one is reported; a failure before the
    message was handed over (no connection, a dropped link) is retried with back-off; a link dropped after the
    message was handed over is not retried (it may have arrived): its recipients are logged as uncertain, so
    a re-run does not send again unless asked (``--resend``)."""
    to, cc = checked(to, "收件人"), checked(cc, "抄送")
    if not to:
        raise MailError(f"{department} {year} 没有收件人：用 --to 指定，或在 params/<部门>_<年度>.yaml 中填写 mail_to")
    msg = build_message(department, year, folder, db, to, cc, sender, attach)
    digest = hashlib.sha256()
    for part in msg.iter_attachments():
        digest.update(part.get_payload(decode=True))
    engine = store.open_store(db)
    had = {} if resend else store.mailed(engine, department, year, digest.hexdigest())
    everyone = list(dict.fromkeys(bare(a).lower() for a in [*to, *cc]))
    pending = [a for a in everyone if a not in had]
    if not pending:
        return max(had[a][0] for a in everyone)
    subject = str(msg["Subject"])
    for attempt in range(1, SEND_ATTEMPTS + 1):
        try:
            sent = send(msg, pending)
            break
        except MailError as exc:
            if isinstance(exc, MailUncertainError):
                store.log_mail(engine, department, year, digest.hexdigest(), pending, subject, "uncertain")
                raise
            if attempt == SEND_ATTEMPTS or not isinstance(exc.__cause__, TRANSIENT):
                raise
            time.sleep(BACKOFF * 2 ** (attempt - 1))
    store.log_mail(engine, department, year, digest.hexdigest(), sent.accepted, subject)
    if sent.refused:
        raise MailError(f"邮件已发给 {'、'.join(sent.accepted)}，但以下收件人被拒收：{'、'.join(sent.refused)}")
    return None


def write_eml(msg: EmailMessage, path: Path, force: bool = False) -> Path | None:
    """The message as a .eml file, for a person to open and send from their own mail client: marked
    ``X-Unsent: 1`` so that Outlook opens it as a draft to send, not as a received message. An earlier file
    of that name is kept under its own date (``…_20250310-093000.eml``) unless ``force``; returns where it
    was kept (None if there was none, or it was replaced)."""
    if "X-Unsent" not in msg:
        msg["X-Unsent"] = "1"
    kept = None
    if path.exists() and not force:
        stamp = datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y%m%d-%H%M%S")
        kept = path.with_name(f"{path.stem}_{stamp}{path.suffix}")
        path.replace(kept)
    write_atomic(path, bytes(msg))
    return kept


def sender_of(given: str | None = None) -> str:
    """The From address: the one given (``--from``, or ``mail_from`` of the params), else
    ``EVALNB_MAIL_FROM``, else the SMTP login when it is an address. A real relay refuses a made-up sender,
    so none of them is a MailError that names the three places to set one."""
    chosen = given or settings.MAIL_FROM.get()
    if chosen:
        return checked([chosen], SENDER_GIVEN)[0]
    login = _smtp_user()
    if login and "@" in login:
        return checked([login], SENDER_LOGIN)[0]
    raise MailError(f"没有发件人：请用 --from 指定，或在 params/<部门>_<年度>.yaml 中填写 mail_from，"
                    f"或设置环境变量 {settings.MAIL_FROM.name}（如 finance@example.gov.cn）")


def _smtp_user() -> str | None:
    url = settings.SMTP_URL.get()
    return unquote(urlsplit(url).username) if url and urlsplit(url).username else None


KEYRING_SERVICE = "evalnb-smtp"
LOOPBACK = ("127.0.0.1", "::1", "localhost")      # a relay on this machine: plain SMTP login stays local


def _keyring_password(host: str, user: str | None) -> str | None:
    """The password kept in the system keyring (``keyring set evalnb-smtp user@host``), if the optional
    ``keyring`` package is installed (``pip install evalnb[keyring]``) and holds one."""
    if not user:
        return None
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, f"{unquote(user)}@{host}")
    except KeyringError:
        return None


@dataclass(frozen=True)
class Sent:
    accepted: list[str]
    refused: dict[str, str]        # address → the server's reply


class _HandedOver:
    """An SMTP connection that notes when the message's final "." has been written: a failure after that may
    mean the mail arrived, so it is not sent again."""

    handed_over = False

    def send(self, s):             # smtplib writes the whole message, then ".", in one send() call
        super().send(s)
        if isinstance(s, bytes) and s.endswith(b"\r\n.\r\n"):
            self.handed_over = True


class _SMTP(_HandedOver, smtplib.SMTP):
    pass


class _SMTPS(_HandedOver, smtplib.SMTP_SSL):
    pass


def send(msg: EmailMessage, recipients: list[str] | None = None) -> Sent:
    """Send through the server named by ``EVALNB_SMTP_URL`` to ``recipients`` (default: the message's To and
    Cc): which the server accepted and refused. Nothing accepted, a login refused or a server that cannot be
    reached is a :class:`MailError` naming the server (never the password); one whose link dropped after the
    message was handed over is a :class:`MailUncertainError`."""
    url = settings.SMTP_URL.get()
    if not url:
        raise MailError(f"未配置发信服务器：请设置环境变量 {SMTP_URL}（如 smtp+starttls://user@mail.example.gov.cn:587，"
                        f"密码放在 {SMTP_PASSWORD}），或改用 --eml 写出邮件文件")
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps", "smtp+starttls") or not parts.hostname:
        raise MailError(f"{SMTP_URL} 应为 smtp://、smtp+starttls:// 或 smtps:// 开头的地址，如 smtp://mail.example.gov.cn:25")
    where = f"{parts.hostname}:{parts.port or ''}".rstrip(":")
    password = settings.SMTP_PASSWORD.get() or _keyring_password(parts.hostname, parts.username)
    if password and parts.scheme == "smtp" and parts.hostname not in LOOPBACK:
        raise MailError(f"不会经未加密的连接把密码发给 {where}：请把 {SMTP_URL} 改为 smtp+starttls:// 或 smtps:// 开头")
    recipients = recipients or [a for _, a in getaddresses([*msg.get_all("To", []), *msg.get_all("Cc", [])]) if a]
    server = None
    try:
        server = (_SMTPS(parts.hostname, parts.port or 465, timeout=SMTP_TIMEOUT, context=ssl.create_default_context())
                  if parts.scheme == "smtps" else _SMTP(parts.hostname, parts.port or 25, timeout=SMTP_TIMEOUT))
        with server:
            if parts.scheme == "smtp+starttls":
                server.starttls(context=ssl.create_default_context())
            if parts.username and password:
                server.login(unquote(parts.username), password)
            refused = server.send_message(msg, to_addrs=recipients)
    except smtplib.SMTPRecipientsRefused as exc:
        raise MailError(f"发信服务器 {where} 拒收全部收件人：{'、'.join(exc.recipients)}") from exc
    except smtplib.SMTPAuthenticationError as exc:
        raise MailError(f"发信服务器 {where} 拒绝登录：请检查 {SMTP_URL} 中的用户名和 {SMTP_PASSWORD}") from exc
    except (smtplib.SMTPException, OSError) as exc:
        if server is not None and server.handed_over:
            raise MailUncertainError(f"发信服务器 {where} 在收下邮件后断开了连接（{exc.__class__.__name__}）：邮件可能已送达"
                                     f" {'、'.join(recipients)}，已记录，重新运行不会重发；确认未收到时加 --resend 重发"
                                     ) from exc
        raise MailError(f"无法通过 {where} 发信：{exc.__class__.__name__}（{exc}）；请检查 {SMTP_URL}，"
                        f"或改用 --eml 写出邮件文件") from exc
    return Sent([a for a in recipients if a not in refused], {a: str(r) for a, r in refused.items()})
