"""Mail addresses as users give them (``--to``, ``--cc``, ``--from``, ``mail_to`` in a params file, a row of
``params/recipients.csv``): each checked before anything is built or sent, and refused with where it came
from. A line break in an address would be a header injection; ``x@y`` and ``<b@x.cn>`` are typing slips."""

from __future__ import annotations

import re

from evalnb import settings
from evalnb.errors import UsageError

# A plain ASCII addr-spec: a dot-atom local part, a domain of at least two labels.
ADDRESS = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                     r"@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}")
NAMED = re.compile(r"(?P<name>[^<>]*[^<>\s])\s*<(?P<address>[^<>]+)>")      # 审核科 <review@example.gov.cn>
EXAMPLE = "name@example.gov.cn"


# Where a sender comes from, as the error that checks it names it
SENDER_GIVEN = f"发件人（--from、params 的 mail_from 或 {settings.MAIL_FROM.name}）"
SENDER_LOGIN = f"发件人（{settings.SMTP_URL.name} 的用户名）"

def bare(address: str) -> str:
    """The address itself, without a display name: what the server and the mail log see."""
    named = NAMED.fullmatch(address.strip())
    return (named.group("address") if named else address).strip()


def problem(address: str) -> str | None:
    """What is wrong with one address, in Chinese (None: it is fine). ``name@example.gov.cn`` and
    ``审核科 <review@example.gov.cn>`` are fine; a bare ``<…>`` is a slip."""
    if any(ch in address for ch in "\r\n\t\0"):
        return "含有换行或控制字符"
    if ("<" in address or ">" in address) and not NAMED.fullmatch(address):
        return f"尖括号只用于“名称 <地址>”的写法；只有地址时直接写，如 {EXAMPLE}"
    if not ADDRESS.fullmatch(bare(address)):
        return f"不是有效的邮箱地址，应形如 {EXAMPLE}"
    return None


def checked(addresses: list[str] | tuple[str, ...], where: str) -> list[str]:
    """The addresses, trimmed, if every one is valid; else a UsageError (exit 2) naming each bad one and
    ``where`` it came from (an option, a file and row)."""
    cleaned = [str(a).strip() for a in addresses]
    bad = [f"{where}：“{a!r}”{why}" if any(ch in a for ch in "\r\n") else f"{where}：“{a}”{why}"
           for a in cleaned if (why := problem(a)) is not None]
    if bad:
        raise UsageError("邮箱地址有误：\n  " + "\n  ".join(bad))
    return cleaned
