"""The command line, run as the user runs it: ``python -m desktop demo/check/backup``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "desktop", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _one_chinese_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("错误：")
    return lines[0]


def test_demo_check_backup_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite"
    result = _run("demo", "--db", str(path), "--members", "30", "--seed", "2", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "党员" in result.stdout and len(result.stdout.strip().splitlines()) == 1

    result = _run("check", "--db", str(path), "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is True and report["integrity"] == ["ok"]
    assert report["counts"]["active"] + report["counts"]["archived"] >= 30  # the parts may add members
    assert isinstance(report["warnings"], list)
    assert report["branch"].endswith("党支部")
    # the demo leaves a quarter without a branch assembly, so there is always something to remind of
    assert report["reminders"] and all(isinstance(r, str) and r for r in report["reminders"])
    # issue 14: the demo's approved postponement of the election is reminded of, not an urgent alarm
    assert any("批准延期换届" in r and r.startswith("[一般]") for r in report["reminders"])

    text = _run("check", "--db", str(path), cwd=tmp_path)
    assert text.returncode == 0 and "完整性检查：通过" in text.stdout
    assert report["reminders"][0] in text.stdout  # the text output lists the same reminders

    out = tmp_path / "copy.sqlite"
    result = _run("backup", "--db", str(path), "--out", str(out), cwd=tmp_path)
    assert result.returncode == 0 and str(out) in result.stdout and out.exists()
    result = _run("backup", "--db", str(path), cwd=tmp_path)
    assert result.returncode == 0
    auto = Path(result.stdout.strip().split("：", 1)[1])
    assert auto.exists() and auto.parent.name == "backups"
    # --out a folder (the USB stick): the copy goes into it under a backup's name, the folder is not refused
    stick = tmp_path / "U盘"
    stick.mkdir()
    result = _run("backup", "--db", str(path), "--out", str(stick), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (copy,) = stick.glob("*.sqlite")
    assert (
        copy.name.startswith(path.stem)
        and copy.name.endswith("-manual.sqlite")
        and str(copy) in result.stdout
    )

    # A second demo into the same database is refused, one line, nothing changed.
    again = _run("demo", "--db", str(path), cwd=tmp_path)
    assert "空数据库" in _one_chinese_error_line(again)


def test_errors_are_one_chinese_line(tmp_path: Path) -> None:
    text_file = tmp_path / "notes.txt"
    text_file.write_text("hello", encoding="utf-8")
    for command in ("check", "backup", "demo"):
        line = _one_chinese_error_line(_run(command, "--db", str(text_file), cwd=tmp_path))
        assert "不是支部工作台的数据库" in line
    assert text_file.read_text(encoding="utf-8") == "hello"
    assert "找不到" in _one_chinese_error_line(
        _run("check", "--db", str(tmp_path / "missing.sqlite"), cwd=tmp_path)
    )
    assert not (tmp_path / "missing.sqlite").exists()
    assert "至少" in _one_chinese_error_line(
        _run("demo", "--db", str(tmp_path / "x.sqlite"), "--members", "0", cwd=tmp_path)
    )


def test_version() -> None:
    result = _run("--version", cwd=ROOT)
    assert result.returncode == 0 and result.stdout.startswith("branchdesk ")


def test_cli_commands_do_not_import_qt(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from desktop import cli\n"
        "path = sys.argv[1]\n"
        "assert cli.main(['demo', '--db', path, '--members', '12']) == 0\n"
        "assert cli.main(['check', '--db', path, '--json']) == 0\n"
        "assert cli.main(['backup', '--db', path]) == 0\n"
        "assert 'PySide6' not in sys.modules, [m for m in sys.modules if 'PySide6' in m]\n"
        "print('NO-QT')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "d.sqlite")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("NO-QT")


@pytest.mark.parametrize("argv", [["check", "--bogus"], ["nosuchcommand"]])
def test_usage_errors_exit_2_in_chinese(tmp_path: Path, argv: list[str]) -> None:
    result = _run(*argv, cwd=tmp_path)
    assert result.returncode == 2 and "参数错误" in result.stderr and "Traceback" not in result.stderr


def test_an_unexpected_error_is_one_scrubbed_line_not_a_traceback(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    from desktop import cli

    def broken(args):  # type: ignore[no-untyped-def]
        raise RuntimeError("lookup failed for 11010519491231002X / 13812345678")

    monkeypatch.setattr(cli, "_cmd_check", broken)
    monkeypatch.delenv("BRANCHDESK_DEBUG", raising=False)
    assert cli.main(["check"]) == cli.EXIT_ERROR
    err = capsys.readouterr().err
    assert len([line for line in err.splitlines() if line.strip()]) == 1 and "Traceback" not in err
    assert "RuntimeError" in err and "<身份证号>" in err and "<手机号>" in err
    assert "11010519491231002X" not in err and "13812345678" not in err


def test_check_settles_a_lapsed_letter_out(tmp_path: Path) -> None:
    """Issue 14 (组通字〔2006〕45号): a member whose letter's validity ended without a receipt becomes 已转出 when the
    database is opened — here by ``branchdesk check`` — from the day after the last valid day."""
    from datetime import date

    from db import members, store, transfers

    path = tmp_path / "branch.sqlite"
    database = store.open(path)
    try:
        m = members.add_member(
            database, values={"name": "张三", "category": "full", "joined_on": date(2010, 7, 1)}
        )
        transfers.transfer_out(
            database,
            member_uuid=m.uuid,
            addressee="某矿党委",
            to_unit="某支部",
            issued_on=date(2026, 1, 5),
            validity_days=30,
            today=date(2026, 1, 5),
        )
        assert members.get_member(database, uuid=m.uuid).status == "active"  # 转出中
    finally:
        store.close(database)
    result = _run("check", "--db", str(path), "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["counts"]["active"] == 0
    database = store.open(path)
    try:
        stored = members.get_member(database, uuid=m.uuid)
        assert (stored.status, stored.status_on) == ("transferred_out", date(2026, 2, 5))
    finally:
        store.close(database)


def test_check_json_carries_the_issue_14_reminders(tmp_path: Path) -> None:
    """``branchdesk check --json``, run as a process, lists issue 14's reminders: an extension of probation voted
    by the 支部党员大会 and waiting for the 上级党委 (党章第七条), the 转正 of a 预备党员 entered by hand (党章第七条),
    and dues arrears that respect quarterly payment (a quarter not yet over is not owed)."""
    from datetime import date, timedelta

    from db import development as dv
    from db import dues, members, store
    from db.dues.quarterly import settled_through
    from db.rules import add_years, make_citizen_id, yuan_to_fen

    today = date.today()
    path = tmp_path / "branch.sqlite"
    db = store.open(path)
    try:
        for i in range(3):
            members.add_member(
                db,
                values={
                    "name": f"老党员{i}",
                    "category": "full",
                    "joined_on": date(2010, 7, 1),
                    "full_on": date(2011, 7, 1),
                    "citizen_id": make_citizen_id("140202", date(1970 + i, 3, 3), 101 + 2 * i),
                },
            )
        # The pipeline: admitted 15 months ago, probation ended 3 months ago, extension voted 80 days ago.
        vote_on = today - timedelta(days=455)
        p = dv.add_person(
            db,
            values={"name": "延期甲", "citizen_id": make_citizen_id("140202", date(1995, 5, 5), 211)},
            applied_on=vote_on - timedelta(days=800),
            today=today,
        )

        def step(kind: str, on: date, **values: object) -> None:
            dv.add_step(db, person_uuid=p.uuid, kind=kind, on=on, values=values, reason="补录", today=today)

        step("admission_vote", vote_on, votes_for=3)
        step("upper_talk", vote_on + timedelta(days=10))
        step("upper_approval", vote_on + timedelta(days=20))
        step("probation_extension", today - timedelta(days=80), votes_for=3, present=3, months=6)
        # A 预备党员 entered by hand, probation ending in ten days.
        members.add_member(
            db,
            values={
                "name": "手录乙",
                "category": "probationary",
                "joined_on": add_years(today + timedelta(days=10), -1),
            },
        )
        # Dues: one member pays monthly, one by quarter with consent; both paid up to two months before the last
        # quarter that is over.
        last = dues.add_month(dues.month_start(today), -1)
        paid_to = dues.add_month(settled_through(last, True), -2)
        start = date(paid_to.year - 1, 1, 1)
        payers = {}
        for name, seq in (("按月丙", 301), ("按季丁", 303)):
            uuid = members.add_member(
                db,
                values={
                    "name": name,
                    "category": "full",
                    "joined_on": date(2012, 7, 1),
                    "full_on": date(2013, 7, 1),
                    "citizen_id": make_citizen_id("140202", date(1980, 8, 8), seq),
                },
            ).uuid
            dues.set_basis(
                db,
                member_uuid=uuid,
                from_month=start,
                category="employed",
                base_fen=yuan_to_fen("5400"),
                today=date(start.year, 1, 31),
            )
            payers[name] = uuid
        month = start
        while month <= paid_to:
            dues.mark_all_paid(db, month=month, paid_on=month + timedelta(days=19), today=today)
            month = dues.add_month(month, 1)
        dues.set_quarterly(
            db, member_uuid=payers["按季丁"], consent_on=start, consent_note="支部委员会会议同意", today=today
        )
    finally:
        store.close(db)

    result = _run("check", "--db", str(path), "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = json.loads(result.stdout)["reminders"]
    assert any("延期甲" in r and "讨论延长预备期" in r and "上级党委审批" in r for r in lines), lines
    assert not any(
        "延期甲" in r and "届满" in r for r in lines
    )  # the branch has discussed it: not "probation ends"
    assert any("手录乙" in r and "预备期将于" in r and "讨论转正" in r for r in lines), lines
    assert not any(
        "按季丁" in r and "党费" in r for r in lines
    )  # two months of a quarter: not three in arrears
    monthly_months = 2 + (dues.month_index(last) - dues.month_index(settled_through(last, True)))
    assert any("按月丙" in r and f"连续 {monthly_months} 个月未交纳党费" in r for r in lines) is (
        monthly_months >= 3
    )


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["export", "--month", "2026-11", "--out", "{folder}"], "是一个文件夹：请在 --out 中写上文件名，如"),
        (["export", "--month", "2026-11", "--out", "{folder}/m.txt"], "须为 .xlsx 文件"),
        (["template", "--out", "{folder}"], "是一个文件夹"),
        (["consolidate", "--out", "{folder}", "{folder}/a.xlsx"], "是一个文件夹"),
        (["stats", "--year", "2025", "--out", "{folder}"], "是一个文件夹"),
        (["signin", "--meeting", "next", "--out", "{folder}"], "文件名.pdf"),
        (["print", "roster", "--out", "{folder}/r.txt"], "须为 .pdf 或 .docx 文件"),
    ],
)
def test_an_out_that_is_a_folder_or_of_another_kind_is_refused_first(
    db_path: Path, tmp_path: Path, capsys, argv: list[str], said: str
) -> None:  # type: ignore[no-untyped-def]
    """``--out`` naming a folder failed late with the wrong advice (check the disk space, close Excel) or named a
    hidden temporary file; an export named .txt was written as a workbook all the same. Each is one line before any
    work, and nothing is written."""
    from desktop.cli import main

    folder = tmp_path / "输出"
    folder.mkdir()
    args = [a.replace("{folder}", str(folder)) for a in argv]
    if args[0] not in ("template", "consolidate"):  # the commands that open a database
        args[1:1] = ["--db", str(db_path)]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert err.startswith("错误：") and said in err and len(err.strip().splitlines()) == 1, err
    assert list(folder.iterdir()) == []
