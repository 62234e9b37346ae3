"""``branchdesk print``: every printout the GUI offers can be made from the command line, with its title on every
page; mistakes get one Chinese line, never a traceback."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from db import demo, members, store
from desktop import cli
from desktop.printing import catalogue
from tests.desktop.test_printed_tables import page_texts

ROOT = Path(__file__).resolve().parents[2]
INFRASTRUCTURE = {"pdf", "preview", "table", "wrap", "text_layer", "catalogue"}
# The recovery sheet of the database password (dialogs/password_dialog.py) is printed once, when the code is
# made, and never again: it is written through desktop.printing.pdf directly and has no command-line form.


def gui_print_actions() -> dict[str, set[str]]:
    """The GUI's print actions, read from its sources: page file -> keys of the actions it offers."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / "desktop" / "pages").glob("*.py")) + sorted(
        (ROOT / "desktop" / "dialogs").glob("*.py")
    ):
        source = path.read_text(encoding="utf-8")
        modules = set(re.findall(r"from desktop\.printing(?:\.(\w+))? import (\w+)", source))
        printing = {m or name for m, name in modules} - INFRASTRUCTURE
        if not printing:
            continue
        keys = set(re.findall(r'print_preview\("(\w+)"\)', source))  # 党费: ledger, publication, year
        keys |= set(re.findall(r"def preview_(\w+)\(", source))  # 会议: signin, minutes
        keys |= set(re.findall(r"self\.print_(\w+)_button\b", source))  # 项目: projects, findings
        found[f"{path.parent.name}/{path.name}"] = keys
    return found


def test_print_list_covers_every_printout_of_the_gui(capsys) -> None:
    assert cli.main(["print", "--list"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in listed] == [p.kind for p in catalogue.PRINTOUTS]
    assert all(re.search(r"[\u4e00-\u9fff]", line) for line in listed)  # each with its Chinese name
    offered = {g for p in catalogue.PRINTOUTS for g in p.gui}
    actions = gui_print_actions()
    assert {"pages/meetings.py", "pages/members.py", "pages/dues.py", "pages/projects.py"} <= set(actions)
    for page, keys in actions.items():
        assert any(g.startswith(page + ":") for g in offered), page
        for key in keys:
            assert f"{page}:{key}" in offered, (page, key)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    database = store.open(path, create=True)
    try:
        demo.generate(database, members=40, seed=1)
    finally:
        store.close(database)
    return path


TITLES = {
    "signin": "签到表",
    "minutes": "记录",
    "roster": "党员名册",
    "development": "发展党员工作台账",
    "transfer-letter": "中国共产党党员组织关系介绍信",
    "dues-ledger": "党费收缴台账",
    "dues-publication": "党费收缴公示",
    "dues-year": "党费收缴汇总",
    "projects": "项目台账",
    "findings": "检查整改台账",
    "election-request": "换届选举的请示",
    "election-method": "选举办法",
    "ballot": "选票",
    "election-count": "计票结果",
    "election-report": "换届选举结果的报告",
    "life-meeting-report": "组织生活会情况报告",
    "appraisal-ballot": "民主评议党员民主测评表",
    "appraisal-result": "民主评议党员结果报告",
}
EXTRA = {"appraisal-ballot": ["--voters", "3"]}  # one anonymous copy per voter


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize("kind", [p.kind for p in catalogue.PRINTOUTS])
def test_each_printout_writes_a_pdf_with_its_title_on_every_page(
    kind, demo_db, tmp_path, capsys, qapp
) -> None:
    assert set(TITLES) == set(catalogue.BY_KIND)
    out = tmp_path / f"{kind}.pdf"
    argv = ["--db", str(demo_db), "print", kind, "--out", str(out), *EXTRA.get(kind, [])]
    assert cli.main(argv) == 0, capsys.readouterr().err
    assert str(out) in capsys.readouterr().out
    pages = page_texts(out)
    for n, text in enumerate(pages, 1):
        assert TITLES[kind] in text, (kind, n)
        if kind != "transfer-letter":  # the letter names the branch as issuer, not in a title
            assert "东山煤矿综采一区党支部" in text, (kind, n)
        assert "…" not in text, (kind, n)
    if kind in ("roster", "dues-ledger"):  # one line per member on the roster: every name is searchable
        database = store.open(demo_db)
        try:
            names = [m.name for m in members.list_members(database)]
        finally:
            store.close(database)
        assert all(name in "".join(pages) for name in names)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_records_and_periods_are_chosen(demo_db, tmp_path, capsys, qapp) -> None:
    out = tmp_path / "x.pdf"
    assert (
        cli.main(["--db", str(demo_db), "print", "dues-ledger", "--month", "2026-03", "--out", str(out)]) == 0
    )
    assert "2026年3月党费收缴台账" in "".join(page_texts(out))
    assert cli.main(["--db", str(demo_db), "print", "projects", "--year", "2025", "--out", str(out)]) == 0
    assert "2025年" in capsys.readouterr().out
    assert (
        cli.main(["--db", str(demo_db), "print", "signin", "--id", "2026-主题党日-1", "--out", str(out)]) == 0
    )
    assert "主题党日 2026年第1次" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["print", "nosuch", "--out", "x.pdf"], "没有名为「nosuch」的打印件"),
        (["print", "dues-ledger", "--month", "2026-13", "--out", "x.pdf"], "月份「2026-13」格式不对"),
        (["print", "dues-ledger", "--year", "2026", "--out", "x.pdf"], "按月份打印"),
        (["print", "roster", "--year", "2026", "--out", "x.pdf"], "不按期间打印"),
        (["print", "roster"], "--out"),
        (["print", "transfer-letter", "--id", "1999-999", "--out", "x.pdf"], "1999-999"),
        (["print", "minutes", "--id", "2026-党课-99", "--out", "x.pdf"], "2026-党课-99"),
    ],
)
def test_mistakes_get_one_chinese_line(argv, message, demo_db, tmp_path, capsys, monkeypatch, qapp) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli.main(["--db", str(demo_db), *argv]) == cli.EXIT_ERROR
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1 and err.startswith("错误：")
    assert "Traceback" not in err
