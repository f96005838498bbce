"""Behaviour unchanged: the tiny run's Parquet values equal the recorded ones (issue 23, point 8).

Every analysis job of the tiny run has one thread, and Snakemake gives a job as many BLAS threads
as it has threads, so the run uses one BLAS thread. The recorded fingerprints
(``tests/fixtures/tiny_fingerprints.json``) were made from a run at commit time by
``python tests/tiny_fingerprint.py RUN_DIR``; ``tiny_fingerprint.PATH_RENAMES`` and
``COLUMN_RENAMES`` state the map from the recorded names to today's.

Re-recorded for issue 24, when the null draws moved into one batched job per (condition, model,
rule): the per-draw null datasets, coarse-grainings, observables and fits left the run, the
``results/nulls`` tables came in, and the exponents table lost its null rows. Every table of the
data itself was unchanged at that re-recording (checked against the previous fingerprints).

Re-recorded again when the information rule's pair term for continuous data moved to a kNN
estimator (KSG) and the rule ``information_eq24`` joined the planted benchmark: only the planted
structures' information tables, the new rule's tables and the exponents table's rows for them
changed. And when M2 and P0 fits
gained ``slope_change`` and the ``curved`` status: the fits tables gained that column, and the
exponents table its column, the statuses of fits whose slope changes by more than 0.2 and the
random-pairing exponent beside a curved random fit (no other value moved). And when the companion
arms came in (issues 25 and 26): the RMI arm's ``results/rmi`` and the WCRG arm's ``results/wcrg``
tables were added; every table already recorded was unchanged. And when the WCRG arm gained its
sampling, Ising-bridge tables and the lattice rule at T = 2.3 of the tiny run (the bridge reads its
M2): those tables were added, the exponents table gained the lattice rule's rows, and no other
table moved. And when the Bayesian renormalization arm came in (issue 27): its ``results/bayes_rg``
tables were added and no recorded table moved; then its summary gained the causes of the exact zeros
(``zero_blank_pixel``, ``zero_dead_unit``, ``zero_other``). And when the exponents table gained the
excess over the selection-bias null (``excess``, ``excess_low``, ``excess_high``; issue 24): no other
column or table moved. And when the shift null's draws gained the seam control's COD-increment
exponent (``cod_increment_exponent_seams``, one row per draw; issue 24): the shift null tables
gained those rows and no other table moved (the information rule's faster joint counts, issue 28,
moved nothing either). And when the level-0 COD moved into one job per condition (rule
``level0_cod``, issue 28): its ``level0_cod.parquet`` tables were added, and every rule's COD table,
which now splices them in, was unchanged bit for bit.

The values are bit-exact only for one set of CPU kernels, so ``conftest.PINNED_KERNELS`` pins
OpenBLAS, NumPy and numba to AVX2 code on every x86-64 machine: unpinned, an AVX-512 machine's
BLAS rounding flips near-ties in the projection pairing and moves most tables.
"""

import json

import tiny_fingerprint as tf


def test_tiny_run_tables_equal_the_recorded_values(tiny_run):
    expected = json.loads(tf.FINGERPRINTS.read_text())
    problems = tf.compare(expected, tiny_run)
    assert not problems, "\n".join(problems)


def test_fingerprint_sees_a_changed_value(tiny_run, tmp_path):
    """The comparison is not blind: one value moved by 1e-9 (relative) fails it."""
    import pandas as pd

    expected = json.loads(tf.FINGERPRINTS.read_text())
    path = next(p for p in sorted(expected) if p.endswith("m2.parquet"))
    frame = pd.read_parquet(tiny_run / tf.renamed_path(path))
    frame.loc[frame.index[-1], "m2"] *= 1 + 1e-9
    copy = tmp_path / "run"
    (copy / tf.renamed_path(path)).parent.mkdir(parents=True)
    frame.to_parquet(copy / tf.renamed_path(path))
    problems = tf.compare({path: expected[path]}, copy)
    assert any("m2" in p for p in problems), problems
