"""The command line's help, usage and argument errors are Chinese: no argparse English reaches the secretary."""

from __future__ import annotations

import re

import pytest

from desktop import cli

ENGLISH = re.compile(
    r"usage|options|positional arguments|show this help|error:|required|invalid|argument", re.IGNORECASE
)


def _help(argv: list[str], capsys) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as exit_info:
        cli.main([*argv, "--help"])
    assert exit_info.value.code == 0
    return capsys.readouterr().out


def test_help_of_every_command_is_chinese(capsys) -> None:
    top = _help([], capsys)
    assert top.startswith("用法：branchdesk") and "选项" in top and "显示本帮助并退出" in top
    commands = re.search(r"\{([a-z,-]+)\}", top).group(1).split(",")  # type: ignore[union-attr]
    assert "print" in commands and "signin" in commands
    for text in [top] + [_help([name], capsys) for name in commands]:
        # option names, identifiers and file types stay as typed (--out, planned, .xlsx); the words are Chinese
        words = re.sub(r"--?[a-z-]+|\{[^}]*\}|[A-Z_]{3,}|branchdesk|Branch Desk|[a-z_]+\.[a-z]+", "", text)
        assert not ENGLISH.search(words), text


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["export"], "缺少必需的参数：--month, --out"),
        (["--bogus"], "无法识别的参数：--bogus"),
        (["demo", "--members", "x"], "参数 --members：'x' 不是有效的整数"),
        (["signin", "--meeting", "1", "--out", "x.pdf", "--variant", "q"], "参数 --variant：无效的选项 'q'"),
        (["print", "roster", "--year", "2026", "--month", "2026-01"], "不能与参数 --year 同时使用"),
        (["nosuch"], "无效的选项 'nosuch'"),
    ],
)
def test_usage_errors_are_chinese(argv, message, capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as exit_info:
        cli.main(argv)
    assert exit_info.value.code == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert err.startswith("用法：") and "参数错误：" in err and message in err
    assert not ENGLISH.search(
        re.sub(r"--?[a-z-]+|\{[^}]*\}|branchdesk|'[a-z]+'", "", err.split("参数错误：")[1])
    )
