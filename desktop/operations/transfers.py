"""User actions on organisational relations: transfers in and out, receipts, mobile members, standing events."""

from __future__ import annotations

from typing import Any

from db import transfers as transfers_db
from desktop.changes import Change
from desktop.context import AppContext
from desktop.operations.base import perform


def transfer_out(ctx: AppContext, **values: Any) -> transfers_db.Transfer:
    """Issue an introduction letter and transfer a member out (``db.transfers.transfer_out``)."""
    return perform(
        ctx,
        (Change.TRANSFERS, Change.MEMBERS),
        transfers_db.transfer_out,
        **values,
    )


def transfer_in(ctx: AppContext, **values: Any) -> transfers_db.Transfer:
    """Receive a member transferred in (``db.transfers.transfer_in``)."""
    return perform(
        ctx,
        (Change.TRANSFERS, Change.MEMBERS),
        transfers_db.transfer_in,
        **values,
    )


def record_receipt(ctx: AppContext, **values: Any) -> transfers_db.Transfer:
    """Record the returned receipt of a letter (``db.transfers.record_receipt``): the member, 转出中 until now,
    leaves the roster as 已转出."""
    return perform(ctx, (Change.TRANSFERS, Change.MEMBERS), transfers_db.record_receipt, **values)


def cancel_transfer(ctx: AppContext, **values: Any) -> transfers_db.Transfer:
    """Cancel a transfer (``db.transfers.cancel_transfer``)."""
    return perform(
        ctx,
        (Change.TRANSFERS, Change.MEMBERS),
        transfers_db.cancel_transfer,
        **values,
    )


def start_mobile(ctx: AppContext, **values: Any) -> transfers_db.MobilePeriod:
    """A member becomes a mobile member (``db.transfers.start_mobile``)."""
    return perform(
        ctx,
        (Change.TRANSFERS, Change.MEMBERS),
        transfers_db.start_mobile,
        **values,
    )


def end_mobile(ctx: AppContext, **values: Any) -> transfers_db.MobilePeriod:
    """A mobile period ends (``db.transfers.end_mobile``)."""
    return perform(
        ctx,
        (Change.TRANSFERS, Change.MEMBERS),
        transfers_db.end_mobile,
        **values,
    )


def record_event(ctx: AppContext, **values: Any) -> transfers_db.MemberEvent:
    """Record a standing event (出党, 去世, …) (``db.transfers.record_event``)."""
    return perform(
        ctx,
        (Change.TRANSFERS, Change.MEMBERS),
        transfers_db.record_event,
        **values,
    )
