"""Dropdowns of the national codes (db/codes.py): 工作岗位 as the code tree (group headings that cannot be chosen,
the codes under them), 学历分类, 专业技术职务 and 生产工作第一线 (是 / 否 / 未填写). Used by the member form, the
development form and the completeness list's delegates; each reads and sets its stored value with ``value()`` /
``set_value()``."""

from __future__ import annotations

from typing import Any

from db import codes
from desktop.qt import *

NOT_CODED = "（未填写）"
FRONT_LINE = {True: "是", False: "否"}


class CodeCombo(QComboBox):
    """A choice of a stored value; the first entry (data ``blank``) means not yet coded."""

    def __init__(self, choices: dict[Any, str], *, blank: Any = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.blank = blank
        self.addItem(self.tr(NOT_CODED), blank)
        for key, label in choices.items():
            self.addItem(label, key)

    def value(self) -> Any:
        data = self.currentData()
        return self.blank if data is None and self.blank is not None else data

    def set_value(self, value: Any) -> None:
        index = self.findData(value)
        self.setCurrentIndex(max(index, 0))


class PostCodeCombo(CodeCombo):
    """工作岗位 by the national tree: a heading per group (一、在岗职工 · 公有制单位 …) that cannot be chosen, its
    codes indented under it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__({}, parent=parent)
        for code in codes.MEMBER_POST_CODES:
            ancestors = codes.post_path(code)[:-1]
            groups = [c for c in ancestors if c in codes.POST_GROUP_ONLY]
            if groups and self.findData(f"group:{groups[-1]}") < 0:
                self._heading(groups[-1])
            indent = len(ancestors) - len(groups) + (1 if groups else 0)
            self.addItem("    " * indent + codes.POST_CHOICES[code], code)
            self.setItemData(self.count() - 1, codes.post_label(code), Qt.ItemDataRole.ToolTipRole)

    def _heading(self, code: str) -> None:
        self.addItem("·".join(codes.POST_CODES[c] for c in codes.post_path(code)), f"group:{code}")
        model = self.model()
        assert isinstance(model, QStandardItemModel)  # a QComboBox's own model
        item = model.item(self.count() - 1)
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsSelectable & ~Qt.ItemFlag.ItemIsEnabled)
        font = item.font()
        font.setBold(True)
        item.setFont(font)


def education_class_combo(parent: QWidget | None = None) -> CodeCombo:
    return CodeCombo(codes.EDUCATION_CLASSES, parent=parent)


def tech_title_combo(parent: QWidget | None = None) -> CodeCombo:
    return CodeCombo(codes.TECH_TITLES, parent=parent)


def front_line_combo(parent: QWidget | None = None) -> CodeCombo:
    return CodeCombo(FRONT_LINE, blank=None, parent=parent)


def post_code_text(code: str) -> str:
    """A stored 工作岗位 code as a list shows it (``014 企业管理人员（公有制单位）``), ``''`` when not coded."""
    return codes.POST_CHOICES.get(code, code)


def front_line_text(value: bool | None) -> str:
    return "" if value is None else FRONT_LINE[value]
