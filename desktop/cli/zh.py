"""argparse in Chinese: usage, section titles, help and error messages of the command line.

argparse writes its own words through gettext, which has no Chinese catalogue installed. Rather than patching the
module, the command line builds its parsers from ``ChineseArgumentParser``: the help option, the section titles and
the usage prefix are set in Chinese, and ``error`` translates argparse's messages (``translate_error``) before
printing one line.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from typing import Any, NoReturn

EXIT_USAGE = 2
ARGUMENT_NAMES = {"command": "子命令"}  # the sub-command's dest, as argparse names it in errors
TYPE_NAMES = {"int": "整数", "float": "数字", "str": "文本"}
_ERRORS: tuple[tuple[str, str], ...] = (
    (r"the following arguments are required: (.+)", "缺少必需的参数：{0}"),
    (r"unrecognized arguments: (.+)", "无法识别的参数：{0}"),
    (r"one of the arguments (.+) is required", "必须提供以下参数之一：{0}"),
    (r"ambiguous option: (.+?) could match (.+)", "选项 {0} 不明确，可能是：{1}"),
    (r"argument (.+?): invalid choice: (.+?) \(choose from (.+)\)", "参数 {0}：无效的选项 {1}（可选：{2}）"),
    (r"argument (.+?): expected one argument", "参数 {0}：需要一个值"),
    (r"argument (.+?): expected at least one argument", "参数 {0}：至少需要一个值"),
    (r"argument (.+?): expected at most one argument", "参数 {0}：最多一个值"),
    (r"argument (.+?): expected (\d+) arguments?", "参数 {0}：需要 {1} 个值"),
    (r"argument (.+?): not allowed with argument (.+)", "参数 {0}：不能与参数 {1} 同时使用"),
    (r"argument (.+?): ignored explicit argument (.+)", "参数 {0}：不接受值 {1}"),
)
_INVALID_TYPE = r"argument (.+?): invalid (\w+) value: (.+)"


def translate_error(message: str) -> str:
    """argparse's English error message in Chinese (unchanged when not one of argparse's own)."""
    match = re.fullmatch(_INVALID_TYPE, message)
    if match:
        name, kind, value = match.groups()
        return f"参数 {name}：{value} 不是有效的{TYPE_NAMES.get(kind, kind)}"
    for pattern, chinese in _ERRORS:
        match = re.fullmatch(pattern, message)
        if match:
            return chinese.format(*(ARGUMENT_NAMES.get(g, g) for g in match.groups()))
    return message


class ChineseHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)

    def _format_action(self, action: argparse.Action) -> str:
        """As argparse, but the help column lines up after Chinese metavars (two columns wide each)."""
        text = super()._format_action(action)
        invocation = self._format_action_invocation(action)
        wide = sum(1 for ch in invocation if unicodedata.east_asian_width(ch) in "WF")
        first, newline, rest = text.partition("\n")
        at = first.find(invocation)
        if wide and at >= 0:
            end = at + len(invocation)
            gap = len(first) - end - len(first[end:].lstrip(" "))
            if gap - wide >= 2:
                first = first[:end] + first[end + wide :]
        return first + newline + rest


class ChineseArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose help and errors are Chinese; errors print the usage and one line
    ``参数错误：…`` and exit with status 2."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        add_help = bool(kwargs.pop("add_help", True))
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        if add_help:
            self.add_argument(
                "-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出"
            )

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        print(f"参数错误：{translate_error(message)}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)
