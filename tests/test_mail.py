"""Mailing a report with real parts: the message is written as .eml and sent to an SMTP server on loopback
(aiosmtpd), parsed back with the standard library, and its HTML body is shown by headless Chromium with
every style removed."""

from __future__ import annotations

import base64
import email
import re
import shutil
import socket
from email import policy
from email.header import decode_header, make_header
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from bs4 import BeautifulSoup

from evalnb.rules.scoring import score
from evalnb.store import data
from tests.helpers import evalnb

NAME = "科学技术局_2024年度整体支出绩效自评报告"
GMAIL_CLIP = 102 * 1024


class Inbox:
    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802  (aiosmtpd's hook name)
        self.envelopes.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    with socket.socket() as probe:                  # a free port (the controller checks it can connect)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, f"smtp://127.0.0.1:{port}"
    controller.stop()


SENDER = "finance@example.gov.cn"


def with_sender(env: dict, **more: str) -> dict:
    """A project's environment with a sender set (a mail needs one) and the given settings."""
    return {**env, "EVALNB_MAIL_FROM": SENDER, **more}

def parse(raw: bytes) -> EmailMessage:
    return email.message_from_bytes(raw, policy=policy.default)


def check_message(msg: EmailMessage, project: dict) -> str:
    """Headers, parts, CIDs, sizes and names of a report mail; returns its HTML body."""
    card = score(data.load("科学技术局", 2024, project["db"]))
    assert msg["Subject"] == f"【草稿】科学技术局2024年度整体支出绩效自评报告（总分 {card.total:g}，{card.grade}）"
    assert msg.get_content_type() == "multipart/mixed"
    html_part, text_part = msg.get_body(("html",)), msg.get_body(("plain",))
    assert "总得分99.87分" in text_part.get_content()
    html = html_part.get_content()
    assert len(html.encode("utf-8")) < GMAIL_CLIP and "<style" not in html and "var(" not in html
    images = {p["Content-ID"].strip("<>"): p for p in msg.walk() if p.get_content_type() == "image/png"}
    cids = re.findall(r'src="cid:([^"]+)"', html)
    assert len(cids) == 3 and set(cids) == set(images)            # 图1–图3, each resolving to its part
    assert all(p.get_payload(decode=True).startswith(b"\x89PNG") for p in images.values())
    attachments = [p.get_filename() for p in msg.iter_attachments()]
    assert attachments == [f"{NAME}.html"]
    raw = msg.as_bytes()
    assert re.search(rb"filename\*(0\*)?=utf-8''", raw)                          # RFC 2231 names
    # and RFC 2047 words beside them, for older Outlook and webmails (issue 24, item 12): a reader of only
    # name= / filename= gets the name too, never ATT00001 or 未命名
    for part in [*msg.iter_attachments(), *images.values()]:
        for header, param in (("Content-Type", "name"), ("Content-Disposition", "filename")):
            legacy = re.search(rf'(?<![*\w]){param}="([^"]+)"', str(part.get(header, "")).replace("\n", ""))
            assert legacy, (header, part.get(header))
            assert str(make_header(decode_header(legacy[1]))) == part.get_filename()
    assert "科学技术局".encode() not in raw.split(b"\r\n\r\n", 1)[0]               # RFC 2047 headers
    return html


def test_mail_as_an_eml_file(project, seed_report, tmp_path):
    path = tmp_path / "out.eml"
    result = evalnb("mail", "--dept", "科学技术局", "--year", "2024", "--db", project["db"], "--eml", str(path),
                    "--to", "审核科 <review@example.gov.cn>", env=with_sender(project["env"]))
    assert result.returncode == 0, result.stderr
    msg = parse(path.read_bytes())
    check_message(msg, project)
    assert msg["To"].addresses[0].display_name == "审核科"
    folder = project["root"] / "outputs" / "科学技术局" / "2024"
    assert (folder / f"{NAME}.html").read_bytes() == (folder / "report.html").read_bytes()
    assert (folder / f"{NAME}_复核意见.html").exists()


def test_mail_sent_to_a_loopback_smtp_server(project, seed_report, smtp_server):
    inbox, url = smtp_server
    env = {**project["env"], "EVALNB_SMTP_URL": url, "EVALNB_MAIL_FROM": "finance@example.gov.cn",
           "EVALNB_SMTP_PASSWORD": "not-to-be-written-anywhere"}
    result = evalnb("mail", "--dept", "科学技术局", "--year", "2024", "--db", project["db"], "--send",
                    "--to", "a@example.gov.cn", "--cc", "b@example.gov.cn", "--attach", "html,memo", env=env)
    assert result.returncode == 0, result.stderr
    (envelope,) = inbox.envelopes
    assert envelope.mail_from == "finance@example.gov.cn"
    assert sorted(envelope.rcpt_tos) == ["a@example.gov.cn", "b@example.gov.cn"]
    msg = parse(envelope.original_content)
    assert [p.get_filename() for p in msg.iter_attachments()] == [f"{NAME}.html", f"{NAME}_复核意见.html"]
    assert b"not-to-be-written-anywhere" not in envelope.original_content
    assert "not-to-be-written-anywhere" not in result.stdout + result.stderr


def test_on_a_phone_the_mail_fits_its_width(project, seed_report, tmp_path, browser):
    """Issue 24, item 13: a 390 px phone shows the mail as sent (styles kept) without a sideways scroll: a
    viewport meta, images that scale."""
    path = tmp_path / "out.eml"
    assert evalnb("mail", "--dept", "科学技术局", "--year", "2024", "--db", project["db"], "--eml", str(path),
                  env=with_sender(project["env"])).returncode == 0
    msg = parse(path.read_bytes())
    html = msg.get_body(("html",)).get_content()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    images = {p["Content-ID"].strip("<>"): p.get_payload(decode=True) for p in msg.walk()
              if p.get_content_type() == "image/png"}
    for cid, png in images.items():
        html = html.replace(f"cid:{cid}", "data:image/png;base64," + base64.b64encode(png).decode())
    page = browser.new_page(viewport={"width": 390, "height": 800})
    page.set_content(html, wait_until="load")
    widths = page.evaluate("[document.documentElement.scrollWidth, ...Array.from(document.images, i => i.width)]")
    page.close()
    assert widths[0] <= 390 and all(w <= 390 for w in widths[1:]), widths


def test_an_eml_is_a_draft_to_send_and_an_earlier_one_is_kept(project, seed_report, tmp_path):
    """Issue 24, items 11 and 14: X-Unsent: 1 (Outlook opens the .eml as a draft to send; checked on the file,
    no Outlook here); a second run keeps the first file under its date unless --force."""
    path = tmp_path / "out.eml"
    args = ("mail", "--dept", "科学技术局", "--year", "2024", "--db", project["db"], "--eml", str(path))
    first = evalnb(*args, env=with_sender(project["env"]))
    assert first.returncode == 0 and parse(path.read_bytes())["X-Unsent"] == "1" and "待发送的草稿" in first.stdout
    before = path.read_bytes()
    again = evalnb(*args, env=with_sender(project["env"]))
    kept = [p for p in tmp_path.glob("out_*.eml")]
    assert again.returncode == 0 and len(kept) == 1 and kept[0].read_bytes() == before and "已保留为" in again.stdout
    assert re.fullmatch(r"out_\d{8}-\d{6}\.eml", kept[0].name)
    forced = evalnb(*args, "--force", env=with_sender(project["env"]))
    assert forced.returncode == 0 and len(list(tmp_path.glob("out_*.eml"))) == 1


def test_a_mail_needs_a_sender_and_says_where_to_set_one(project, seed_report, tmp_path):
    """Issue 24, item 10: no more evalnb@localhost, which a real relay rejects. --from, params mail_from,
    EVALNB_MAIL_FROM or an SMTP login that is an address; none of them is an error naming all three."""
    path = tmp_path / "out.eml"
    args = ("mail", "--dept", "科学技术局", "--year", "2024", "--db", project["db"], "--eml", str(path))
    bare = {**project["env"], "EVALNB_MAIL_FROM": "", "EVALNB_SMTP_URL": ""}
    none = evalnb(*args, env=bare)
    assert none.returncode != 0 and not path.exists()
    assert all(w in none.stderr for w in ("--from", "mail_from", "EVALNB_MAIL_FROM")) and "Traceback" not in none.stderr
    login = evalnb(*args, env={**bare, "EVALNB_SMTP_URL": "smtp://office%40example.gov.cn@127.0.0.1:25"})
    assert login.returncode == 0 and parse(path.read_bytes())["From"] == "office@example.gov.cn"
    given = evalnb(*args, "--from", "审核科 <review@example.gov.cn>", "--force", env=bare)
    assert given.returncode == 0 and parse(path.read_bytes())["From"].addresses[0].username == "review"


def test_the_summary_keeps_borders_and_images_without_any_style(project, seed_report, tmp_path, browser):
    """Outlook and Gmail drop <style>, var() and often style attributes: with every style removed, the
    tables still have borders (HTML attributes) and every chart shows (cid: images, here as data: URIs)."""
    path = tmp_path / "out.eml"
    assert evalnb("mail", "--dept", "科学技术局", "--year", "2024", "--db", project["db"], "--eml", str(path),
                  env=with_sender(project["env"])).returncode == 0
    msg = parse(path.read_bytes())
    soup = BeautifulSoup(msg.get_body(("html",)).get_content(), "html.parser")
    for tag in soup.find_all(style=True):
        del tag["style"]
    images = {p["Content-ID"].strip("<>"): p.get_payload(decode=True) for p in msg.walk()
              if p.get_content_type() == "image/png"}
    for img in soup.find_all("img"):
        img["src"] = "data:image/png;base64," + base64.b64encode(images[img["src"][4:]]).decode()
    page = browser.new_page(viewport={"width": 390, "height": 800})
    page.set_content(str(soup), wait_until="load")
    data_cells = "table:not([role=presentation]) td, table:not([role=presentation]) th"
    borders = page.evaluate(f"Array.from(document.querySelectorAll('{data_cells}')).map(c => getComputedStyle(c).borderTopWidth)")
    assert len(borders) >= 10 and all(b != "0px" for b in borders)
    loaded = page.evaluate("Array.from(document.images).map(i => i.complete && i.naturalWidth > 0)")
    assert loaded == [True] * 3                 # 图1–图3 of the seed
    page.close()


def test_mail_without_a_server_or_with_a_bad_choice_says_what_to_do(project, seed_report, tmp_path):
    args = ("mail", "--dept", "科学技术局", "--year", "2024", "--db", project["db"])
    no_server = evalnb(*args, "--send", "--to", "a@example.gov.cn", env=with_sender(project["env"], EVALNB_SMTP_URL=""))
    assert no_server.returncode == 1 and "EVALNB_SMTP_URL" in no_server.stderr and "Traceback" not in no_server.stderr
    refused = evalnb(*args, "--send", "--to", "a@example.gov.cn",
                     env=with_sender(project["env"], EVALNB_SMTP_URL="smtp://127.0.0.1:9"))       # nothing listens
    assert refused.returncode == 1 and "无法通过 127.0.0.1:9 发信" in refused.stderr and "Traceback" not in refused.stderr
    bad = evalnb(*args, "--attach", "zip", env=with_sender(project["env"]))
    assert bad.returncode == 2 and "--attach" in bad.stderr


def test_mail_goes_through_the_report_sequence(project, seed_report, tmp_path):
    """`mail` publishes first, as `report` and `batch` do (issue 20: one report sequence): a folder with only an
    HTML file copied into it is not mailed as it is — the report is rendered there, current, with the Word file
    the mail attaches; a current report is kept and mailed at once."""
    only_html = tmp_path / "out" / "科学技术局" / "2024"             # a copied report, not known to be current
    only_html.mkdir(parents=True)
    shutil.copy(project["root"] / "outputs" / "科学技术局" / "2024" / f"{NAME}.html", only_html)
    args = ("mail", "--dept", "科学技术局", "--year", "2024", "--db", project["db"], "--attach", "html,docx",
            "--out", str(tmp_path / "out"), "--eml", str(tmp_path / "a.eml"))
    first = evalnb(*args, env=with_sender(project["env"]))
    assert first.returncode == 0, first.stderr
    assert (only_html / "report.html").is_file() and (only_html / f"{NAME}.docx").is_file()
    assert [p.get_filename() for p in parse((tmp_path / "a.eml").read_bytes()).iter_attachments()] == \
        [f"{NAME}.html", f"{NAME}.docx"]
    again = evalnb(*args, "--force", env=with_sender(project["env"]))
    assert again.returncode == 0 and "[1/7]" not in again.stderr          # current: nothing rendered again


def test_an_unchanged_report_is_not_mailed_twice_unless_asked(project, seed_report, smtp_server):
    inbox, url = smtp_server
    env = with_sender(project["env"], EVALNB_SMTP_URL=url)
    args = ("mail", "--dept", "科学技术局", "--year", "2024", "--db", project["db"], "--send", "--to", "c@example.gov.cn")
    first, again = evalnb(*args, env=env), evalnb(*args, env=env)
    assert first.returncode == 0 and again.returncode == 0 and "未重发" in again.stdout, again.stderr
    assert len(inbox.envelopes) == 1
    assert evalnb(*args, "--resend", env=env).returncode == 0 and len(inbox.envelopes) == 2
    other = evalnb(*args[:-1], "d@example.gov.cn", env=env)          # other recipients: a new mail
    assert other.returncode == 0 and len(inbox.envelopes) == 3


def small_project(make_project) -> dict:
    """A project of its own (two small department-years): batches here leave the shared one alone."""
    from tests.helpers import workbook_content

    project = make_project([workbook_content("甲局"), workbook_content("乙局")])
    (project["root"] / "params").mkdir()
    return project


def test_batch_mails_each_report_to_its_params_recipients(make_project, tmp_path, smtp_server):
    inbox, url = smtp_server
    project = small_project(make_project)
    (project["root"] / "params" / "甲局_2024.yaml").write_text(
        "department: 甲局\nyear: 2024\nmail_to: [batch@example.gov.cn]\n", encoding="utf-8")
    env = with_sender(project["env"], EVALNB_SMTP_URL=url)
    args = ("batch", "--workers", "1", "--db", project["db"], "--mail")
    result = evalnb(*args, env=env)
    assert result.returncode == 0, result.stderr
    assert "邮件：已发送 1 份，未变化未重发 0 份，无收件人 1 份，失败 0 份" in result.stdout
    assert "[邮件] 甲局 2024 → batch@example.gov.cn" in result.stderr.splitlines()      # a line for the step
    assert [e.rcpt_tos for e in inbox.envelopes] == [["batch@example.gov.cn"]]
    again = evalnb(*args, env=env)
    assert "已发送 0 份，未变化未重发 1 份" in again.stdout and len(inbox.envelopes) == 1


def test_recipients_from_a_csv(make_project, tmp_path, smtp_server):
    """params/recipients.csv (部门,年度,收件人,抄送; 年度 blank: every year) when no params file names them."""
    inbox, url = smtp_server
    project = small_project(make_project)
    (project["root"] / "params" / "recipients.csv").write_text(
        "部门,年度,收件人,抄送\n乙局,,jy@example.gov.cn；jy2@example.gov.cn,cc@example.gov.cn\n", encoding="utf-8")
    result = evalnb("batch", "--dept", "乙局", "--workers", "1", "--db", project["db"], "--mail",
                    env=with_sender(project["env"], EVALNB_SMTP_URL=url))
    assert "已发送 1 份" in result.stdout, result.stdout + result.stderr
    assert sorted(inbox.envelopes[0].rcpt_tos) == ["cc@example.gov.cn", "jy2@example.gov.cn", "jy@example.gov.cn"]


def test_a_failed_batch_mails_its_table_to_the_operator(make_project, tmp_path, smtp_server):
    from tests.helpers import workbook_content

    inbox, url = smtp_server
    project = make_project([workbook_content("好局"), workbook_content("坏局")])
    (project["root"] / "notebooks" / "04_conclusion_and_grade.ipynb").write_text("{ broken", encoding="utf-8")
    result = evalnb("batch", "--workers", "1", "--db", project["db"], "--mail-failures", "ops@example.gov.cn",
                    env=with_sender(project["env"], EVALNB_SMTP_URL=url))
    assert result.returncode == 1 and "失败清单已发给 ops@example.gov.cn" in result.stdout, result.stderr
    (envelope,) = inbox.envelopes
    msg = parse(envelope.original_content)
    assert envelope.rcpt_tos == ["ops@example.gov.cn"] and "2 份失败" in msg["Subject"]
    assert "好局" in msg.get_content() and "失败" in msg.get_content()


def test_the_smtp_password_can_come_from_the_system_keyring(monkeypatch):
    """The password is looked up in the keyring (service evalnb-smtp, user@host) when EVALNB_SMTP_PASSWORD is
    not set, and sent only in the SMTP login. The OS keyring (Secret Service over D-Bus) does not run here: the
    keyring package's own backend API is given an in-memory backend instead."""
    import keyring
    from aiosmtpd.smtp import AuthResult
    from keyring.backend import KeyringBackend

    from evalnb.deliver import mail

    class MemoryKeyring(KeyringBackend):
        priority = 1
        store = {("evalnb-smtp", "finance@127.0.0.1"): "from-the-keyring"}

        def get_password(self, service, username):
            return self.store.get((service, username))

        def set_password(self, service, username, password):
            self.store[(service, username)] = password

        def delete_password(self, service, username):
            self.store.pop((service, username), None)

    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login.decode(), auth_data.password.decode()))
        return AuthResult(success=True)

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=authenticator,
                            auth_require_tls=False)
    controller.start()
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        monkeypatch.setenv("EVALNB_SMTP_URL", f"smtp://finance@127.0.0.1:{port}")
        monkeypatch.delenv("EVALNB_SMTP_PASSWORD", raising=False)
        msg = EmailMessage()
        msg["Subject"], msg["From"], msg["To"] = "测试", "finance@example.gov.cn", "a@example.gov.cn"
        msg.set_content("正文")
        mail.send(msg)
    finally:
        keyring.set_keyring(previous)
        controller.stop()
    assert logins == [("finance", "from-the-keyring")] and len(inbox.envelopes) == 1


def test_a_password_is_never_sent_over_plain_smtp_to_another_machine(monkeypatch):
    from evalnb.deliver import mail
    from evalnb.errors import MailError

    monkeypatch.setenv("EVALNB_SMTP_URL", "smtp://finance@mail.example.gov.cn:25")
    monkeypatch.setenv("EVALNB_SMTP_PASSWORD", "secret")
    msg = EmailMessage()
    msg["Subject"], msg["From"], msg["To"] = "测试", "finance@example.gov.cn", "a@example.gov.cn"
    with pytest.raises(MailError) as caught:
        mail.send(msg)                                       # refused before any connection is made
    assert "smtp+starttls://" in str(caught.value) and "secret" not in str(caught.value)
