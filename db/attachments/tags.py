"""The code every printout carries: which record a printed page belongs to, and which page it is.

Payload (QR alphanumeric mode, so the code stays small): ``BD1/<PRINTOUT>/<REF>/<PAGE>/<PAGES>``, upper case;
``REF`` is the record's uuid (sign-in sheet, minutes, transfer letter) or the period of a ledger (``2026-10``,
``2026``, ``2026-11-30``). Under the code the same is printed as short text (``signin 5f2c8a1b 1/2``) for when a
code cannot be read and the secretary places the page by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PREFIX = "BD1"

# Printouts of one record, and the kind of record; every other printout is a ledger of a period ("printout").
RECORD_PRINTOUTS: dict[str, str] = {
    "signin": "meeting",
    "minutes": "meeting",
    "transfer-letter": "transfer",
    "election-request": "election",
    "election-method": "election",
    "ballot": "election",
    "election-count": "election",
    "election-report": "election",
    "life-meeting-report": "meeting",
    "appraisal-ballot": "appraisal_round",
    "appraisal-result": "appraisal_round",
}
PRINTOUT_NAMES: dict[str, str] = {
    "signin": "签到表",
    "minutes": "会议记录",
    "roster": "党员名册",
    "development": "发展党员工作台账",
    "transfer-letter": "组织关系介绍信",
    "dues-ledger": "党费收缴台账",
    "dues-publication": "党费收缴公示",
    "dues-year": "党费收缴汇总",
    "projects": "项目台账",
    "findings": "检查整改台账",
    "election-request": "换届选举请示",
    "election-method": "选举办法",
    "ballot": "选票",
    "election-count": "计票结果",
    "election-report": "选举结果报告",
    "life-meeting-report": "组织生活会情况报告",
    "appraisal-ballot": "民主测评表",
    "appraisal-result": "民主评议结果",
}

# Printouts printed as identical copies (the anonymous 测评票: every copy carries page 1/1, so no ballot can be told
# from another): each scanned copy is one more page of the record's sheet, never a duplicate.
COPY_PRINTOUTS = frozenset({"appraisal-ballot"})

_PAYLOAD = re.compile(r"^BD1/([A-Z0-9-]+)/([A-Z0-9-]+)/(\d{1,3})/(\d{1,3})$")


@dataclass(frozen=True)
class PrintCode:
    """What a printout is about: its kind (``print --list``) and its record or period."""

    printout: str
    ref: str

    def page(self, page: int, pages: int) -> PageTag:
        return PageTag(self.printout, self.ref, page, pages)


@dataclass(frozen=True)
class PageTag:
    """One printed page: printout, record or period, page number (from 1) and page count."""

    printout: str
    ref: str
    page: int
    pages: int

    @property
    def payload(self) -> str:
        return f"{PREFIX}/{self.printout.upper()}/{self.ref.upper()}/{self.page}/{self.pages}"

    @property
    def short_text(self) -> str:
        """The line printed under the code: enough to place the page by hand."""
        ref = self.ref[:8] if self.owner_kind != "printout" else self.ref
        return f"{self.printout} {ref} {self.page}/{self.pages}"

    @property
    def owner_kind(self) -> str:
        return RECORD_PRINTOUTS.get(self.printout, "printout")

    @property
    def owner_id(self) -> str:
        """The attachment owner: the record's uuid, or ``<printout>/<period>`` for a ledger."""
        return self.ref if self.owner_kind != "printout" else f"{self.printout}/{self.ref}"

    @property
    def name(self) -> str:
        return PRINTOUT_NAMES.get(self.printout, self.printout)


def parse(text: str) -> PageTag | None:
    """The page tag in a decoded QR text; None when it is not one of ours."""
    match = _PAYLOAD.match(text.strip().upper())
    if not match:
        return None
    printout, ref, page, pages = match.groups()
    if printout.lower() not in PRINTOUT_NAMES or not 1 <= int(page) <= int(pages):
        return None
    return PageTag(printout.lower(), ref.lower(), int(page), int(pages))
