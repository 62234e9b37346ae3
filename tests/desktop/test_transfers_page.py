"""The 组织关系 page and its dialogs, driven as a user would (dialogs opened with open(), saved with save())."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate

from db import members, transfers
from db.rules import make_citizen_id
from desktop.context import AppContext
from desktop.models.transfers import EventsModel, MobileModel, TimelineModel, TransfersModel

TODAY = date(2026, 3, 15)


@pytest.fixture
def ctx(db):  # type: ignore[no-untyped-def]
    for i, name in enumerate(("张伟", "李娜", "王强")):
        members.add_member(
            db,
            values={
                "name": name,
                "category": "full",
                "joined_on": date(2010, 7, 1),
                "citizen_id": make_citizen_id("140202", date(1980, 2, 1 + i), 11 + 2 * i),
            },
        )
    return AppContext(db)


@pytest.fixture
def page(qtbot, ctx):  # type: ignore[no-untyped-def]
    from desktop.pages.transfers import Page

    p = Page(ctx, today=TODAY)
    qtbot.addWidget(p)
    p.resize(1366, 768)
    p.show()
    return p


def _uuid(db, name):  # type: ignore[no-untyped-def]
    return next(m.uuid for m in members.list_members(db, status=None) if m.name == name)


def test_models(qtmodeltester, ctx) -> None:  # type: ignore[no-untyped-def]
    db = ctx.db
    zhang, li = _uuid(db, "张伟"), _uuid(db, "李娜")
    transfers.transfer_out(
        db, member_uuid=zhang, addressee="甲", to_unit="乙", issued_on=date(2026, 1, 5), today=TODAY
    )
    transfers.start_mobile(
        db,
        member_uuid=li,
        province="山西省",
        reason="培训",
        started_on=date(2025, 8, 1),
        contact="13812345678",
        today=TODAY,
    )
    transfers.record_event(
        db, member_uuid=li, kind="lost_contact", happened_on=date(2026, 1, 1), reason="x", today=TODAY
    )
    models = []
    for model, rows in (
        (TransfersModel(), transfers.list_transfers(db)),
        (MobileModel(), transfers.list_mobile_periods(db)),
        (EventsModel(), transfers.list_events(db)),
        (TimelineModel(), transfers.member_timeline(db, member_uuid=li)),
    ):
        model.set_rows(rows, today=TODAY)
        qtmodeltester.check(model)
        models.append(model)
    assert models[0].index(0, 8).data() == "回执逾期"
    assert models[1].index(0, 5).data() == "138****5678"  # phones masked
    assert models[1].index(0, 4).data() == "7"


def test_transfer_out_through_dialog_then_receipt(qtbot, page, ctx, tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = ctx.db
    zhang = _uuid(db, "张伟")
    dialog = page.transfer_out()
    dialog.member.setCurrentIndex(dialog.member.findData(zhang))
    assert not dialog.save_button.isEnabled()  # addressee and to-unit missing
    dialog.addressee.setText("中共塔山煤矿委员会")  # keyClicks only types ASCII
    dialog.to_unit.setText("塔山煤矿综采二队党支部")  # keyClicks only types ASCII
    dialog.issued_on.setDate(QDate(2026, 3, 2))
    dialog.dues_month.setDate(QDate(2026, 2, 1))
    dialog.validity.setValue(91)
    assert not dialog.save_button.isEnabled()
    assert "90" in dialog.findChild(type(dialog.error), "validity_days_reason").text()
    dialog.validity.setValue(30)
    dialog.issued_on.setDate(QDate(2026, 3, 16))  # after "today"
    assert not dialog.save_button.isEnabled()
    assert "晚于今天" in dialog.findChild(type(dialog.error), "issued_on_reason").text()
    dialog.issued_on.setDate(QDate(2026, 3, 2))
    assert dialog.serial_preview.text() == "2026-001"
    assert dialog.save_button.isEnabled()
    with qtbot.waitSignal(dialog.saved):
        saved = dialog.save()
    assert saved.serial == "2026-001"
    # 转出中: the member stays on the roster until the receipt comes back (组通字〔2006〕45号, 教管条例第二十五条)
    assert members.get_member(db, uuid=zhang).status == "active"
    # the page refreshed and selected the new transfer; nobody has left the roster yet
    assert page.transfers_model.rowCount() == 1 and page.current_transfer().uuid == saved.uuid
    assert page.archived_model.rowCount() == 0
    assert page.print_button.isEnabled() and page.letter_data().name == "张伟"
    pdf = page.save_letter_pdf(tmp_path / "letter.pdf")
    assert pdf is not None and pdf.read_bytes().startswith(b"%PDF")
    preview = page.print_letter()  # QPrintPreviewDialog over the same layout, opened without blocking
    assert preview.isVisible()
    # …and its 「Word 文档…」 writes the same letter from the branch's Word template (issue 21)
    assert preview.word_action is not None and preview.word_action.text() == "Word 文档…"
    docx = preview.save_word(tmp_path / "letter.docx")
    from docx import Document

    assert docx is not None and "张伟同志" in "".join(p.text for p in Document(str(docx)).paragraphs)
    preview.close()

    receipt = page.record_receipt()
    receipt.returned_on.setDate(QDate(2026, 3, 1))  # before the issue date: refused as you type
    assert not receipt.save_button.isEnabled()
    receipt.returned_on.setDate(QDate(2026, 3, 10))
    with qtbot.waitSignal(receipt.saved):
        receipt.save()
    assert transfers.get_transfer(db, uuid=saved.uuid).receipt_on == date(2026, 3, 10)
    member = members.get_member(db, uuid=zhang)
    assert member.status == "transferred_out" and member.status_on == date(2026, 3, 10)
    assert page.archived_model.rowCount() == 1
    assert not page.receipt_button.isEnabled()
    assert page.transfers_model.index(0, 8).data() == "已回执"

    path = page.export_xlsx(tmp_path / "登记.xlsx")
    from openpyxl import load_workbook

    ws = load_workbook(path)["组织关系转接"]
    assert [c.value for c in ws[2]][:3] == ["2026-001", "转出", "张伟"]


def test_transfer_in_dialog_reactivates_and_filters(qtbot, page, ctx) -> None:  # type: ignore[no-untyped-def]
    db = ctx.db
    wang = members.get_member(db, uuid=_uuid(db, "王强"))
    transfers.transfer_out(
        db, member_uuid=wang.uuid, addressee="甲", to_unit="乙", issued_on=date(2025, 5, 5), today=TODAY
    )
    transfers.settle_transfers_out(db, today=TODAY)  # the letter lapsed long ago: 已转出
    ctx.notify("transfers")
    dialog = page.transfer_in()
    qtbot.keyClicks(dialog.citizen_id, "140202198002010111")  # wrong check digit
    assert not dialog.save_button.isEnabled()
    assert dialog.findChild(type(dialog.error), "citizen_id_reason").text()
    dialog.citizen_id.setText(wang.citizen_id)
    assert "将恢复原档案" in dialog.match.text() and dialog.name.text() == "王强"
    dialog.from_unit.setText("乙")  # keyClicks only types ASCII
    qtbot.keyClicks(dialog.letter_serial, "2026-044")
    dialog.arrived_on.setDate(QDate(2026, 3, 1))
    assert dialog.save_button.isEnabled(), dialog.error.text()
    with qtbot.waitSignal(dialog.saved):
        t = dialog.save()
    assert t.member_uuid == wang.uuid and members.get_member(db, uuid=wang.uuid).status == "active"
    assert page.transfers_model.rowCount() == 2
    page.apply_filters({"direction": "in"})
    assert page.transfers_model.rowCount() == 1
    page.apply_filters({"receipt": "overdue"})
    assert [r.direction for r in page.transfers_model.records()] == ["out"]
    assert "回执逾期" in page.banner.text()


def test_mobile_and_event_dialogs(qtbot, page, ctx) -> None:  # type: ignore[no-untyped-def]
    db = ctx.db
    li = _uuid(db, "李娜")
    dialog = page.start_mobile()
    dialog.member.setCurrentIndex(dialog.member.findData(li))
    dialog.province.setText("陕西省")  # keyClicks only types ASCII
    dialog.reason.setText("驻厂学习")  # keyClicks only types ASCII
    dialog.started_on.setDate(QDate(2025, 9, 15))
    with qtbot.waitSignal(dialog.saved):
        dialog.save()
    assert members.get_member(db, uuid=li).outflow_place == "陕西省"
    assert page.tabs.currentIndex() == 1 and page.mobile_model.rowCount() == 1
    assert "需要转接组织关系" in page.banner.text()
    page.mobile_view.setCurrentIndex(page.mobile_proxy.index(0, 0))
    end = page.end_mobile()
    with qtbot.waitSignal(end.saved):
        end.save()
    assert not members.get_member(db, uuid=li).mobile_member

    event = page.standing_event()
    event.member.setCurrentIndex(event.member.findData(li))
    event.kind.setCurrentIndex(event.kind.findData("lost_contact"))
    assert not event.save_button.isEnabled()
    event.reason.setText("电话停机")  # keyClicks only types ASCII
    with qtbot.waitSignal(event.saved):
        event.save()
    assert members.get_member(db, uuid=li).lost_contact
    assert page.events_model.rowCount() == 1
    page.events_view.setCurrentIndex(page.events_proxy.index(0, 0))
    timeline = page.show_timeline()
    assert any("失去联系" in e.text for e in timeline.model.records())


def test_render_page(qtbot, page, ctx, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with ctx.db.atomic():
        for i in range(6):
            members.add_member(
                ctx.db,
                values={
                    "name": f"赵{'一二三四五六'[i]}",
                    "category": "full",
                    "joined_on": date(2008, 1, 1),
                    "full_on": date(2009, 1, 1),
                    "citizen_id": make_citizen_id("140211", date(1975, 3, 1 + i), 31 + 2 * i),
                },
            )
        import random

        transfers.demo_transfers(ctx.db, rng=random.Random(3), today=TODAY)
    ctx.notify("transfers")
    page.grab().save(str(tmp_path / "transfers_page.png"))
    assert (tmp_path / "transfers_page.png").stat().st_size > 10_000
    assert page.transfers_model.rowCount() == 3


def test_standing_dialog_records_a_watch_with_its_period(qtbot, page, ctx) -> None:  # type: ignore[no-untyped-def]
    """Issue 14: 留党察看 is chosen by name, needs its end (the field is enabled only for it), keeps its decision; the
    roster shows the member 留党察看至 … beside the standing; a leaving kind's Save says it takes them off."""
    from desktop.models.members import COLUMN_KEYS, MembersModel

    db = ctx.db
    zhang = _uuid(db, "张伟")
    event = page.standing_event()
    event.member.setCurrentIndex(event.member.findData(zhang))
    event.kind.setCurrentIndex(event.kind.findData("expulsion"))
    assert not event.ends_on.isEnabled() and event.save_button.text() == "登记并减员"
    event.kind.setCurrentIndex(event.kind.findData("probation_watch"))
    assert event.ends_on.isEnabled() and event.save_button.text() == "保存"
    event.happened_on.setDate(QDate(2026, 1, 10))
    event.ends_on.setDate(QDate(2028, 1, 11))  # more than two years
    event.reason.setText("违反工作纪律")
    event.decision.setText("矿党委 党纪〔2026〕2号")
    assert event.save_button.isEnabled()  # the two-year limit is the data layer's: shown when saving
    assert event.save() is None and "两年" in event.findChild(type(event.error), "ends_on_reason").text()
    event.ends_on.setDate(QDate(2027, 1, 9))
    with qtbot.waitSignal(event.saved):
        saved = event.save()
    assert saved.kind == "probation_watch" and saved.ends_on == date(2027, 1, 9)
    assert members.get_member(db, uuid=zhang).status == "active"
    model = MembersModel()
    model.set_members(members.list_members(db))
    model.set_marks(transfers.roster_marks(db, today=TODAY))
    row = model.row_of(zhang)
    assert model.index(row, COLUMN_KEYS.index("standing")).data() == "正常；留党察看至 2027-01-09"
    assert "留党察看（2026-01-10 至 2027-01-09）" in [
        page.events_model.index(r, 2).data() for r in range(page.events_model.rowCount())
    ]


def test_opening_the_database_settles_lapsed_letters(db) -> None:  # type: ignore[no-untyped-def]
    """Issue 14: when the program opens a database (its ``AppContext``), a member whose letter out lapsed without a
    receipt becomes 已转出; one whose letter is still valid stays 转出中."""
    today = date.today()
    lapsed, pending = (
        members.add_member(db, values={"name": n, "category": "full", "joined_on": date(2010, 7, 1)}).uuid
        for n in ("甲", "乙")
    )
    transfers.transfer_out(
        db, member_uuid=lapsed, addressee="甲", to_unit="乙", issued_on=date(2025, 5, 5), today=today
    )
    transfers.transfer_out(
        db, member_uuid=pending, addressee="甲", to_unit="乙", issued_on=today, today=today
    )
    AppContext(db)
    assert members.get_member(db, uuid=lapsed).status == "transferred_out"
    assert members.get_member(db, uuid=pending).status == "active"
