"""A small grouped bar chart drawn with QPainter (no QtCharts: PySide6-Addons would add ~200 MB for three charts).

``BarChart`` shows one value per category for each series (e.g. meetings required vs held per month), with a
title, a legend, the value axis from 0 and the category labels underneath. Values are plain numbers; pass
``percent=True`` to label the axis 0–100 %. The widget keeps its data (``categories``/``series``) so tests can
check what it shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from desktop.qt import *


@dataclass(frozen=True)
class Series:
    name: str
    color: str  # "#RRGGBB"
    values: tuple[float, ...]


class BarChart(QWidget):
    def __init__(self, title: str, parent: QWidget | None = None, *, percent: bool = False) -> None:
        super().__init__(parent)
        self.title = title
        self.percent = percent
        self.categories: tuple[str, ...] = ()
        self.series: tuple[Series, ...] = ()
        self.setMinimumHeight(120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(420, 140)

    def set_data(self, categories: Sequence[str], series: Sequence[Series]) -> None:
        self.categories = tuple(categories)
        self.series = tuple(series)
        self.setToolTip(
            "\n".join(
                f"{s.name}：" + "，".join(f"{c} {self._fmt(v)}" for c, v in zip(self.categories, s.values))
                for s in self.series
            )
        )
        self.update()

    def _fmt(self, value: float) -> str:
        return f"{value:.0f}%" if self.percent else f"{value:g}"

    def _top(self) -> float:
        if self.percent:
            return 100.0
        top = max((v for s in self.series for v in s.values), default=0.0)
        # a round axis maximum (1, 2, 5 × 10^n) so the gridline labels read well
        magnitude = 1.0
        while True:
            for nice in (1.0, 2.0, 5.0):
                if nice * magnitude >= top:
                    return nice * magnitude
            magnitude *= 10

    def paintEvent(self, event: QPaintEvent) -> None:  # Qt API name
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(6, 4, -6, -4)
        p.fillRect(self.rect(), QColor("#ffffff"))
        base = QFont(self.font())
        title_font = QFont(base)
        title_font.setBold(True)
        p.setFont(title_font)
        p.setPen(QColor("#212529"))
        fm = p.fontMetrics()
        p.drawText(
            QRectF(rect.left(), rect.top(), rect.width(), fm.height()), Qt.AlignmentFlag.AlignLeft, self.title
        )
        # legend on the title line, right-aligned
        small = QFont(base)
        small.setPointSizeF(max(base.pointSizeF() - 1.5, 7.0))
        p.setFont(small)
        sfm = p.fontMetrics()
        x = rect.right()
        for s in reversed(self.series):
            w = sfm.horizontalAdvance(s.name)
            x -= w
            p.setPen(QColor("#495057"))
            p.drawText(QRectF(x, rect.top(), w, fm.height()), Qt.AlignmentFlag.AlignVCenter, s.name)
            x -= 14
            p.fillRect(QRectF(x, rect.top() + fm.height() / 2 - 5, 10, 10), QColor(s.color))
            x -= 12
        if not self.categories or not self.series:
            p.setPen(QColor("#6c757d"))
            p.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.tr("暂无数据"))
            p.end()
            return
        top = self._top()
        label_w = max(sfm.horizontalAdvance(self._fmt(top * f)) for f in (0.5, 1.0)) + 6
        plot = QRectF(
            rect.left() + label_w,
            rect.top() + fm.height() + 6,
            rect.width() - label_w,
            rect.height() - fm.height() - 6 - sfm.height() - 4,
        )
        # gridlines at 0, 1/2 and the top
        for frac in (0.0, 0.5, 1.0):
            y = plot.bottom() - frac * plot.height()
            p.setPen(QPen(QColor("#dee2e6"), 1))
            # Whole pixels, as PySide6 did with the float arguments before (the int overload truncates).
            p.drawLine(int(plot.left()), int(y), int(plot.right()), int(y))
            p.setPen(QColor("#6c757d"))
            p.drawText(
                QRectF(rect.left(), y - sfm.height() / 2, label_w - 4, sfm.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                self._fmt(top * frac),
            )
        n = len(self.categories)
        slot = plot.width() / n
        bar_w = max(2.0, slot * 0.7 / len(self.series))
        every = max(1, int(sfm.horizontalAdvance("00月") * 1.1 // slot) + 1)
        for i, category in enumerate(self.categories):
            x0 = plot.left() + i * slot + slot * 0.15
            for j, s in enumerate(self.series):
                value = s.values[i] if i < len(s.values) else 0.0
                h = plot.height() * min(value, top) / top
                p.fillRect(QRectF(x0 + j * bar_w, plot.bottom() - h, bar_w - 1, h), QColor(s.color))
            if i % every == 0:
                p.setPen(QColor("#495057"))
                p.drawText(
                    QRectF(plot.left() + i * slot - slot, plot.bottom() + 2, slot * 3, sfm.height()),
                    Qt.AlignmentFlag.AlignHCenter,
                    category,
                )
        p.end()
