"""Data-layer test hooks: print the number of fault-injection cases at the end of the run."""

from __future__ import annotations

from typing import Any

_fault_cases: dict[str, int] = {}


def pytest_runtest_logreport(report: Any) -> None:
    if "test_fault_injection" not in report.nodeid:
        return
    # One outcome per case: the call's, or the setup's when it was skipped or failed there.
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        _fault_cases[report.outcome] = _fault_cases.get(report.outcome, 0) + 1


def pytest_terminal_summary(terminalreporter: Any) -> None:
    total = sum(_fault_cases.values())
    if total:
        detail = ", ".join(f"{n} {outcome}" for outcome, n in sorted(_fault_cases.items()))
        terminalreporter.write_line(f"fault-injection cases: {total} ({detail})")
