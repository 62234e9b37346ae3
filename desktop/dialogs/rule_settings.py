"""规则设置: the settings the rules read (``db.rule_settings``), each with its default and where it comes from.

Opened from 支部设置. A choice is a list, a place name a line of text, a number a spin box; under each, in grey, 「默认：…。依据：…」. The rules
fixed by the regulations are listed below, read-only, with their source. Saving goes through
``desktop.operations.branch.save_rule_settings`` (the reminders and the dues rules follow at once).
"""

from __future__ import annotations

from typing import Any

from db import rule_settings
from db.errors import Problem
from desktop.context import AppContext
from desktop.dialogs.form import ERROR_STYLE, FormBase
from desktop.operations import branch as branch_ops
from desktop.qt import *

_NOTE_STYLE = "color: #666666;"


class RuleSettingsDialog(FormBase):
    """Edit every ``rule_settings.RULE_SETTINGS`` entry; ``saved`` carries the values in force afterwards."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setWindowTitle(self.tr("规则设置"))
        self.resize(720, 560)
        current = rule_settings.rule_values(ctx.db)
        self.editors: dict[str, QComboBox | QLineEdit | QSpinBox] = {}
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "以下设置决定提醒和党费的计算。默认值来自有关规定或通行做法；上级党委另有规定的，按其规定修改。"
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        for setting in rule_settings.RULE_SETTINGS:
            editor: QComboBox | QLineEdit | QSpinBox
            if setting.choices:
                editor = QComboBox(self)
                for value, text in setting.choices.items():
                    editor.addItem(text, value)
                editor.setCurrentIndex(max(editor.findData(current[setting.key]), 0))
            elif setting.text:
                editor = QLineEdit(str(current[setting.key]), self)
                editor.setPlaceholderText(self.tr("（未设置）"))
            else:
                editor = QSpinBox(self)
                editor.setRange(setting.low, setting.high)
                editor.setSuffix(setting.unit)
                editor.setValue(int(current[setting.key]))
            editor.setObjectName(setting.key)
            self.editors[setting.key] = editor
            note = QLabel(
                self.tr("默认：{0}。依据：{1}").format(setting.value_text(setting.default), setting.source),
                self,
            )
            note.setObjectName(f"{setting.key}_source")
            note.setWordWrap(True)
            note.setStyleSheet(_NOTE_STYLE)
            reason = QLabel(self)
            reason.setStyleSheet(ERROR_STYLE)
            reason.setProperty("hide_when_empty", True)
            reason.setVisible(False)
            self.reasons[setting.key] = reason
            box = QVBoxLayout()
            box.setSpacing(2)
            box.addWidget(editor)
            box.addWidget(reason)
            box.addWidget(note)
            form.addRow(self.tr(setting.label), box)
            self.watch(editor)
        layout.addLayout(form)
        fixed = QLabel(
            "<br>".join(
                self.tr("<b>{0}</b>：{1}（{2}；固定，不可修改）").format(label, rule, source)
                for label, rule, source in rule_settings.FIXED_RULES
            ),
            self,
        )
        fixed.setObjectName("fixed_rules")
        fixed.setWordWrap(True)
        fixed.setStyleSheet(_NOTE_STYLE)
        layout.addWidget(fixed)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        layout.addStretch(1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.use_buttons(buttons).setText(self.tr("保存 (Ctrl+S)"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        layout.addWidget(buttons)
        self.finish()

    def values(self) -> dict[str, Any]:
        return {key: self._value(editor) for key, editor in self.editors.items()}

    @staticmethod
    def _value(editor: QComboBox | QLineEdit | QSpinBox) -> Any:
        if isinstance(editor, QComboBox):
            return editor.currentData()
        if isinstance(editor, QLineEdit):
            return editor.text().strip()
        return editor.value()

    def problems(self) -> list[Problem]:
        return [
            p for key, value in self.values().items() for p in rule_settings.validate_rule_setting(key, value)
        ]

    def write(self) -> Any:
        return branch_ops.save_rule_settings(self.ctx, values=self.values())


def screenshot_dialog(ctx: AppContext, parent: QWidget) -> QWidget:
    """For ``desktop.screenshots``: the rule settings of the branch."""
    return RuleSettingsDialog(ctx, parent)
