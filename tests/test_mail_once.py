"""Mail sent exactly once, against real SMTP servers on loopback that misbehave (hardening: a server refusing
one recipient made the accepted one receive a copy per run, and nothing was logged; a server dropping the
link after the final "." received a copy per retry and per run)."""

from __future__ import annotations

import socket
from contextlib import contextmanager

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP as SMTPServer

from evalnb.deliver import mail
from evalnb.errors import MailError, UsageError
from evalnb.store import sql as store
from tests.helpers import evalnb

FOLDER = ("科学技术局", "2024")


class Recorder:
    """Keeps every message it accepts, with its recipients; refuses recipients named bad@…"""

    def __init__(self, drop_after_dot: bool = False):
        self.copies: list[tuple[str, ...]] = []
        self.drop_after_dot = drop_after_dot

    async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802
        if address.startswith("bad@"):
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.copies.append(tuple(envelope.rcpt_tos))
        if self.drop_after_dot:
            server.transport.close()           # the message is in; the reply never comes
        return "250 OK"


class DropMidData(SMTPServer):
    async def smtp_DATA(self, arg):  # noqa: N802
        self.transport.close()                  # after "DATA", before any of the message


class DropMidDataController(Controller):
    def factory(self):
        return DropMidData(self.handler)


@contextmanager
def server(handler, controller=Controller):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    running = controller(handler, hostname="127.0.0.1", port=port)
    running.start()
    try:
        yield f"smtp://127.0.0.1:{port}"
    finally:
        running.stop()


def copies_for(recorder: Recorder, address: str) -> int:
    return sum(address in rcpts for rcpts in recorder.copies)


@pytest.fixture
def sender(project, seed_report, monkeypatch, tmp_path):
    """deliver() of the seed report, three times, from a store of its own (a fresh mail log)."""
    import shutil

    db_file = tmp_path / "store.sqlite"
    shutil.copyfile(project["db"].removeprefix("sqlite:///"), db_file)
    db = f"sqlite:///{db_file}"
    with store.open_store(db).begin() as conn:          # other tests of this worker mailed the same report
        conn.execute(store.mail_log.delete())
    monkeypatch.setattr(mail, "BACKOFF", 0.01)
    monkeypatch.setenv("EVALNB_MAIL_FROM", "finance@example.gov.cn")
    folder = seed_report["path"].parent

    def run(url: str, to: list[str], resend: bool = False) -> list[object]:
        monkeypatch.setenv("EVALNB_SMTP_URL", url)
        outcomes = []
        for _ in range(3):
            try:
                outcomes.append(mail.deliver(*FOLDER, folder, db, to, resend=resend))
            except MailError as exc:
                outcomes.append(exc)
        return outcomes
    run.db = db
    return run


def test_a_refused_recipient_does_not_resend_to_the_accepted_one(sender):
    recorder = Recorder()
    with server(recorder) as url:
        outcomes = sender(url, ["good@example.gov.cn", "bad@example.gov.cn"])
    assert copies_for(recorder, "good@example.gov.cn") == 1                       # was 3
    assert all(isinstance(o, MailError) and "bad@example.gov.cn" in str(o) for o in outcomes)
    assert "已发给 good@example.gov.cn" in str(outcomes[0])
    logged = store.mailed(store.open_store(sender.db), *FOLDER[:1], 2024, next(iter(_digests(sender.db))))
    assert {a: s for a, (_, s) in logged.items()} == {"good@example.gov.cn": "delivered"}     # was: no row


def test_a_link_dropped_after_the_final_dot_is_not_sent_again(sender):
    recorder = Recorder(drop_after_dot=True)
    with server(recorder) as url:
        outcomes = sender(url, ["a@example.gov.cn"])
    assert copies_for(recorder, "a@example.gov.cn") == 1                          # was 3 per run
    assert isinstance(outcomes[0], MailError) and "可能已送达" in str(outcomes[0]) and "--resend" in str(outcomes[0])
    assert outcomes[1] is not None and outcomes[2] is not None                   # later runs: not sent again


def test_a_link_dropped_mid_data_is_retried_and_delivers_nothing_twice(sender):
    recorder = Recorder()
    with server(recorder, DropMidDataController) as url:
        outcomes = sender(url, ["a@example.gov.cn"])
    assert recorder.copies == [] and all(isinstance(o, MailError) for o in outcomes)
    assert "可能已送达" not in str(outcomes[0]) and _digests(sender.db) == set()  # nothing handed over, nothing logged
    working = Recorder()
    with server(working) as url:                                                # the server is fixed: sent, once
        sender(url, ["a@example.gov.cn"])
    assert copies_for(working, "a@example.gov.cn") == 1


def _digests(db: str) -> set[str]:
    from sqlalchemy import select

    with store.open_store(db).connect() as conn:
        return set(conn.execute(select(store.mail_log.c.report_sha256)).scalars())


@pytest.mark.parametrize("address", ["x@y", "<b@example.gov.cn>", "a@example.gov.cn\r\nBcc: spy@example.com",
                                     "张三@例子", "a b@example.gov.cn"])
def test_a_bad_address_is_refused_before_anything_is_built(address):
    from evalnb.deliver.addresses import checked

    with pytest.raises(UsageError, match="邮箱地址有误"):
        checked(["ok@example.gov.cn", address], "--to")


@pytest.mark.parametrize(("option", "address"), [("--to", "x@y"), ("--cc", "<b@example.gov.cn>"),
                                                  ("--from", "finance@example")])
def test_the_command_names_the_option_and_exits_2(project, option, address):
    args = ["mail", "--dept", "科学技术局", "--year", "2024", "--db", project["db"], "--to", "a@example.gov.cn"]
    result = evalnb(*args, option, address, env=project["env"])
    assert result.returncode == 2 and option in result.stderr and address in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_recipients_csv_names_its_file_and_row(project, tmp_path, monkeypatch):
    from evalnb.batch.params import recipients

    params = tmp_path / "params"
    params.mkdir()
    (params / "recipients.csv").write_text("部门,年度,收件人,抄送\n科学技术局,2024,a@example.gov.cn,\n科学技术局,,x@y,\n",
                                           encoding="utf-8")
    monkeypatch.setenv("EVALNB_ROOT", str(tmp_path))
    with pytest.raises(UsageError, match=r"recipients\.csv 第3行“收件人”：“x@y”"):
        recipients("科学技术局", 2024)
