"""Every printout the program makes, by name, for the command line (``branchdesk print KIND …``).

Each ``Printout`` says what it prints, whether it is of one record (a meeting, a transfer) or of a period (a month,
a year), and where the GUI offers it (``gui``: the page file and the key of its print action; a test checks that
every print action of the GUI is listed here). ``write`` picks the record or period the way the command line
promises: without an id the most recent record, without a period the current one; it uses the same document
builders and layouts as the GUI's print previews, so the PDF is what the preview shows.

Errors are ``CliError``-like ``PrintoutError`` with one Chinese line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from db.errors import BranchDeskError
from db.store import Database


class PrintoutError(BranchDeskError):
    """A one-line Chinese message: the printout cannot be made with these arguments."""


@dataclass(frozen=True)
class Selection:
    """What to print: a record id (meeting, transfer), a year or a month (the first day); None: the default."""

    record: str | None = None
    year: int | None = None
    month: date | None = None
    variant: str = "planned"
    today: date | None = None
    copies: int | None = None  # 测评票: how many voters (one page each)

    @property
    def day(self) -> date:
        return self.today or date.today()


@dataclass(frozen=True)
class Printout:
    kind: str  # the command line's name
    name: str  # what the secretary calls it
    period: str  # "" | "month" | "year"
    record: str  # "" or what --id names (会议, 转出记录)
    gui: tuple[str, ...]  # the GUI's print actions: "pages/<file>.py:<key>"
    write: Callable[[Database, Path, Selection], str]  # writes the PDF; returns what was printed, in Chinese


def _branch_name(db: Database) -> str:
    from db import branch

    b = branch.get_branch(db)
    return b.name if b else ""


def _year(sel: Selection) -> int:
    if sel.month is not None:
        raise PrintoutError("这份打印件按年度打印，请用 --year 指定年份")
    return sel.year if sel.year is not None else sel.day.year


def _month(sel: Selection) -> date:
    if sel.year is not None:
        raise PrintoutError("这份打印件按月份打印，请用 --month YYYY-MM 指定月份")
    return sel.month if sel.month is not None else sel.day.replace(day=1)


def _no_period(sel: Selection) -> None:
    if sel.year is not None or sel.month is not None:
        raise PrintoutError("这份打印件不按期间打印，请去掉 --year / --month")


def _no_record(sel: Selection) -> None:
    if sel.record is not None:
        raise PrintoutError("这份打印件不针对单条记录，请去掉 --id")


# --- meetings ---------------------------------------------------------------------------------------------------


def pick_meeting(db: Database, sel: Selection, *, held: bool):  # type: ignore[no-untyped-def]
    """The meeting of ``--id`` (uuid, 年份-类型-序号 or next); else the next planned meeting (a sign-in sheet is
    printed before the meeting) or, for minutes, the most recently held one."""
    from db import meetings

    _no_period(sel)
    if sel.record is not None:
        return meetings.find_meeting(db, ref=sel.record, today=sel.day)
    if not held:
        planned = [m for m in meetings.list_meetings(db, status="planned") if m.planned_on >= sel.day]
        if planned:
            return min(planned, key=lambda m: (m.planned_on, m.planned_time))
    done = meetings.list_meetings(db, status="held")
    if not done:
        raise PrintoutError("还没有会议记录。请先在「会议记录」中新建会议，或用 --id 指定会议")
    return max(done, key=lambda m: (m.held_on, m.year, m.seq))


def _signin(db: Database, out: Path, sel: Selection) -> str:
    from db import meetings
    from desktop.printing.signin import write_pdf

    m = pick_meeting(db, sel, held=False)
    pages = write_pdf(meetings.signin_sheet(db, meeting_uuid=m.uuid, variant=sel.variant), out)
    return f"签到表（{m.title} {m.number_text}，共 {pages} 页）"


def _minutes(db: Database, out: Path, sel: Selection) -> str:
    from desktop.printing.minutes import write_pdf

    m = pick_meeting(db, sel, held=True)
    pages = write_pdf(db, meeting_uuid=m.uuid, path=out)
    return f"会议记录（{m.title} {m.number_text}，共 {pages} 页）"


def pick_life_meeting(db: Database, sel: Selection):  # type: ignore[no-untyped-def]
    """The 组织生活会 of ``--id``, else the latest held one (the 组织生活会情况报告's meeting)."""
    from db import meetings

    _no_period(sel)
    if sel.record is not None:
        m = meetings.find_meeting(db, ref=sel.record, today=sel.day)
        if m.kind != "life_meeting":
            raise PrintoutError(f"「{sel.record}」不是组织生活会，请用 --id 指定一次组织生活会")
    else:
        held = meetings.list_meetings(db, kind="life_meeting", status="held")
        if not held:
            raise PrintoutError("还没有召开过的组织生活会。请先在「会议记录」中登记，或用 --id 指定会议")
        m = max(held, key=lambda x: (x.held_on, x.year, x.seq))
    return m


def _life_meeting_report(db: Database, out: Path, sel: Selection) -> str:
    """The 组织生活会情况报告 of ``--id`` (a 组织生活会), else of the latest held 组织生活会."""
    from desktop.printing.life_meeting import write_pdf

    m = pick_life_meeting(db, sel)
    pages = write_pdf(db, meeting_uuid=m.uuid, path=out, today=sel.day)
    return f"组织生活会情况报告（{m.title}，共 {pages} 页）"


# --- members, development, transfers ------------------------------------------------------------------------------


def _roster(db: Database, out: Path, sel: Selection) -> str:
    from db import members
    from desktop.printing.roster import write_roster_pdf

    _no_period(sel)
    _no_record(sel)
    roster = members.list_members(db)
    write_roster_pdf(out, roster, _branch_name(db), printed_on=sel.day)
    return f"党员名册（{len(roster)} 人）"


def _development(db: Database, out: Path, sel: Selection) -> str:
    from db import development
    from desktop.pages.development import pipeline_document
    from desktop.printing.table import write_pdf

    _no_period(sel)
    _no_record(sel)
    people = development.list_people(db)
    write_pdf(out, pipeline_document(people, _branch_name(db), printed_on=sel.day))
    return f"发展党员工作台账（{len(people)} 人）"


def pick_letter(db: Database, sel: Selection):  # type: ignore[no-untyped-def]
    """The letter of ``--id`` (uuid or serial), else the most recent valid transfer out, as ``LetterData`` with
    the transfer (the 上级党委 from the branch profile, as the transfers page prints it)."""
    from db import branch, members, transfers
    from desktop.printing.transfer_letter import letter_data

    _no_period(sel)
    letters = [t for t in transfers.list_transfers(db, direction="out") if t.status == "valid"]
    if sel.record is not None:
        found = [t for t in letters if sel.record in (t.uuid, t.serial)]
        if not found:
            raise PrintoutError(f"找不到编号为「{sel.record}」的有效转出介绍信")
        t = found[0]
    elif letters:
        t = max(letters, key=lambda x: (x.issued_on, x.serial))
    else:
        raise PrintoutError("还没有转出记录，没有可打印的介绍信")
    member = members.get_member(db, uuid=t.member_uuid)
    b = branch.get_branch(db)
    return t, letter_data(t, member, branch_name=b.name if b else "", upper_name=b.parent_org if b else "")


def _transfer_letter(db: Database, out: Path, sel: Selection) -> str:
    from desktop.printing.transfer_letter import write_letter_pdf

    t, data = pick_letter(db, sel)
    write_letter_pdf(out, data)
    return f"组织关系介绍信（第 {t.serial} 号，{t.member_name}）"


# --- dues --------------------------------------------------------------------------------------------------------


def _dues(kind: str, what: str) -> Callable[[Database, Path, Selection], str]:
    def write(db: Database, out: Path, sel: Selection) -> str:
        from desktop.printing import dues as dues_print

        _no_record(sel)
        month = _month(sel) if kind == "ledger" else date(_year(sel), 1, 1)
        dues_print.write_pdf(out, dues_print.document(db, kind, month=month, year=month.year, today=sel.day))
        return f"{what}（{month.year}年{f'{month.month}月' if kind == 'ledger' else ''}）"

    return write


# --- projects ----------------------------------------------------------------------------------------------------


def _ledger(kind: str) -> Callable[[Database, Path, Selection], str]:
    def write(db: Database, out: Path, sel: Selection) -> str:
        from db import projects
        from desktop.printing.projects import write_pdf

        _no_record(sel)
        year = _year(sel)
        end = min(date(year, 12, 31), sel.day) if year == sel.day.year else date(year, 12, 31)
        figures = projects.project_figures(db, start=date(year, 1, 1), end=end)
        records = (
            projects.list_projects(db, year=year)
            if kind == "projects"
            else projects.list_findings(db, year=year)
        )
        write_pdf(out, kind, records, _branch_name(db), figures=figures, printed_on=sel.day)
        noun = "项目台账" if kind == "projects" else "检查整改台账"
        return f"{noun}（{year}年，{len(records)} 条）"

    return write


# --- 民主评议党员 ---------------------------------------------------------------------------------------------


def pick_appraisal_round(db: Database, sel: Selection):  # type: ignore[no-untyped-def]
    """The round of ``--year`` (default: the latest round)."""
    from db import appraisal

    _no_record(sel)
    if sel.month is not None:
        raise PrintoutError("这份打印件按年度打印，请用 --year 指定年度")
    if sel.year is not None:
        r = appraisal.round_of_year(db, year=sel.year)
        if r is None:
            raise PrintoutError(f"还没有{sel.year}年度的民主评议党员。请先在「民主评议」页面建立")
        return r
    rounds = appraisal.list_rounds(db)
    if not rounds:
        raise PrintoutError("还没有民主评议党员记录。请先在「民主评议」页面建立，或用 --year 指定年度")
    return rounds[0]


def _appraisal_ballot(db: Database, out: Path, sel: Selection) -> str:
    from desktop.printing import appraisal as appraisal_print

    r = pick_appraisal_round(db, sel)
    if sel.copies is None or not 1 <= sel.copies <= appraisal_print.MAX_VOTERS:
        raise PrintoutError(
            f"请用 --voters 指定参加测评的人数（1 到 {appraisal_print.MAX_VOTERS}），每人一张测评票"
        )
    b = appraisal_print.ballot(db, round_uuid=r.uuid, branch=_branch_name(db))
    if not b.names:
        raise PrintoutError(f"{r.year}年度没有需要评定等次的正式党员")
    pages = appraisal_print.write_ballots_pdf(out, b, sel.copies)
    return f"民主测评表（{r.year}年度，{len(b.names)} 名党员，共 {pages} 份）"


def _appraisal_result(db: Database, out: Path, sel: Selection) -> str:
    from desktop.printing import appraisal as appraisal_print

    r = pick_appraisal_round(db, sel)
    doc = appraisal_print.result_document(db, round_uuid=r.uuid, branch=_branch_name(db), printed_on=sel.day)
    appraisal_print.write_result_pdf(out, doc)
    return f"民主评议党员结果报告（{r.year}年度）"


# --- elections ---------------------------------------------------------------------------------------------------


def _election_paper(kind: str) -> Callable[[Database, Path, Selection], str]:
    """A paper of the election of ``--id`` (its uuid), else of the election under way, else of the latest one. The
    ballot is one page: print as many copies as voters present (every copy is the same, no numbering)."""

    def write(db: Database, out: Path, sel: Selection) -> str:
        from db import elections
        from desktop.printing import elections as papers

        _no_period(sel)
        found = elections.list_elections(db)
        if sel.record is not None:
            found = [e for e in elections.list_elections(db, archived=True) if e.uuid == sel.record]
            if not found:
                raise PrintoutError(f"找不到编号为「{sel.record}」的换届选举")
        if not found:
            raise PrintoutError("还没有换届选举记录。请先在「换届选举」中登记向上级党委的请示")
        e = elections.open_election(db) if sel.record is None else None
        e = e or found[0]
        # the same steps the page asks before it offers each paper (desktop/pages/elections.py)
        if kind in ("ballot", "election-method") and not e.candidates:
            raise PrintoutError(f"还没有确定候选人，没有可打印的{'选票' if kind == 'ballot' else '选举办法'}")
        if kind == "election-report" and e.officers_on is None:
            raise PrintoutError("还没有选举书记、副书记（选举尚未完成），没有可报告的选举结果")
        pages = papers.write_pdf(db, kind, election_uuid=e.uuid, path=out, day=sel.day)
        return f"{papers.PAPERS[kind].name}（{e.request_on.isoformat()} 请示的换届选举，共 {pages} 页）"

    return write


PRINTOUTS: tuple[Printout, ...] = (
    Printout("signin", "会议签到表", "", "会议", ("pages/meetings.py:signin",), _signin),
    Printout("minutes", "会议记录", "", "会议", ("pages/meetings.py:minutes",), _minutes),
    Printout("roster", "党员名册", "", "", ("pages/members.py:roster",), _roster),
    Printout("development", "发展党员工作台账", "", "", ("pages/development.py:pipeline",), _development),
    Printout(
        "transfer-letter",
        "党员组织关系介绍信",
        "",
        "转出记录",
        ("pages/transfers.py:letter",),
        _transfer_letter,
    ),
    Printout(
        "dues-ledger", "党费收缴台账", "month", "", ("pages/dues.py:ledger",), _dues("ledger", "党费收缴台账")
    ),
    Printout(
        "dues-publication",
        "党费收缴公示",
        "year",
        "",
        ("pages/dues.py:publication",),
        _dues("publication", "党费收缴公示"),
    ),
    Printout("dues-year", "党费收缴汇总", "year", "", ("pages/dues.py:year",), _dues("year", "党费收缴汇总")),
    Printout("projects", "项目台账", "year", "", ("pages/projects.py:projects",), _ledger("projects")),
    Printout("findings", "检查整改台账", "year", "", ("pages/projects.py:findings",), _ledger("findings")),
    Printout(
        "life-meeting-report",
        "组织生活会情况报告",
        "",
        "会议",
        ("dialogs/life_meeting.py:report",),
        _life_meeting_report,
    ),
    Printout(
        "appraisal-ballot",
        "民主测评表（测评票）",
        "year",
        "",
        ("pages/appraisal.py:ballot",),
        _appraisal_ballot,
    ),
    Printout(
        "appraisal-result",
        "民主评议党员结果报告",
        "year",
        "",
        ("pages/appraisal.py:result",),
        _appraisal_result,
    ),
    *(
        Printout(kind, name, "", "换届选举", (f"pages/elections.py:{key}",), _election_paper(kind))
        for kind, name, key in (
            ("election-request", "换届选举请示", "request"),
            ("election-method", "选举办法", "method"),
            ("ballot", "选票", "ballot"),
            ("election-count", "计票结果", "count"),
            ("election-report", "选举结果报告", "report"),
        )
    ),
)
BY_KIND = {p.kind: p for p in PRINTOUTS}


def usage_line(p: Printout) -> str:
    """``signin  会议签到表  [--id 会议]`` for ``print --list``."""
    options = []
    if p.record:
        options.append(f"[--id {p.record}]")
    if p.period == "month":
        options.append("[--month YYYY-MM]")
    elif p.period == "year":
        options.append("[--year 年份]")
    if p.kind == "signin":
        options.append("[--variant planned|blank|filled]")
    if p.kind == "appraisal-ballot":
        options.append("--voters 人数")
    width = max(len(k) for k in BY_KIND) + 2  # the names in one column, however long the longest
    return f"{p.kind:<{width}}{p.name}　{' '.join(options)}".rstrip()


def parse_month(text: str) -> date:
    """``YYYY-MM`` as the first day of the month; ``PrintoutError`` otherwise."""
    parts = text.strip().split("-")
    if len(parts) == 2 and parts[0].isdigit() and parts[1].isdigit() and 1 <= int(parts[1]) <= 12:
        return date(int(parts[0]), int(parts[1]), 1)
    raise PrintoutError(f"月份「{text}」格式不对，应为 YYYY-MM，如 2026-10")


def write(db: Database, kind: str, out: Path, sel: Selection) -> str:
    """Write printout ``kind`` as a PDF at ``out``; returns what was printed. ``PrintoutError`` for an unknown
    kind or arguments that do not fit it."""
    printout = BY_KIND.get(kind)
    if printout is None:
        raise PrintoutError(f"没有名为「{kind}」的打印件。可用 branchdesk print --list 查看全部打印件")
    if kind != "signin" and sel.variant != "planned":
        raise PrintoutError("--variant 只用于签到表（signin）")
    if kind != "appraisal-ballot" and sel.copies is not None:
        raise PrintoutError("--voters 只用于民主测评表（appraisal-ballot）")
    return printout.write(db, out, sel)
