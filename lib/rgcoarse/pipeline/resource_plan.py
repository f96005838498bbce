"""What each job asks of the scheduler: the data shape an analysis job reads, its memory (``mem_mb``)
and the runtime of the jobs whose cost grows with a setting (``runtime``), from the cost models of
:mod:`rgcoarse.pipeline.costs`. The checks that refuse a config before any job
(:class:`rgcoarse.pipeline.plan_checks.PlanChecks`) read the same numbers.
"""

from __future__ import annotations

from rgcoarse.config.validation import ConfigError
from rgcoarse.datasets.kinds import DATASET_KINDS, kind_of_dataset, source_dataset
from rgcoarse.pipeline import costs


class Wildcards:
    """The wildcards a runtime reads, outside a Snakemake job."""

    def __init__(self, **wildcards):
        self.__dict__.update(wildcards)


class ResourcePlan:
    """Methods of :class:`rgcoarse.pipeline.plan.Plan` that size its jobs."""

    def ising_chain_runtime(self, wildcards) -> int:
        """``runtime`` (minutes) of one Ising chain (rgcoarse.pipeline.costs)."""
        s = self.ising_settings(wildcards.condition)
        seconds = costs.ising_chain_seconds(self.config["ising"]["lattice_size"], s["burn_in_sweeps"],
                                            s["pilot_sweeps"], s["n_samples"], s["spacing_factor"])
        return costs.requested_minutes("ising_chain", seconds)

    def observables_runtime(self, wildcards) -> int:
        """``runtime`` (minutes) of one observables job: its bootstrap (rgcoarse.pipeline.costs)."""
        shape = self.analysis_shape(wildcards.dataset, wildcards.condition)
        seconds = costs.bootstrap_seconds(self.config["fits"]["n_bootstrap"], *shape) if shape else 0.0
        return costs.requested_minutes("observables", seconds)

    def null_statistics_runtime(self, wildcards=None) -> int:
        """``runtime`` (minutes) of one null-statistics job (rgcoarse.pipeline.costs)."""
        return costs.null_statistics_minutes(self.config["nulls"]["draws"])

    def dataset_sizes(self) -> dict:
        """``{dataset: (n_samples or None, n_features, the config keys that set them)}`` of every dataset."""
        sizes = {}
        for name, kind in DATASET_KINDS.items():
            size = kind.size(self.config) if kind.builtin and kind.size else None
            if size is not None:
                sizes[name] = size
        for name, (n_samples, n_features) in self.user_file_shapes.items():
            sizes[name] = (n_samples, n_features, f"user_datasets.{name}.path")
        return sizes

    def analysis_shape(self, dataset, condition) -> tuple[int, int] | None:
        """(samples, features) an analysis job of one condition of ``dataset`` reads (a null's: its
        source's), ``None`` when only the data will tell (a user file whose rows were not counted)."""
        source = source_dataset(dataset)
        if kind_of_dataset(source).name == "glass":  # frames of the production run (an upper bound on p_hop's)
            stage = self.glass_production_stage(condition)
            return stage["n_steps"] // stage["dump_every"] + 1, self.glass_config(condition)["n_particles"]
        size = self.dataset_sizes().get(source)
        return (size[0], size[1]) if size is not None and size[0] is not None else None

    def analysis_mem_mb(self, wildcards) -> int:
        """``mem_mb`` an analysis job declares: the cost model's estimate for its dataset
        (:func:`rgcoarse.pipeline.costs.declared_mem_mb`), or ``resources.analysis_mem_mb`` when the
        size is unknown before the data exist."""
        shape = self.analysis_shape(wildcards.dataset, wildcards.condition)
        return costs.declared_mem_mb(*shape) if shape else self.config["resources"]["analysis_mem_mb"]

    def largest_analysis_mem_mb(self) -> tuple[int, str]:
        """The largest ``mem_mb`` any analysis job of this run declares, and its dataset and condition."""
        declared = [(costs.declared_mem_mb(*shape), f"{dataset} {condition}")
                    for dataset, condition in self.data_dataset_conditions()
                    if (shape := self.analysis_shape(dataset, condition))]
        return max(declared, default=(0, ""))

    def check_machine_memory(self, available_mb: int, where: str) -> None:
        """Stop before any job when one analysis job would need more memory than ``available_mb``."""
        need, name = self.largest_analysis_mem_mb()
        if need > available_mb:
            raise ConfigError(
                f"dataset {name}: one analysis job needs about {need:,} MB (cost model, rgcoarse.pipeline.costs), "
                f"more than the {available_mb:,} MB {where}; reduce the dataset or run on a machine with more "
                "memory (snakemake --resources mem_mb=N sets what Snakemake may use)")
