"""The pages of the main window in navigation order, by real class references (issue 18: no string registry).

A renamed or missing page module fails at import time instead of vanishing from the window. Each page of a part
of the work has the key that part names in ``db.parts`` (a test checks they agree).
"""

from __future__ import annotations

from desktop.pages import BasePage, PageInfo
from desktop.pages import appraisal as appraisal_page
from desktop.pages import development as development_page
from desktop.pages import dues as dues_page
from desktop.pages import elections as elections_page
from desktop.pages import exchange as exchange_page
from desktop.pages import home as home_page
from desktop.pages import meetings as meetings_page
from desktop.pages import members as members_page
from desktop.pages import projects as projects_page
from desktop.pages import settings as settings_page
from desktop.pages import statistics as statistics_page
from desktop.pages import transfers as transfers_page

PAGES: tuple[tuple[PageInfo, type[BasePage]], ...] = (
    (PageInfo("home", "首页", "home.svg"), home_page.Page),
    (PageInfo("members", "党员名册", "members.svg"), members_page.Page),
    (PageInfo("development", "发展党员", "development.svg"), development_page.Page),
    (PageInfo("meetings", "会议记录", "meetings.svg"), meetings_page.Page),
    (PageInfo("appraisal", "民主评议", "meetings.svg"), appraisal_page.Page),
    (PageInfo("projects", "项目与整改", "projects.svg"), projects_page.Page),
    (PageInfo("dues", "党费", "dues.svg"), dues_page.Page),
    (PageInfo("transfers", "组织关系", "transfers.svg"), transfers_page.Page),
    (PageInfo("elections", "换届选举", "elections.svg"), elections_page.Page),
    (PageInfo("exchange", "报送与导入", "exchange.svg"), exchange_page.Page),
    (PageInfo("statistics", "统计年报", "statistics.svg"), statistics_page.Page),
    (PageInfo("settings", "支部设置", "settings.svg"), settings_page.Page),
)


def available_pages() -> list[tuple[PageInfo, type[BasePage]]]:
    """Every page with its ``Page`` class, in navigation order."""
    return list(PAGES)
