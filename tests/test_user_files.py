"""User files: nothing silently wrong.

Every malformed file is a DataMatrixError naming the file, the problem and the fix: at parse time
(``check_user_file``, cheap: headers and footers only) when the header, names, dtype or shape are
wrong, in the job (``read_user_matrix``) when a value is. No bare EOFError, UnicodeDecodeError or
MemoryError escapes.
"""

import numpy as np
import numpy.lib.format as npy_format
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import (
    copy_workflow,
    dry_run_error,
    load_config,
    run_snakemake,
    run_workflow_script,
    save_config,
)
from rgcoarse.io import user_files
from rgcoarse.io.csv_files import CSV_CHECK_BYTES, CSV_CHECK_ROWS
from rgcoarse.io.datamatrix import DataMatrixError, read_data_matrix
from rgcoarse.io.user_files import check_user_file, read_user_matrix
from rgcoarse.pipeline.snakemake_job import script_job

VALUES = np.random.default_rng(0).standard_normal((20, 3))


def _frame():
    return pd.DataFrame(VALUES, columns=["a", "b", "c"])


def _fails(path, *problems, options=None):
    """Both the parse-time check and the full reader reject ``path``, naming it and every problem."""
    for check in (check_user_file, read_user_matrix):
        with pytest.raises(DataMatrixError) as info:
            check(path, options)
        message = str(info.value)
        assert str(path) in message, message
        for problem in problems:
            assert problem in message, f"{problem!r} not in {message!r}"
    return info.value


# --- (A) header row, saved index, duplicated names ---------------------------------------------------

def test_csv_without_header_row(tmp_path):
    path = tmp_path / "noheader.csv"
    _frame().to_csv(path, index=False, header=False)
    error = _fails(path, "the first row", "is all numbers", "add a header row", "`header: false`")
    assert error.option is None  # the file is at fault: reported under user_datasets.<name>.path


def test_header_false_reads_every_row_with_generated_names(tmp_path):
    path = tmp_path / "noheader.csv"
    _frame().to_csv(path, index=False, header=False)
    assert check_user_file(path, {"header": False}) == (20, 3)
    matrix = read_user_matrix(path, {"header": False})
    assert matrix.feature_names == ["f0", "f1", "f2"]
    np.testing.assert_allclose(matrix.values, VALUES, rtol=1e-15)  # the first sample is kept


def test_header_false_on_a_file_with_a_header_row(tmp_path):
    path = tmp_path / "u.csv"
    _frame().to_csv(path, index=False)
    error = _fails(path, "option header is false", "'a', 'b', 'c'", "remove `header: false`",
                   options={"header": False})
    assert error.option == "header"


def test_header_true_takes_numbers_as_names(tmp_path):
    path = tmp_path / "u.csv"
    pd.DataFrame(VALUES, columns=["1", "2", "3"]).to_csv(path, index=False)
    _fails(path, "is all numbers")
    assert read_user_matrix(path, {"header": True}).feature_names == ["1", "2", "3"]


def test_header_option_on_npy_file(tmp_path):
    path = tmp_path / "u.npy"
    np.save(path, VALUES)
    error = _fails(path, "option header applies to CSV files only", options={"header": False})
    assert error.option == "header"


def _resave(frame, path):
    """Saved with its index, read back and saved without: the index is now a column 'Unnamed: 0'."""
    frame.to_csv(path)
    pd.read_csv(path).to_csv(path, index=False)


@pytest.mark.parametrize(
    "save,problem",
    [
        (lambda f, p: f.to_csv(p), "the first column ('', an unnamed header) is a saved pandas row index"),
        (lambda f, p: _resave(f, p), "the first column ('Unnamed: 0', an unnamed header) is a saved pandas row index"),
        (lambda f, p: f.rename_axis("sample").to_csv(p), "the first column ('sample') holds 0, 1, 2, ..."),
        (lambda f, p: f.to_csv(p, index_label=False), "the rows have one field more than the header row has names"),
    ],
    ids=["to_csv default", "Unnamed: 0", "named index", "index without label"],
)
def test_csv_with_saved_index(tmp_path, save, problem):
    path = tmp_path / "indexed.csv"
    save(_frame(), path)
    _fails(path, problem, "to_csv(path, index=False)")


def test_csv_without_header_but_with_saved_index(tmp_path):
    path = tmp_path / "u.csv"
    _frame().to_csv(path, header=False)
    _fails(path, "holds 0, 1, 2, ...", "index=False", options={"header": False})


def test_parquet_with_non_range_index(tmp_path):
    path = tmp_path / "indexed.parquet"
    _frame().set_axis(np.arange(20) * 2).to_parquet(path)
    assert "__index_level_0__" in pq.read_schema(path).names
    _fails(path, "'__index_level_0__' hold a saved pandas row index", "to_parquet(path, index=False)")
    named = tmp_path / "named.parquet"
    _frame().set_axis(pd.Index(np.arange(20) * 2, name="sample")).to_parquet(named)
    _fails(named, "'sample' hold a saved pandas row index")
    ranged = tmp_path / "ranged.parquet"  # a RangeIndex is metadata only: no column, accepted
    _frame().to_parquet(ranged)
    assert check_user_file(ranged) == (20, 3)


def test_duplicated_column_names(tmp_path):
    csv = tmp_path / "dup.csv"
    csv.write_text("a,b,a\n1,2,3\n4,5,6\n")
    _fails(csv, "duplicated column name(s) 'a'", "give every column a unique name")
    parquet = tmp_path / "dup.parquet"
    pq.write_table(pa.Table.from_arrays([pa.array([1.0, 2.0]), pa.array([3.0, 4.0])], names=["a", "a"]), parquet)
    _fails(parquet, "duplicated column name(s) 'a'")


def test_unnamed_column_from_trailing_comma(tmp_path):
    path = tmp_path / "u.csv"
    path.write_text("a,b,\n1,2,\n3,4,\n")
    _fails(path, "column(s) [3] of the header row have no name")


# --- (B) cheap, bounded parse-time checks; clear errors ----------------------------------------------

def test_empty_npy(tmp_path):
    path = tmp_path / "empty.npy"
    path.write_bytes(b"")
    _fails(path, "empty file (0 bytes)", "numpy.save")


def test_npy_with_zero_rows(tmp_path):
    path = tmp_path / "zero.npy"
    np.save(path, np.zeros((0, 5)))
    _fails(path, "needs at least 2 samples (rows), has 0")


def test_latin1_csv(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("température,pression\n1,2\n3,4\n".encode("latin-1"))
    _fails(path, "not UTF-8 text (byte 0xe9 on line 1)", "re-encode the file as UTF-8")


def test_latin1_beyond_the_checked_rows_is_caught_in_the_job(tmp_path):
    path = tmp_path / "latin1.csv"
    rows = "".join(f"{i % 7},{i % 5}\n" for i in range(2 * CSV_CHECK_ROWS))
    path.write_bytes(b"a,b\n" + rows.encode() + "3,\xe9\n".encode("latin-1"))
    assert check_user_file(path) == (None, 2)  # more rows than the check reads: counted in the job
    with pytest.raises(DataMatrixError, match="not UTF-8 text.*re-encode the file as UTF-8") as info:
        read_user_matrix(path)
    assert str(path) in str(info.value)


def test_npy_header_claiming_a_huge_array(tmp_path):
    path = tmp_path / "forged.npy"
    with path.open("wb") as handle:  # a valid header claiming 200000 x 200000 float64 (320 GB), 64 bytes of data
        npy_format.write_array_header_1_0(handle, {"descr": "<f8", "fortran_order": False, "shape": (200000, 200000)})
        handle.write(bytes(64))
    _fails(path, "the NPY header claims a 200000 × 200000 float64 array (320.0 GB)", "holds 64 bytes",
           "save the array again with numpy.save")


def test_truncated_and_foreign_npy(tmp_path):
    truncated = tmp_path / "truncated.npy"
    np.save(truncated, VALUES)
    truncated.write_bytes(truncated.read_bytes()[:200])
    _fails(truncated, "the file is truncated or corrupt")
    foreign = tmp_path / "foreign.npy"
    foreign.write_bytes(b"1,2\n3,4\n")
    _fails(foreign, "not a readable NPY file")


@pytest.mark.parametrize(
    "array,problem",
    [
        (VALUES.astype(np.complex128), "values are complex (dtype complex128)"),
        (VALUES.astype(np.complex64), "values are complex (dtype complex64)"),
        (np.zeros((3, 2), dtype=[("x", "f8")]), "structured dtype"),
        (np.zeros((3, 2), dtype="datetime64[s]"), "values are not numeric (dtype datetime64[s])"),
    ],
    ids=["complex128", "complex64", "structured", "datetime"],
)
def test_npy_with_non_real_dtype(tmp_path, array, problem):
    path = tmp_path / "u.npy"
    np.save(path, array)
    _fails(path, problem)


def test_object_npy(tmp_path):
    path = tmp_path / "u.npy"
    np.save(path, VALUES.astype(object), allow_pickle=True)
    _fails(path, "dtype object")


def test_big_endian_npy_is_read(tmp_path):
    path = tmp_path / "u.npy"
    np.save(path, VALUES.astype(">f8"))
    assert read_user_matrix(path).values.dtype == np.float64


def test_values_are_checked_in_the_job(tmp_path):
    """The parse-time check reads a bounded prefix; a NaN after it is found by the full reader."""
    path = tmp_path / "late_nan.csv"
    rows = "".join(f"{i % 7},{i % 5}\n" for i in range(2 * CSV_CHECK_ROWS))
    path.write_text("a,b\n" + rows + "3,nan\n")
    assert check_user_file(path) == (None, 2)
    with pytest.raises(DataMatrixError, match="missing or NaN values"):
        read_user_matrix(path)


def test_memory_error_becomes_data_matrix_error(tmp_path, monkeypatch):
    path = tmp_path / "u.npy"
    np.save(path, VALUES)

    def no_memory(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(np, "load", no_memory)
    with pytest.raises(DataMatrixError, match="not enough memory to read the file"):
        read_user_matrix(path)


def _forbid(monkeypatch, *targets):
    def forbidden(*args, **kwargs):
        raise AssertionError("the parse-time check read the whole file")

    for owner, name in targets:
        monkeypatch.setattr(owner, name, forbidden)


def test_parse_time_check_of_a_large_npy_reads_only_the_header(tmp_path, monkeypatch):
    path = tmp_path / "large.npy"
    array = npy_format.open_memmap(path, mode="w+", dtype=np.float32, shape=(50_000, 1_000))  # 200 MB, sparse
    array[-1, -1] = 1.0
    del array
    _forbid(monkeypatch, (np, "load"), (np, "fromfile"), (np, "memmap"), (npy_format, "read_array"),
            (npy_format, "open_memmap"))
    assert check_user_file(path) == (50_000, 1_000)


def test_parse_time_check_of_parquet_reads_only_the_footer(tmp_path, monkeypatch):
    path = tmp_path / "large.parquet"
    pq.write_table(pa.table({f"x{j}": np.arange(200_000, dtype=float) + j for j in range(5)}), path)
    _forbid(monkeypatch, (pq, "read_table"), (pq.ParquetFile, "read"), (pq.ParquetFile, "read_row_group"),
            (pq.ParquetFile, "iter_batches"), (user_files, "_read_parquet_table"))
    assert check_user_file(path) == (200_000, 5)


def test_parse_time_check_of_a_large_csv_reads_a_bounded_prefix(tmp_path, monkeypatch):
    path = tmp_path / "large.csv"
    path.write_text("a,b,c\n" + "1.5,2.5,3.5\n" * 200_000)
    read_csv, seen = pd.read_csv, []

    def recording_read_csv(source, *args, **kwargs):
        assert not isinstance(source, (str, type(path))), "the parse-time check read the whole file"
        seen.append(len(source.getvalue()))
        return read_csv(source, *args, **kwargs)

    monkeypatch.setattr(pd, "read_csv", recording_read_csv)
    assert check_user_file(path) == (None, 3)
    assert seen and max(seen) <= CSV_CHECK_BYTES + 100


# --- through the workflow: `snakemake -n` stops before any job, naming the config key -------------------

def _write_headerless_csv(path):
    _frame().to_csv(path, index=False, header=False)


def _write_complex_npy(path):
    np.save(path, VALUES.astype(complex))


def _write_indexed_parquet(path):
    _frame().set_axis(np.arange(20) * 2).to_parquet(path)


def _write_forged_npy(path):
    with path.open("wb") as handle:
        npy_format.write_array_header_1_0(handle, {"descr": "<f8", "fortran_order": False, "shape": (200000, 200000)})
        handle.write(bytes(64))


DRY_RUN_CASES = [
    ("noheader.csv", _write_headerless_csv, "is all numbers"),
    ("complex.npy", _write_complex_npy, "values are complex (dtype complex128)"),
    ("indexed.parquet", _write_indexed_parquet, "'__index_level_0__' hold a saved pandas row index"),
    ("forged.npy", _write_forged_npy, "the NPY header claims a 200000 × 200000 float64 array (320.0 GB)"),
]


@pytest.mark.parametrize("name,write,problem", DRY_RUN_CASES, ids=[c[0] for c in DRY_RUN_CASES])
def test_bad_user_file_fails_dry_run(workflow_copy, name, write, problem):
    write(workflow_copy / name)
    config = load_config(workflow_copy)
    config["user_datasets"] = {"mine": {"path": name}}
    save_config(workflow_copy, config)
    output = dry_run_error(workflow_copy)  # in process: see tests/test_config.py
    assert output is not None, f"{name}: the dry-run accepted it"
    assert f"config key user_datasets.mine.path: {name}: " in output, output[-3000:]
    assert problem in output, output[-3000:]
    for bare in ("EOFError", "UnicodeDecodeError", "MemoryError"):
        assert bare not in output
    assert not (workflow_copy / "results").exists(), "a job ran despite the bad file"


def test_header_option_on_npy_fails_dry_run_naming_the_option(workflow_copy):
    np.save(workflow_copy / "good.npy", VALUES)
    config = load_config(workflow_copy)
    config["user_datasets"] = {"mine": {"path": "good.npy", "header": False}}
    save_config(workflow_copy, config)
    proc = run_snakemake(workflow_copy, "-n", "--quiet")
    assert proc.returncode != 0
    assert "config key user_datasets.mine.header: good.npy: option header applies to CSV files only" in (
        proc.stdout + proc.stderr
    )
    assert not (workflow_copy / "results").exists()


def test_header_false_end_to_end(tmp_path):
    """`header: false` passes the parse-time check and reaches the job through the rule's params."""
    workflow_copy = copy_workflow(tmp_path / "workflow")  # with envs/: the job records its conda env
    _write_headerless_csv(workflow_copy / "noheader.csv")
    config = load_config(workflow_copy)
    config["user_datasets"] = {"mine": {"path": "noheader.csv", "header": False, "methods": ["random"]}}
    save_config(workflow_copy, config)
    run_snakemake(workflow_copy, "--cores", "1", "results/data/mine/default.parquet", check=True)
    matrix = read_data_matrix(workflow_copy / "results/data/mine/default.parquet")
    assert matrix.feature_names == ["f0", "f1", "f2"]
    np.testing.assert_allclose(matrix.values, VALUES, rtol=1e-15)


def test_user_dataset_script_passes_options(tmp_path):
    source, output = tmp_path / "noheader.csv", tmp_path / "out.parquet"
    _write_headerless_csv(source)
    job = script_job("user_dataset", input=[source], output=[output], params={"options": {"header": False}},
                     wildcards={"dataset": "mine"}, log=[tmp_path / "log.txt"])
    run_workflow_script("user_dataset.py", job)
    assert read_data_matrix(output).n_samples == 20


def test_bad_value_after_the_checked_rows_fails_the_job(tmp_path):
    """A NaN the parse-time check cannot see (past its rows) fails the job, logged with the file's name."""
    workflow_copy = copy_workflow(tmp_path / "workflow")
    rows = "".join(f"{i % 7},{i % 5}\n" for i in range(2 * CSV_CHECK_ROWS))
    (workflow_copy / "late_nan.csv").write_text("a,b\n" + rows + "3,nan\n")
    config = load_config(workflow_copy)
    config["user_datasets"] = {"mine": {"path": "late_nan.csv", "methods": ["random"]}}
    save_config(workflow_copy, config)
    proc = run_snakemake(workflow_copy, "--cores", "1", "results/data/mine/default.parquet")
    assert proc.returncode != 0
    log = (workflow_copy / "logs/data/mine/default.log").read_text()
    assert "late_nan.csv: missing or NaN values" in log
    assert not (workflow_copy / "results/data/mine/default.parquet").exists()
