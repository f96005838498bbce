"""Job times by part of the pipeline, from Snakemake's benchmark files (rgcoarse.pipeline.job_times)."""

import pytest
from rgcoarse.pipeline.job_times import job_time_table


def _benchmark(root, relative, seconds):
    path = root / "benchmarks" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"s\th:m:s\tmax_rss\n{seconds}\t0:00:01\t10\n")


def test_parts_sum_each_stage_and_give_arms_their_pairing_rules_jobs(tmp_path):
    for relative, seconds in [("glass/T0.400_r0/prepare.tsv", 100.0), ("glass/T0.400_r0/produce.tsv", 300.0),
                              ("glass/T0.400_r0/phop.tsv", 7.0), ("coarse/ising/T2.000/projection.tsv", 11.0),
                              ("coarse/ising/T2.000/rmi.tsv", 5.0), ("fits/glass/T0.400_r0/rmi.tsv", 2.0),
                              ("rmi/optimisation.tsv", 13.0), ("wcrg/fits/b0.930.tsv", 9.0),
                              ("nulls/glass/T0.400_r0/shift/projection.tsv", 4.0)]:
        _benchmark(tmp_path, relative, seconds)
    table = job_time_table(tmp_path).set_index("part")
    assert table.loc["lammps", "seconds"] == 400.0 and table.loc["lammps", "jobs"] == 2
    assert table.loc["glass_other", "seconds"] == 7.0
    assert table.loc["coarse", "seconds"] == 11.0
    assert table.loc["arm_rmi", "seconds"] == 20.0 and table.loc["arm_rmi", "jobs"] == 3
    assert table.loc["arm_wcrg", "seconds"] == 9.0
    assert table.loc["nulls", "seconds"] == 4.0
    assert table.loc["arm_rmi", "ratio_to_lammps"] == pytest.approx(0.05)


def test_a_directory_without_benchmarks_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="no benchmarks directory"):
        job_time_table(tmp_path)


def test_startup_costs_are_read_from_the_jobs_logs(tmp_path):
    from rgcoarse.pipeline.job_times import startup_costs
    from rgcoarse.pipeline.snakemake_job import STARTUP_MARK

    (tmp_path / "logs" / "fits").mkdir(parents=True)
    (tmp_path / "logs" / "fits" / "a.log").write_text(f"x INFO {STARTUP_MARK} 1.250 s\nx INFO fit done\n")
    (tmp_path / "logs" / "fits" / "b.log").write_text(f"x INFO {STARTUP_MARK} 2.000 s\nx INFO {STARTUP_MARK} 0.750 s\n")
    (tmp_path / "logs" / "lammps.log").write_text("LAMMPS (29 Aug 2024)\n")
    costs = startup_costs(tmp_path)
    assert costs.to_dict() == {"fits/a.log": 1.25, "fits/b.log": 0.75}  # the last run of a re-run job


def test_fixed_costs_subtract_the_kernels_own_library_imports(tmp_path):
    from rgcoarse.pipeline.job_times import (
        fixed_costs,
        import_cpu,
        job_stats,
        job_weighted_median,
        script_imports,
    )
    from rgcoarse.pipeline.snakemake_job import loaded_libraries

    (tmp_path / "heavy.py").write_text("import json\nimport numpy as np\nfrom pandas import DataFrame\nx = 1\n")
    assert script_imports(tmp_path / "heavy.py") == "import json\nimport numpy as np\nfrom pandas import DataFrame"
    table = fixed_costs({"heavy": 3, "no_script": 5}, tmp_path, repeats=1)
    assert list(table["script"]) == ["heavy"] and list(table["jobs"]) == [3]  # a rule without a script is left out
    row = table.iloc[0]
    assert row["library_cpu_s"] > import_cpu([], repeats=1)  # numpy and pandas cost CPU to import
    assert row["fixed_cpu_s"] == row["startup_cpu_s"] - row["library_cpu_s"]
    assert job_weighted_median(table, "fixed_cpu_s") == row["fixed_cpu_s"]
    log = "Job stats:\njob    count\n-----  -----\nall        1\nheavy      3\ntotal      4\n\nSelect jobs\n"
    assert job_stats(log) == {"all": 1, "heavy": 3}
    assert "numpy" in loaded_libraries() and not any(n.startswith(("rgcoarse", "snakemake")) for n in loaded_libraries())
