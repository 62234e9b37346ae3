"""A member's timeline: transfers, mobile periods, standing events and every recorded change, oldest first
(``db.transfers.member_timeline``). Read-only; works for archived members too."""

from __future__ import annotations

from db import members as members_db
from db import transfers as transfers_db
from db.records import STATUSES
from desktop.context import AppContext
from desktop.models.transfers import TimelineModel
from desktop.qt import *


class TimelineDialog(QDialog):
    def __init__(self, ctx: AppContext, member_uuid: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        member = members_db.get_member(ctx.db, uuid=member_uuid)
        self.setWindowTitle(self.tr("时间线 - {0}").format(member.name))
        layout = QVBoxLayout(self)
        status = STATUSES.get(member.status, member.status)
        layout.addWidget(QLabel(self.tr("{0}　{1}　{2}").format(member.name, status, member.status_reason)))
        self.model = TimelineModel(self)
        self.model.set_rows(transfers_db.member_timeline(ctx.db, member_uuid=member_uuid))
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.view.setWordWrap(True)
        layout.addWidget(self.view)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(760, 480)
