"""The builder's block list as an editable table, and back, with clear errors for bad rows."""

from __future__ import annotations

import dataclasses

import pandas as pd

from cnnviz.errors import InvalidSpecError
from cnnviz.models.spec import BlockSpec

BLOCK_COLUMNS = [field.name for field in dataclasses.fields(BlockSpec)]
_DEFAULTS = BlockSpec(kind="conv")
_INTEGER_FIELDS = ("filters", "kernel_size", "strides", "pool_size", "units")


def blocks_to_table(blocks: tuple[BlockSpec, ...]) -> pd.DataFrame:
    """One row per block, one column per setting (irrelevant ones keep their defaults)."""
    return pd.DataFrame([dataclasses.asdict(block) for block in blocks], columns=BLOCK_COLUMNS)


def blocks_from_table(table: pd.DataFrame) -> tuple[BlockSpec, ...]:
    """Blocks from an edited table; an empty cell takes the default, a bad one names its row."""
    blocks = []
    for number, (_, row) in enumerate(table.iterrows(), start=1):
        if _missing(row.get("kind")):
            continue
        values = {}
        for column in BLOCK_COLUMNS:
            value = row.get(column)
            if _missing(value):
                value = getattr(_DEFAULTS, column)
            elif column in _INTEGER_FIELDS:
                value = _whole(value, number, column)
            elif column == "rate":
                value = _number(value, number, column)
            values[column] = value
        try:
            blocks.append(BlockSpec(**values))
        except InvalidSpecError as error:
            raise InvalidSpecError("error.blocks_table.row", number=number, error=error) from error
    return tuple(blocks)


def _missing(value: object) -> bool:
    """Empty cells: None, "", NaN or pandas' NA, whatever type the editor gave the column."""
    if isinstance(value, str):
        return value.strip() == ""
    return value is None or bool(pd.isna(value))


def _number(value: object, number: int, column: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError) as error:
        raise InvalidSpecError(
            "error.blocks_table.row_must_number_not", number=number, column=column,
            value=value) from error


def _whole(value: object, number: int, column: str) -> int:
    try:
        whole = float(value)
    except (TypeError, ValueError) as error:
        raise InvalidSpecError(
            "error.blocks_table.row_must_whole_number_2", number=number, column=column) from error
    if not whole.is_integer():
        raise InvalidSpecError(
            "error.blocks_table.row_must_whole_number", number=number, column=column,
            value=value)
    return int(whole)
