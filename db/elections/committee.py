"""The committee's make-up and its election (换届): warnings about its size and term, and an approved postponement.

Sources (quoted in docs/rules.md):

- 《中国共产党支部工作条例（试行）》 第六章: “有正式党员7人以上的党支部，应当设立党支部委员会。党支部委员会由3至5人
  组成，一般不超过7人。”
- 党章第三十一条: “党的基层委员会、总支部委员会、支部委员会每届任期三年至五年。”
- 《中国共产党基层组织选举工作条例》第三条: “如需延期或者提前进行换届选举，应当报上级党组织批准。延长或者提前期限
  一般不超过1年。”

Everything here is a warning or a reminder; nothing blocks the secretary's work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from db import audit
from db.branch import get_branch, list_committee
from db.errors import Problem, ValidationError, date_problems
from db.ids import fresh_uuid
from db.members import count_members
from db.records import from_row
from db.rows import query_one
from db.rules import add_years, normalize_text
from db.standing import under_watch
from db.store import Database, now_iso

RULE_COMMITTEE = "《中国共产党支部工作条例（试行）》第六章"
RULE_TERM = "党章第三十一条"
RULE_POSTPONE = "《中国共产党基层组织选举工作条例》第三条"
COMMITTEE_MIN, COMMITTEE_MAX = 3, 7
TERM_MIN_YEARS, TERM_MAX_YEARS = 3, 5
FULL_MEMBERS_FOR_COMMITTEE = 7
POSTPONE_MAX_YEARS = 1


@dataclass(frozen=True)
class Postponement:
    """An approved postponement of the committee's election (延期换届)."""

    uuid: str
    term_end: date  # the term end it postpones
    approved_on: date
    approved_by: str
    document: str
    new_deadline: date
    created_at: str


def current_postponement(db: Database) -> Postponement | None:
    """The latest approved postponement of the branch's present term (its ``term_end``), or None."""
    branch = get_branch(db)
    if branch is None or branch.term_end is None:
        return None
    row = query_one(
        db,
        "SELECT uuid, term_end, approved_on, approved_by, document, new_deadline, created_at "
        "FROM election_postponements WHERE term_end = ? ORDER BY approved_on DESC, id DESC LIMIT 1",
        [branch.term_end.isoformat()],
    )
    return None if row is None else from_row(Postponement, row)


def postpone_election(
    db: Database,
    *,
    approved_on: date,
    approved_by: str,
    new_deadline: date,
    document: str = "",
    today: date | None = None,
) -> Postponement:
    """Record the upper organisation's approval to postpone the election of the present term to ``new_deadline``
    (at most one year after the term ends: 选举工作条例第三条). Refused without a term end, without the approving
    body, for an approval in the future, a deadline not after the term end or more than a year after it."""
    today = today or date.today()
    approved_by = normalize_text(approved_by)
    branch = get_branch(db)
    problems: list[Problem] = []
    if branch is None or branch.term_end is None:
        problems.append(Problem("term_end", "请先在支部信息中填写本届任期届满日期"))
    if not approved_by:
        problems.append(Problem("approved_by", "请填写批准延期的上级党组织"))
    problems += date_problems("approved_on", "批准日期", approved_on, today=today)
    if branch is not None and branch.term_end is not None:
        end = branch.term_end
        if new_deadline <= end:
            problems.append(
                Problem("new_deadline", f"延期后的换届期限必须晚于任期届满日期 {end.isoformat()}")
            )
        elif new_deadline > add_years(end, POSTPONE_MAX_YEARS):
            problems.append(
                Problem(
                    "new_deadline",
                    f"{RULE_POSTPONE}：延长期限一般不超过1年，换届期限不能晚于 {add_years(end, POSTPONE_MAX_YEARS)}",
                )
            )
    if problems:
        raise ValidationError(problems)
    assert branch is not None and branch.term_end is not None  # no problems
    new_uuid = fresh_uuid()
    now = now_iso()
    with db.atomic():
        db.execute(
            "INSERT INTO election_postponements (uuid, term_end, approved_on, approved_by, document, new_deadline,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                new_uuid,
                branch.term_end.isoformat(),
                approved_on.isoformat(),
                approved_by,
                normalize_text(document),
                new_deadline.isoformat(),
                now,
                now,
            ],
        )
        audit.Trail(db, "election_postponement", new_uuid).create(
            "new_deadline", new=f"{approved_by}批准延期换届至 {new_deadline.isoformat()}"
        )
    postponement = current_postponement(db)
    assert postponement is not None  # just written
    return postponement


def committee_warnings(db: Database, *, today: date) -> list[str]:
    """The committee's make-up against the rules, as warnings: with 7 or more full members a committee should be
    set up (none serving), of 3 to 7 members; a term outside 3–5 years; a member serving while under 留党察看."""
    branch = get_branch(db)
    if branch is None:
        return []
    out: list[str] = []
    full = count_members(db)["full"]
    committee = list_committee(db, on=today)
    people = {c.member_uuid: c.member_name for c in committee}
    if full >= FULL_MEMBERS_FOR_COMMITTEE:
        if not people:
            out.append(
                f"正式党员 {full} 人（7人以上），应当设立党支部委员会（{RULE_COMMITTEE}），尚未登记支委"
            )
        elif len(people) < COMMITTEE_MIN:
            out.append(
                f"支部委员会现有 {len(people)} 人，少于3人：党支部委员会由3至5人组成（{RULE_COMMITTEE}）"
            )
    if len(people) > COMMITTEE_MAX:
        out.append(f"支部委员会现有 {len(people)} 人，超过7人：一般不超过7人（{RULE_COMMITTEE}）")
    start, end = branch.term_start, branch.term_end
    if (
        start is not None
        and end is not None
        and not (add_years(start, TERM_MIN_YEARS) <= end <= add_years(start, TERM_MAX_YEARS))
    ):
        out.append(
            f"本届任期 {start.isoformat()} 至 {end.isoformat()}，不在3至5年之间"
            f"（{RULE_TERM}：支部委员会每届任期三年至五年），请核对"
        )
    watched = under_watch(db, on=today)
    for uuid, name in people.items():
        if uuid in watched:
            out.append(
                f"{name} 正在留党察看期间，没有被选举权，不能担任支委（选举工作条例第五条），请结束其任职"
            )
    return out
