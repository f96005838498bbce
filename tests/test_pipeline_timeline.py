"""The benchmark helper that reads job times and the critical path from a Snakemake log."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "benchmarks"))
from pipeline_timeline import critical_path, parse_jobs, stage_table  # noqa: E402


def block(stamp, rule, jobid, inputs=(), outputs=(), wildcards=None):
    lines = [f"[Tue Dec  1 21:{stamp} 2026]", f"localrule {rule}:"]
    if inputs:
        lines.append(f"    input: {', '.join(inputs)}")
    lines.append(f"    output: {', '.join(outputs)}")
    lines.append(f"    jobid: {jobid}")
    if wildcards:
        lines.append(f"    wildcards: {wildcards}")
    return "\n".join(lines) + "\n"


def finished(stamp, jobid, rule):
    return f"[Tue Dec  1 21:{stamp} 2026]\nFinished jobid: {jobid} (Rule: {rule})\n"


# a (10 s) -> c (5 s); b (30 s) -> c; b -> d (1 s): the critical path is b, c (35 s).
LOG = "".join([
    block("00:00", "a", 1, outputs=["x"], wildcards="condition=T1"),
    block("00:00", "b", 2, outputs=["y", "y2"]),
    finished("00:10", 1, "a"),
    finished("00:30", 2, "b"),
    block("00:30", "c", 3, inputs=["x", "y"], outputs=["z"]),
    block("00:30", "d", 4, inputs=["y2"], outputs=["w"]),
    finished("00:31", 4, "d"),
    finished("00:35", 3, "c"),
])  # fmt: skip


def test_jobs_times_and_dependencies_are_read_from_the_log():
    jobs = parse_jobs(LOG)
    assert {job.jobid: job.seconds for job in jobs.values()} == {1: 10, 2: 30, 3: 5, 4: 1}
    assert jobs[3].inputs == ["x", "y"] and jobs[2].outputs == ["y", "y2"]
    assert jobs[1].name == "a[condition=T1]"


def test_stage_table_and_critical_path():
    jobs = parse_jobs(LOG)
    assert stage_table(jobs)[0] == ("b", 1, 30.0, 30.0)
    assert [job.rule for job in critical_path(jobs)] == ["b", "c"]
