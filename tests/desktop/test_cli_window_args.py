"""The window's command lines skip building the sub-commands' parsers (issue 22), and read exactly as the full parser
reads them; every other command line still goes through the full parser."""

from __future__ import annotations

import pytest

from desktop import cli


@pytest.mark.parametrize(
    "argv",
    [[], ["--db", "x.sqlite"], ["--db=x.sqlite"], ["--db", "demo"], ["--db", "/路径/支部 数据.sqlite"]],
)
def test_window_command_lines_read_as_the_full_parser_reads_them(argv: list[str]) -> None:
    fast = cli._window_args(argv)
    assert fast is not None
    assert vars(fast) == vars(cli._build_parser().parse_args(argv))


@pytest.mark.parametrize(
    "argv",
    [["demo"], ["--db", "x", "check"], ["--db"], ["--db="], ["--db", "-x"], ["--version"], ["--help"], ["x"]],
)
def test_other_command_lines_go_through_the_full_parser(argv: list[str]) -> None:
    assert cli._window_args(argv) is None
