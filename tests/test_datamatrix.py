"""The data-matrix contract: round trip, determinism, and clear errors for malformed files."""

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from rgcoarse.datasets.gaussian import gaussian_matrix
from rgcoarse.io.datamatrix import (
    DataMatrix,
    DataMatrixError,
    read_data_matrix,
    write_data_matrix,
)
from rgcoarse.io.user_files import read_user_matrix


def test_round_trip_keeps_values_names_and_metadata(tmp_path):
    spins = np.random.default_rng(1).choice(np.array([-1, 1], dtype=np.int8), size=(5, 4))
    features = pd.DataFrame({"row": [0, 0, 1, 1], "col": [0, 1, 0, 1]})
    matrix = DataMatrix(spins, {"temperature": 2.5, "seed": 3}, ["a", "b", "c", "d"], features)
    write_data_matrix(tmp_path / "m.parquet", matrix)
    back = read_data_matrix(tmp_path / "m.parquet")
    assert back.values.dtype == np.int8
    np.testing.assert_array_equal(back.values, spins)
    assert back.feature_names == ["a", "b", "c", "d"]
    assert back.metadata == {"temperature": 2.5, "seed": 3}
    pd.testing.assert_frame_equal(back.feature_metadata, features)


def test_same_input_gives_identical_bytes(tmp_path):
    values = gaussian_matrix(6, 10, seed=7)
    for name in ("a.parquet", "b.parquet"):
        write_data_matrix(tmp_path / name, DataMatrix(values, {"seed": 7}))
    assert (tmp_path / "a.parquet").read_bytes() == (tmp_path / "b.parquet").read_bytes()


def test_gaussian_matrix_is_seeded_and_standard_normal():
    a, b = gaussian_matrix(200, 500, seed=11), gaussian_matrix(200, 500, seed=11)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, gaussian_matrix(200, 500, seed=12))
    # mean 0 and variance 1 within 6 standard errors of 10^5 draws
    assert abs(a.mean()) < 6 / np.sqrt(a.size)
    assert abs(a.var() - 1) < 6 * np.sqrt(2 / a.size)


@pytest.mark.parametrize(
    "text,problem",
    [
        ("a,b\n1,2\n3,x\n", "non-numeric column(s) b"),
        ("a,b\n1,2\n3,nan\n", "missing or NaN values"),
        ("a,b\n1,2\n3\n", "missing or NaN values"),
        ("a,b\n1,2\n3,4,5\n", "ragged or malformed CSV"),
        ("a,b\n1,2\n", "needs at least 2 samples"),
        ("a\n1\n2\n", "needs at least 2 features"),
        ("", "empty CSV file"),
    ],
)
def test_malformed_csv_names_file_and_problem(tmp_path, text, problem):
    path = tmp_path / "user.csv"
    path.write_text(text)
    with pytest.raises(DataMatrixError) as info:
        read_user_matrix(path)
    assert str(path) in str(info.value)
    assert problem in str(info.value)


@pytest.mark.parametrize(
    "array,problem",
    [
        (np.array([[1.0, np.nan], [2.0, 3.0]]), "NaN or infinite"),
        (np.array([[1.0, np.inf], [2.0, 3.0]]), "NaN or infinite"),
        (np.array(["a", "b"]).reshape(1, 2).repeat(2, 0), "not numeric"),
        (np.ones(5), "expected a 2-D"),
        (np.ones((1, 5)), "needs at least 2 samples"),
        (np.ones((5, 1)), "needs at least 2 features"),
    ],
)
def test_malformed_npy_names_file_and_problem(tmp_path, array, problem):
    path = tmp_path / "user.npy"
    np.save(path, array)
    with pytest.raises(DataMatrixError) as info:
        read_user_matrix(path)
    assert str(path) in str(info.value) and problem in str(info.value)


def test_parquet_user_file_with_strings_or_nulls(tmp_path):
    path = tmp_path / "user.parquet"
    pq.write_table(pa.table({"x": [1.0, 2.0, 3.0], "label": ["u", "v", "w"]}), path)
    with pytest.raises(DataMatrixError, match="non-numeric column"):
        read_user_matrix(path)
    pq.write_table(pa.table({"x": [1.0, None, 3.0], "y": [1.0, 2.0, 3.0]}), path)
    with pytest.raises(DataMatrixError, match="missing values in column 'x'"):
        read_user_matrix(path)


def test_good_user_files_all_formats(tmp_path):
    values = gaussian_matrix(3, 4, seed=0)
    np.save(tmp_path / "u.npy", values)
    pd.DataFrame(values, columns=["p", "q", "r"]).to_csv(tmp_path / "u.csv", index=False)
    pq.write_table(pa.table({"p": values[:, 0], "q": values[:, 1], "r": values[:, 2]}), tmp_path / "u.parquet")
    for name in ("u.npy", "u.csv", "u.parquet"):
        matrix = read_user_matrix(tmp_path / name)
        np.testing.assert_allclose(matrix.values, values, rtol=1e-15)
    assert read_user_matrix(tmp_path / "u.csv").feature_names == ["p", "q", "r"]


def test_unknown_format_and_missing_file(tmp_path):
    (tmp_path / "u.txt").write_text("1 2\n3 4\n")
    with pytest.raises(DataMatrixError, match="unknown format"):
        read_user_matrix(tmp_path / "u.txt")
    with pytest.raises(DataMatrixError, match="file not found"):
        read_user_matrix(tmp_path / "absent.csv")


def test_reading_column_chunks_gives_the_whole_matrix_exactly(tmp_path, monkeypatch):
    """read_data_matrix decodes a few columns at a time (to hold one chunk's Arrow buffers, not the
    table's): the matrix, its dtype and its layout are those of a whole-table read, and a missing
    value is still named by its column."""
    import rgcoarse.io.datamatrix as datamatrix

    monkeypatch.setattr(datamatrix, "READ_CHUNK_COLUMNS", 3)  # 10 columns: chunks of 3, 3, 3 and 1
    values = np.random.default_rng(3).standard_normal((50, 10)).astype(np.float32)
    write_data_matrix(tmp_path / "m.parquet", DataMatrix(values, {"kind": "test"}))
    read = read_data_matrix(tmp_path / "m.parquet")
    assert read.values.dtype == np.float32 and read.values.flags["C_CONTIGUOUS"]
    np.testing.assert_array_equal(read.values, values)
    whole = pq.read_table(tmp_path / "m.parquet")
    np.testing.assert_array_equal(read.values, np.column_stack([c.to_numpy() for c in whole.columns]))

    spins = np.where(np.random.default_rng(4).random((20, 7)) < 0.5, -1, 1).astype(np.int8)
    write_data_matrix(tmp_path / "s.parquet", DataMatrix(spins, {}))
    assert read_data_matrix(tmp_path / "s.parquet").values.dtype == np.int8

    table = whole.set_column(8, "f8", pa.array([None] + [1.0] * 49, type=pa.float32()))
    table = table.replace_schema_metadata(whole.schema.metadata)
    pq.write_table(table, tmp_path / "nulls.parquet")
    with pytest.raises(DataMatrixError, match=r"nulls.parquet: missing values in column 'f8'"):
        read_data_matrix(tmp_path / "nulls.parquet")
