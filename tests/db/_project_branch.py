"""A small fixed branch shared by the project and finding tests (built through the public db functions)."""

from __future__ import annotations

from datetime import date

from db import members, projects

TODAY = date(2025, 12, 31)


def add_people(db) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Seven members: 张一 李二 王三 赵四 钱五 joined 2010; 孙六 joined 2025-09-01; 周七 joined 2010 (archived
    later by the caller when needed). Returns name → uuid."""
    out = {}
    for name, joined in (
        ("张一", "2010-01-01"),
        ("李二", "2010-01-01"),
        ("王三", "2010-01-01"),
        ("赵四", "2010-01-01"),
        ("钱五", "2010-01-01"),
        ("孙六", "2025-09-01"),
        ("周七", "2010-01-01"),
    ):
        out[name] = members.add_member(
            db,
            values={
                "name": name,
                "category": "full" if joined < "2020" else "probationary",
                "joined_on": joined,
            },
        ).uuid
    return out


def project(db, p: dict[str, str], **values):  # type: ignore[no-untyped-def]
    v = {"kind": "innovation", "category": "technical", "title": "项目", **values}
    if isinstance(v.get("leader"), str) and v["leader"] in p:
        v["leader"] = p[v["leader"]]
    v["participants"] = [p[n] for n in v.get("participants", [])]
    return projects.add_project(db, values=v)
