"""The builder's block list as an editable table: round trip, defaults, row-numbered errors."""

from __future__ import annotations

import pandas as pd
import pytest

from cnnviz.errors import InvalidSpecError
from cnnviz.models.blocks_table import BLOCK_COLUMNS, blocks_from_table, blocks_to_table
from cnnviz.models.spec import BlockSpec

BLOCKS = (
    BlockSpec("conv", filters=16, kernel_size=5, strides=2, padding="same", activation="elu"),
    BlockSpec("pool", pool_type="average", pool_size=3),
    BlockSpec("batchnorm"),
    BlockSpec("dropout", rate=0.4),
    BlockSpec("flatten"),
    BlockSpec("dense", units=64, activation="tanh"),
)


def table(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=BLOCK_COLUMNS, dtype=object)


def test_round_trip() -> None:
    frame = blocks_to_table(BLOCKS)
    assert list(frame.columns) == BLOCK_COLUMNS and len(frame) == len(BLOCKS)
    assert frame.loc[0, "filters"] == 16 and frame.loc[3, "rate"] == 0.4
    assert blocks_from_table(frame) == BLOCKS


def test_empty_cells_take_the_defaults() -> None:
    blocks = blocks_from_table(table({"kind": "conv", "filters": 8, "kernel_size": None,
                                      "padding": "", "rate": float("nan")}))
    assert blocks == (BlockSpec("conv", filters=8),)


def test_whole_floats_and_numeric_text_are_accepted() -> None:
    blocks = blocks_from_table(table({"kind": "dense", "units": 32.0},
                                     {"kind": "conv", "filters": "12"}))
    assert blocks == (BlockSpec("dense", units=32), BlockSpec("conv", filters=12))
    assert type(blocks[0].units) is int


def test_a_row_without_kind_is_skipped() -> None:
    blocks = blocks_from_table(table({"kind": "conv"}, {"kind": None, "filters": 3.5},
                                     {"kind": "", "units": 7}, {"kind": "flatten"}))
    assert blocks == (BlockSpec("conv"), BlockSpec("flatten"))


@pytest.mark.parametrize("value", [3.5, "abc"])
def test_a_non_whole_size_names_its_row(value: object) -> None:
    rows = table({"kind": "conv"}, {"kind": "pool"}, {"kind": "conv", "filters": value})
    with pytest.raises(InvalidSpecError, match=r"Row 3: filters must be a whole number"):
        blocks_from_table(rows)


def test_row_numbers_count_skipped_rows() -> None:
    rows = table({"kind": None}, {"kind": "dense", "units": 0.5})
    with pytest.raises(InvalidSpecError, match=r"^Row 2: units"):
        blocks_from_table(rows)


def test_an_unknown_kind_names_its_row() -> None:
    with pytest.raises(InvalidSpecError, match=r"^Row 2: Unknown block 'convolution'"):
        blocks_from_table(table({"kind": "conv"}, {"kind": "convolution"}))


def test_an_invalid_setting_names_its_row() -> None:
    with pytest.raises(InvalidSpecError, match=r"^Row 1: .*at least 1"):
        blocks_from_table(table({"kind": "conv", "filters": 0}))


def test_a_bad_rate_or_an_na_cell_gives_a_clear_row_error() -> None:
    import pandas as pd
    import pytest

    from cnnviz.errors import InvalidSpecError
    from cnnviz.models.blocks_table import blocks_from_table

    table = pd.DataFrame({"kind": ["conv", "dropout"], "filters": [8, pd.NA],
                          "rate": [pd.NA, "abc"]}, dtype=object)
    with pytest.raises(InvalidSpecError, match="Row 2: rate must be a number"):
        blocks_from_table(table)
    table.loc[1, "rate"] = pd.NA
    assert [block.kind for block in blocks_from_table(table)] == ["conv", "dropout"]
