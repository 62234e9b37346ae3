"""The member roster (党员名册): add, edit, archive, look up, search, validate.

Members are never deleted: leaving is a status change (``archive_member``) with a date and a reason. Every change
is written in one transaction together with its audit entries. Validation (``validate_member``) is the one place
the roster rules live; the member form calls it as the user types and ``add_member``/``update_member`` refuse what
it rejects.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import fields as dc_fields
from datetime import date
from typing import Any

from db import audit, branch, edits
from db.codes import CODED_MEMBER_FIELDS, education_class_of, post_code_of
from db.errors import NotFound, Problem, ValidationError, date_problems, raise_if
from db.records import CATEGORIES, GENDERS, STANDINGS, STATUSES, Member, from_row
from db.rows import named, query_one, where
from db.rules import (
    CitizenIdError,
    add_months,
    add_years,
    citizen_id_forms,
    citizen_id_notes,
    clean_text_field,
    is_valid_mobile,
    normalize_text,
    parse_citizen_id,
    parse_date,
)
from db.store import Database, now_iso

# Everything below is derived from the fields of ``Member`` (db/records.py), so a new member field is declared once
# there (docs/architecture.md, "Adding a member field").
_MEMBER_FIELDS = dc_fields(Member)

# Fields a user (or an import) may set, with their kind. ``party_group`` is given as the group's uuid.
EDITABLE_FIELDS: dict[str, str] = {
    f.metadata["key"] or f.name: f.metadata["kind"] for f in _MEMBER_FIELDS if f.metadata.get("kind")
}

FIELD_LABELS: dict[str, str] = {
    f.metadata["key"] or f.name: f.metadata["label"] for f in _MEMBER_FIELDS if f.metadata.get("label")
}

_CHOICES = {"gender": GENDERS, "category": CATEGORIES, "standing": STANDINGS}

# Fields that do not come from the members table itself; every other field is the column of the same name.
_JOINED = {"party_group_uuid": "g.uuid", "party_group_name": "COALESCE(g.name, '')"}
_SELECT = (
    "SELECT "
    + ", ".join(f"{_JOINED.get(f.name, 'm.' + f.name)} AS {f.name}" for f in _MEMBER_FIELDS)
    + " FROM members m LEFT JOIN party_groups g ON g.id = m.party_group_id"
)


# Roster order (party group, then full before probationary, then join date and name) over ``members m`` joined with
# ``party_groups g``: every list of the roster (the page, the HQ workbook, the dues ledger) is in this order.
ROSTER_ORDER = (
    " ORDER BY g.sort_order IS NULL, g.sort_order, CASE m.category WHEN 'full' THEN 0 ELSE 1 END,"
    " m.joined_on IS NULL, m.joined_on, m.name, m.id"
)


def _members(cursor: Any) -> Iterator[Member]:
    """The members of a query on ``_SELECT``, built by column name."""
    return (from_row(Member, row) for row in named(cursor))


# --- pinyin initials and search ---------------------------------------------------------------------------


def name_initials(name: str) -> str:
    """Every reading's pinyin initials of a name, space-separated (``曾华`` → ``zh ch``).

    Heteronyms are all kept (at most 8 variants) because pypinyin's default reading is wrong for several common
    surnames (曾, 单, 解, 仇, 区, 查, 朴); a search for either reading then finds the person.
    """
    from pypinyin import Style, pinyin

    # Letters in a name (e.g. a transliterated minority name) count one initial each; pypinyin's annotation of
    # ``errors`` omits the list-returning callable it accepts.
    keep_letters: Any = lambda text: list(text.lower())
    per_char = pinyin(name, style=Style.FIRST_LETTER, heteronym=True, errors=keep_letters)
    options = [sorted({p[:1].lower() for p in choices if p}) or [""] for choices in per_char]
    variants = []
    for combo in itertools.islice(itertools.product(*options), 8):
        variants.append("".join(combo))
    return " ".join(dict.fromkeys(v for v in variants if v))


def _matcher(query: str) -> Callable[[Member], bool] | None:
    """The test for one search-box query, built once per keystroke (None: the query matches everyone)."""
    q = normalize_text(query).lower().replace(" ", "")
    if not q:
        return None
    if q.isascii() and q.isalpha():
        # name_initials holds space-separated variants and q has no space, so a substring test never spans two
        return lambda m: q in m.name.lower() or q in m.name_initials
    if len(q) >= 3 and (q.isdigit() or (q[:-1].isdigit() and q[-1] == "x")):
        return lambda m: (
            q in m.name.lower()
            or bool(m.citizen_id and m.citizen_id.lower().endswith(q))
            or m.mobile.endswith(q)
            or m.landline.endswith(q)
        )
    return lambda m: q in m.name.lower()


def matches(member: Member, query: str) -> bool:
    """Does ``member`` match what was typed in a search box?

    Name substring (``张``), pinyin initials (``zs`` finds 张三), or digits (at least 3) that end the citizen ID
    or the mobile/landline (``5678``). An empty query matches everyone.
    """
    test = _matcher(query)
    return test is None or test(member)


def filter_members(members: Iterable[Member], query: str) -> list[Member]:
    """The members matching a search-box query (as ``matches``), in their order; the query is parsed once."""
    test = _matcher(query)
    return list(members) if test is None else [m for m in members if test(m)]


# --- reading ----------------------------------------------------------------------------------------------


def get_member(db: Database, *, uuid: str) -> Member:
    """The member with this stable id. Raises ``NotFound``."""
    member = next(_members(db.execute(_SELECT + " WHERE m.uuid = ?", [uuid])), None)
    if member is None:
        raise NotFound(f"找不到该党员（{uuid}）")
    return member


def find_by_citizen_id(db: Database, *, citizen_id: str) -> Member | None:
    """The member (active or archived) holding this citizen ID, or None. A legacy 15-digit number and its 18-digit
    form are one person: either form finds the member stored with the other."""
    forms = citizen_id_forms(citizen_id)
    return next(
        _members(db.execute(_SELECT + f" WHERE m.citizen_id IN ({','.join('?' * len(forms))})", list(forms))),
        None,
    )


def list_members(
    db: Database,
    *,
    status: str | None = "active",
    party_group_uuid: str | None = None,
    category: str | None = None,
    standing: str | None = None,
    query: str = "",
) -> list[Member]:
    """Members in roster order (party group, then full before probationary, then join date and name).

    ``status=None`` lists everyone including archived members; the other filters are exact; ``query`` is
    matched as by ``matches``.
    """
    clause, params = where(
        {
            "m.status = ?": status,
            "g.uuid = ?": party_group_uuid,
            "m.category = ?": category,
            "m.standing = ?": standing,
        }
    )
    return filter_members(_members(db.execute(_SELECT + clause + ROSTER_ORDER, params)), query)


def roster_uuids(db: Database) -> list[str]:
    """The uuids of every member, archived ones included, in roster order (as ``list_members(status=None)``),
    without building the members: what sorting by the roster needs."""
    sql = "SELECT m.uuid FROM members m LEFT JOIN party_groups g ON g.id = m.party_group_id" + ROSTER_ORDER
    return [row[0] for row in db.execute(sql)]


def count_members(db: Database) -> dict[str, int]:
    """Counts for the home page and the branch-size warnings: full, probationary, active, archived."""
    row = query_one(
        db,
        """
        SELECT sum(status = 'active' AND category = 'full') AS full,
               sum(status = 'active' AND category = 'probationary') AS probationary,
               sum(status = 'active') AS active, sum(status != 'active') AS archived,
               sum(status = 'active' AND mobile_member = 1) AS mobile
        FROM members
        """,
    )
    assert row is not None  # an aggregate always gives one row
    return {k: int(v or 0) for k, v in row.items()}


def branch_size_warnings(db: Database) -> list[str]:
    """The branch-size rules of 支部工作条例 (2018), as warnings (never blocks)."""
    counts = count_members(db)
    warnings = []
    if counts["full"] < 3:
        warnings.append(f"正式党员 {counts['full']} 人，不足 3 人，按规定不足以成立党支部")
    if counts["active"] > 50:
        warnings.append(f"党员 {counts['active']} 人，超过 50 人，一般应考虑分设党支部")
    if counts["full"] < 7:
        warnings.append(f"正式党员 {counts['full']} 人，不足 7 人，按规定不设支部委员会")
    return warnings


# --- validation -------------------------------------------------------------------------------------------


def clean_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """Normalise user input: text stripped and half-width, IDs upper-case, dates as ``date``, booleans as bool.

    Unknown keys raise ``KeyError`` (a programming error, not user input).
    """
    return {key: clean_value(EDITABLE_FIELDS[key], key, value) for key, value in values.items()}


def clean_value(kind: str, key: str, value: Any) -> Any:
    """One field of user input normalised by its kind (those of ``member_field``): a date as ``date``, a bool
    as bool, a flag as bool or None (not known), an empty choice or group as None, a code as text (``''`` not
    coded), text as ``clean_text_field`` gives it (``key`` names the field)."""
    if kind == "date":
        return parse_date(value)
    if kind == "bool":
        return bool(value)
    if kind in ("choice", "group"):
        return value or None
    if kind == "code":
        return normalize_text(str(value or ""))
    if kind == "flag":
        return None if value is None or value == "" else bool(value)
    return clean_text_field(key, value)


def validate_member(
    db: Database,
    *,
    values: Mapping[str, Any],
    uuid: str | None = None,
    today: date | None = None,
    check_duplicates: bool = True,
    clean: bool = True,
    warnings: bool = True,
) -> list[Problem]:
    """All problems of a member record (errors and warnings), each naming its field.

    ``values`` is the complete record for a new member, or the merged record for an edit (``uuid`` given, so the
    member's own citizen ID is not a duplicate). Checks: name and category present; citizen ID check digit, and
    birth date and gender agreeing with it (legacy 15-digit numbers only warn); mobile 11 digits starting with 1;
    joined on or after the 18th birthday; full_on after joined_on and absent for probationary members; no date in
    the future; the citizen ID not held by another member (naming who; ``check_duplicates=False`` skips that
    query when the caller already knows, as the roster import does for 50,000 rows against its own index).
    ``clean=False`` takes ``values`` as already normalised (the workbook reader parses each cell to its stored
    form: dates, codes, bools, trimmed NFKC text) instead of running ``clean_values`` over them again.
    ``warnings=False`` gives the errors only (what ``errors_only`` keeps) without composing the warnings.
    """
    v = clean_values(values) if clean else values
    today = today or date.today()
    problems: list[Problem] = []
    if not v.get("name"):
        problems.append(Problem("name", "请填写姓名"))
    for key, choices in _CHOICES.items():
        if v.get(key) is not None and v[key] not in choices:
            problems.append(Problem(key, f"{FIELD_LABELS[key]}的取值无效：{v[key]}"))
    problems += code_problems(v)
    if not v.get("category"):
        problems.append(Problem("category", "请选择人员类别（正式党员或预备党员）"))

    birth, gender = v.get("birth_date"), v.get("gender")
    cid = v.get("citizen_id")
    if cid:
        try:
            parsed = parse_citizen_id(cid, today=today)
        except CitizenIdError as exc:
            problems.append(Problem("citizen_id", str(exc)))
        else:
            if parsed.legacy and warnings:
                problems.append(
                    Problem("citizen_id", "这是旧的 15 位身份证号码，请尽量更换为 18 位号码", warning=True)
                )
            if warnings:
                problems.extend(
                    Problem("citizen_id", note, warning=True) for note in citizen_id_notes(parsed.number)
                )
            if birth and birth != parsed.birth_date:
                problems.append(
                    Problem(
                        "birth_date",
                        f"出生日期与公民身份号码不一致（号码中为 {parsed.birth_date:%Y-%m-%d}）",
                    )
                )
            if gender and gender != parsed.gender:
                problems.append(
                    Problem("gender", f"性别与公民身份号码不一致（号码中为{GENDERS[parsed.gender]}）")
                )
            birth = birth or parsed.birth_date
            duplicate = None
            if check_duplicates:  # the 15- and 18-digit forms are one person
                forms = citizen_id_forms(parsed.number)
                duplicate = query_one(
                    db,
                    f"SELECT name, status FROM members WHERE citizen_id IN ({','.join('?' * len(forms))}) "
                    "AND uuid IS NOT ?",
                    [*forms, uuid],
                )
            if duplicate:
                status = duplicate["status"]
                where = "" if status == "active" else f"（{STATUSES[status]}）"
                problems.append(
                    Problem(
                        "citizen_id", f"该公民身份号码已属于党员 {duplicate['name']}{where}，不能重复录入"
                    )
                )

    mobile = v.get("mobile")
    if mobile and not is_valid_mobile(mobile):
        problems.append(Problem("mobile", "手机号应为以 1 开头的 11 位数字"))

    for key in ("birth_date", "joined_on", "full_on", "lost_contact_on"):
        if v.get(key):
            problems += date_problems(key, FIELD_LABELS[key], v[key], today=today)

    joined, full_on = v.get("joined_on"), v.get("full_on")
    if joined and birth and joined < add_years(birth, 18):
        problems.append(Problem("joined_on", "加入党组织日期早于年满 18 周岁，请核对"))
    if full_on and joined and full_on <= joined:
        problems.append(Problem("full_on", "转为正式党员日期必须晚于加入党组织日期"))
    if v.get("category") == "probationary" and full_on:
        problems.append(Problem("full_on", "预备党员不应有转为正式党员日期"))
    if warnings:
        problems += _probation_problems(v.get("category"), joined, full_on)
    if v.get("lost_contact") and not v.get("lost_contact_on"):
        problems.append(Problem("lost_contact_on", "失联党员请填写失去联系日期"))
    if warnings and v.get("mobile_member") and not v.get("outflow_place"):
        problems.append(Problem("outflow_place", "流动党员请填写外出流向", warning=True))
    return problems


def code_problems(values: Mapping[str, Any]) -> list[Problem]:
    """A coded field (工作岗位代码, 学历分类, 专业技术职务) holding a value not in its list (``db.codes``)."""
    problems = []
    for key, allowed in CODED_MEMBER_FIELDS.items():
        value = values.get(key)
        if value and value not in allowed:
            problems.append(
                Problem(key, f"{FIELD_LABELS[key]}「{value}」不在国家统计代码表中，请从下拉列表中选择")
            )
    return problems


def derived_codes(values: Mapping[str, Any], before: Mapping[str, Any] | None = None) -> dict[str, str]:
    """The codes worked out from the free text when the caller gives none (``db.codes``): 学历分类 from 学历 and
    工作岗位代码 from 工作岗位. For an edit (``before`` the stored values) a code follows its text only while it
    still is what the old text gave (so a code the secretary chose by hand is never overwritten)."""
    derived = {}
    for code_key, text_key, of in (
        ("education_class", "education", education_class_of),
        ("post_code", "job", post_code_of),
    ):
        if code_key in values or text_key not in values:
            continue
        if before is None or before.get(code_key, "") == of(before.get(text_key)):
            derived[code_key] = of(values[text_key])
    return derived


def category_requirements(values: Mapping[str, Any]) -> list[Problem]:
    """What the member form requires before it saves, by category: the date of joining the Party for everyone,
    and for a 正式党员 also the date of becoming full. (Imports and old records may lack them, so
    ``validate_member`` does not demand them; the form does, so a new entry is complete.)"""
    v = clean_values(values)
    problems: list[Problem] = []
    category = v.get("category")
    if category in CATEGORIES and not v.get("joined_on"):
        problems.append(Problem("joined_on", f"{CATEGORIES[category]}请填写加入党组织日期"))
    if category == "full" and not v.get("full_on"):
        problems.append(Problem("full_on", "正式党员请填写转为正式党员日期"))
    return problems


def _probation_problems(category: object, joined: date | None, full_on: date | None) -> list[Problem]:
    """Warnings (issue 14, 党章第七条: 预备党员的预备期为一年…党员的党龄，从预备期满转为正式党员之日算起): full_on is one
    year after joined_on, or one year plus an extension of 6–12 months; a full member without joined_on is
    incomplete."""
    if category == "full" and joined is None:
        return [Problem("joined_on", "正式党员未填写加入党组织日期，记录不完整", warning=True)]
    if joined is None or full_on is None or full_on <= joined:
        return []
    expected = add_years(joined, 1)
    if full_on == expected:
        return []
    earliest, latest = add_months(expected, 6), add_months(expected, 12)
    if earliest <= full_on <= latest:
        return []
    return [
        Problem(
            "full_on",
            f"转为正式党员日期（{full_on}）与加入党组织日期（{joined}）不符：预备期为一年，应为 {expected}"
            f"（延长预备期的为 {earliest} 至 {latest}）。党龄从转正之日算起（党章第七条），请核对",
            warning=True,
        )
    ]


def errors_only(problems: Iterable[Problem]) -> list[Problem]:
    """The problems that block saving (warnings removed)."""
    return [p for p in problems if not p.warning]


# --- writing ----------------------------------------------------------------------------------------------


def _column_values(db: Database, v: Mapping[str, Any]) -> dict[str, Any]:
    cols = edits.stored_columns(
        v, {"party_group": ("party_group_id", lambda u: branch.party_group_id(db, uuid=u))}
    )
    if "citizen_id" in cols:
        cols["citizen_id"] = cols["citizen_id"] or None  # blank is NULL: the column is unique
    if "name" in v:
        cols["name_initials"] = name_initials(v["name"])
    return cols


_MEMBERS = edits.Table("members", "member", _column_values)


def _as_values(member: Member) -> dict[str, Any]:
    """The editable fields of a stored member, in the shape ``validate_member`` takes."""
    values = {name: getattr(member, name) for name in EDITABLE_FIELDS if name != "party_group"}
    values["party_group"] = member.party_group_uuid
    return values


def add_member(
    db: Database,
    *,
    values: Mapping[str, Any],
    source: str = "local",
    batch: str | None = None,
    member_uuid: str | None = None,
) -> Member:
    """Add a member to the roster. Missing birth date and gender are filled from the citizen ID.

    Raises ``ValidationError`` (nothing saved) when ``validate_member`` reports an error. ``member_uuid`` keeps the
    stable id a record brings from a workbook.
    """
    v = clean_values(values)
    if v.get("citizen_id"):
        try:
            parsed = parse_citizen_id(v["citizen_id"])
        except CitizenIdError:
            pass
        else:
            v.setdefault("birth_date", parsed.birth_date)
            v["birth_date"] = v["birth_date"] or parsed.birth_date
            v["gender"] = v.get("gender") or parsed.gender
            v["citizen_id"] = parsed.number
    v.setdefault("standing", "normal")
    v.update(derived_codes(v))
    raise_if(validate_member(db, values=v))
    with db.atomic():
        new_uuid = edits.insert_row(
            db, "members", {**_column_values(db, v), "status": "active"}, uuid=member_uuid
        )
        audit.Trail(db, "member", new_uuid, source=source, batch=batch).create("name", new=v.get("name"))
    return get_member(db, uuid=new_uuid)


def update_member(
    db: Database, *, uuid: str, changes: Mapping[str, Any], source: str = "local", batch: str | None = None
) -> Member:
    """Change fields of a member; every changed field goes to the audit log with old and new value.

    The merged record is validated as a whole; raises ``ValidationError`` (nothing saved) or ``NotFound``.
    Returns the member as stored. Unchanged fields are not written or logged.
    """
    with db.atomic():
        old = get_member(db, uuid=uuid)
        before = _as_values(old)
        new = clean_values(changes)
        new.update(derived_codes(new, before))
        merged = {**before, **new}
        raise_if(validate_member(db, values=merged, uuid=uuid))
        changed = edits.changed_fields(before, new)
        if not changed:
            return old
        shown = functools.partial(_audited, db, old)
        edits.update_fields(
            db, _MEMBERS, uuid, before=before, changed=changed, shown=shown, source=source, batch=batch
        )
    return get_member(db, uuid=uuid)


def _audited(db: Database, old: Member, key: str, before: Any, value: Any) -> tuple[str, Any, Any]:
    """A changed field as the audit log shows it: the party group by name, everything else as stored."""
    if key != "party_group":
        return key, before, value
    group = query_one(db, "SELECT name FROM party_groups WHERE uuid = ?", [value])
    return key, old.party_group_name, group["name"] if group else None


def archive_member(
    db: Database, *, uuid: str, status: str, on: date, reason: str, source: str = "local"
) -> Member:
    """Take a member off the active roster (已转出 / 已减员) on a date with a reason; the record stays.

    Raises ``ValidationError`` for an unknown status, a missing reason, a date in the future or before joining.
    """
    reason = normalize_text(reason)
    problems = []
    if status not in STATUSES or status == "active":
        problems.append(Problem("status", "请选择减员类型（已转出或已减员）"))
    if not reason:
        problems.append(Problem("status_reason", "请填写原因（如：转出至某单位、去世、出党）"))
    problems += date_problems("status_on", "日期", on, today=date.today())
    with db.atomic():
        old = get_member(db, uuid=uuid)
        if old.joined_on and on < old.joined_on:
            problems.append(Problem("status_on", "日期不能早于加入党组织日期"))
        if old.status != "active":
            problems.append(Problem("status", f"{old.name} 已经是「{STATUSES[old.status]}」状态"))
        if problems:
            raise ValidationError(problems)
        edits.archive(db, _MEMBERS, uuid, old=old.status, status=status, on=on, reason=reason, source=source)
    return get_member(db, uuid=uuid)


def restore_member(db: Database, *, uuid: str, reason: str, source: str = "local") -> Member:
    """Put an archived member back on the active roster (e.g. archived by mistake, or returning)."""
    reason = normalize_text(reason)
    if not reason:
        raise ValidationError([Problem("status_reason", "请填写恢复在册的原因")])
    with db.atomic():
        old = get_member(db, uuid=uuid)
        if old.status == "active":
            return old
        db.execute(
            "UPDATE members SET status = 'active', status_on = NULL, status_reason = '', updated_at = ? "
            "WHERE uuid = ?",
            [now_iso(), uuid],
        )
        audit.Trail(db, "member", uuid, source=source).status(
            old.status, f"active：{reason}", action="restore"
        )
    return get_member(db, uuid=uuid)


def member_fields() -> list[str]:
    """Names of the fields of ``Member``, in order (for tables and exports)."""
    return [f.name for f in dc_fields(Member)]
