"""The pages of the main window in navigation order, each module imported the first time its page is opened.

``PAGES`` lists what the navigation shows (key and title); ``page_class(key)`` imports the page's module and returns
its ``Page`` class. The window starts with the home page only, so the other pages' modules (and the printing,
workbook and Word libraries they bring) cost nothing until the secretary opens them (issue 22).

The registry stays typed (issue 18: no string registry): ``page_class`` names every module by a real import that
``mypy --strict`` checks, and a test builds every page of ``PAGES``, so a renamed or missing module fails the suite,
not a user's click. Each page of a part of the work has the key that part names in ``db.parts`` (a test checks they
agree).
"""

from __future__ import annotations

from desktop.pages import BasePage, PageInfo

PAGES: tuple[PageInfo, ...] = (
    PageInfo("home", "首页"),
    PageInfo("members", "党员名册"),
    PageInfo("development", "发展党员"),
    PageInfo("meetings", "会议记录"),
    PageInfo("appraisal", "民主评议", icon_name="meetings.svg"),
    PageInfo("projects", "项目与整改"),
    PageInfo("dues", "党费"),
    PageInfo("transfers", "组织关系"),
    PageInfo("elections", "换届选举"),
    PageInfo("exchange", "报送与导入"),
    PageInfo("statistics", "统计年报"),
    PageInfo("settings", "支部设置"),
)


def page_class(key: str) -> type[BasePage]:
    """The ``Page`` class of the page ``key``, its module imported now; ``KeyError`` for a key not in ``PAGES``."""
    match key:
        case "home":
            from desktop.pages import home

            return home.Page
        case "members":
            from desktop.pages import members

            return members.Page
        case "development":
            from desktop.pages import development

            return development.Page
        case "meetings":
            from desktop.pages import meetings

            return meetings.Page
        case "appraisal":
            from desktop.pages import appraisal

            return appraisal.Page
        case "projects":
            from desktop.pages import projects

            return projects.Page
        case "dues":
            from desktop.pages import dues

            return dues.Page
        case "transfers":
            from desktop.pages import transfers

            return transfers.Page
        case "elections":
            from desktop.pages import elections

            return elections.Page
        case "exchange":
            from desktop.pages import exchange

            return exchange.Page
        case "statistics":
            from desktop.pages import statistics

            return statistics.Page
        case "settings":
            from desktop.pages import settings

            return settings.Page
    raise KeyError(key)


def available_pages() -> list[tuple[PageInfo, type[BasePage]]]:
    """Every page with its ``Page`` class, in navigation order. Imports every page's module: for the screenshots
    and the tests; the window itself imports a page's module only when it is opened (``page_class``)."""
    return [(info, page_class(info.key)) for info in PAGES]
