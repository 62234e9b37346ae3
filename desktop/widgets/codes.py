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


INDENT_ROLE = Qt.ItemDataRole.UserRole + 1


class _IndentDelegate(QStyledItemDelegate):
    """Draws an item of the dropdown indented by its level (the closed box shows the code without the indent)."""

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        level = index.data(INDENT_ROLE) or 0
        option.text = "    " * int(level) + option.text


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
            self.addItem(codes.POST_CHOICES[code], code)
            self.setItemData(self.count() - 1, len(ancestors) - len(groups) + bool(groups), INDENT_ROLE)
            self.setItemData(self.count() - 1, codes.post_label(code), Qt.ItemDataRole.ToolTipRole)
        self.setItemDelegate(_IndentDelegate(self))

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


class EducationClassCombo(CodeCombo):
    """学历分类 beside a free-text 学历: it follows the text (``follow``) until the secretary picks a class by hand
    that the text would not give; picking the class the text gives makes it follow again."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(codes.EDUCATION_CLASSES, parent=parent)
        self.setToolTip(self.tr("按填写的学历自动归类，可手动更改"))
        self.follows = True
        self._text = ""
        self.activated.connect(self._chosen)

    def load(self, value: str, text: str) -> None:
        """A stored class and the 学历 text it was stored with."""
        self._text = text
        self.set_value(value)
        self.follows = value == codes.education_class_of(text)

    def follow(self, text: str) -> None:
        """The 学历 text changed: take its class unless one was chosen by hand."""
        self._text = text
        if self.follows:
            self.set_value(codes.education_class_of(text))

    def _chosen(self, _index: int) -> None:
        self.follows = self.value() == codes.education_class_of(self._text)


def tech_title_combo(parent: QWidget | None = None) -> CodeCombo:
    return CodeCombo(codes.TECH_TITLES, parent=parent)


def lost_situation_combo(parent: QWidget | None = None) -> CodeCombo:
    return CodeCombo(codes.LOST_SITUATIONS, parent=parent)


def front_line_combo(parent: QWidget | None = None) -> CodeCombo:
    return CodeCombo(FRONT_LINE, blank=None, parent=parent)


def post_code_text(code: str) -> str:
    """A stored 工作岗位 code as a list shows it (``014 企业管理人员（公有制单位）``), ``''`` when not coded."""
    return codes.POST_CHOICES.get(code, code)


def front_line_text(value: bool | None) -> str:
    return "" if value is None else FRONT_LINE[value]
