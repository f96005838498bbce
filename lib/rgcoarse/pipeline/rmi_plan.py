"""The renormalized-mutual-information arm's plan: its targets, settings, seeds and config checks."""

from __future__ import annotations

from rgcoarse.config.seeds import derive_seed
from rgcoarse.config.validation import ConfigError

RMI_DIR = "results/rmi"
# figure -> the feature comparison it draws (rgcoarse.rmi.experiments.COMPARISONS; its table is
# results/rmi/<comparison>.parquet); the optimisation figure draws the optimisation tables
RMI_COMPARISON_FIGURES = {"rmi_fig2b": "wave_packet", "rmi_fig2d": "drops"}
RMI_OPTIMISATION_FIGURE = "rmi_fig3"
RMI_FIGURES = (*RMI_COMPARISON_FIGURES, RMI_OPTIMISATION_FIGURE)
RMI_OPTIMISATION_TABLES = ("trace", "runs", "grid")
BYTES_PER_VALUE = 8
WORKING_COPIES = 4  # samples, noise, feature Jacobians, a half-sample


class RmiPlan:
    """Methods of :class:`rgcoarse.pipeline.plan.Plan` for the RMI arm."""

    @property
    def rmi(self) -> dict:
        return self.config.get("rmi", {})

    def rmi_enabled(self) -> bool:
        return bool(self.rmi.get("enabled", False))

    def rmi_comparison_path(self, experiment: str) -> str:
        return f"{RMI_DIR}/{experiment}.parquet"

    def rmi_comparison_paths(self, experiment: str) -> dict:
        """The comparison's table and the few example samples its figure draws."""
        return {"table": self.rmi_comparison_path(experiment), "examples": f"{RMI_DIR}/{experiment}_examples.parquet"}

    def rmi_optimisation_paths(self) -> dict:
        return {name: f"{RMI_DIR}/optimisation_{name}.parquet" for name in RMI_OPTIMISATION_TABLES}

    def rmi_figure_paths(self, figure: str) -> list[str]:
        return [f"figures/{figure}.{ext}" for ext in ("pdf", "png", "caption.txt")]

    def rmi_targets(self) -> list[str]:
        """Every table and figure of the arm (none when ``rmi.enabled`` is false)."""
        if not self.rmi_enabled():
            return []
        tables = [path for e in RMI_COMPARISON_FIGURES.values() for path in self.rmi_comparison_paths(e).values()]
        tables += list(self.rmi_optimisation_paths().values())
        return tables + [path for figure in RMI_FIGURES for path in self.rmi_figure_paths(figure)]

    def rmi_comparison_settings(self, experiment: str) -> dict:
        """What one feature-comparison job needs: the model's settings, its levels, the estimator."""
        model = dict(self.rmi[experiment])
        levels = model.pop("noise" if experiment == "wave_packet" else "spreads")
        return {"experiment": experiment, "levels": [float(v) for v in levels], "model": model,
                "estimator": self.rmi["entropy_estimator"], "bins": self.rmi["histogram_bins"],
                "n_resamples": self.rmi["half_samples"], "confidence": self.config["fits"]["confidence"]}

    def rmi_figure_inputs(self, wildcards) -> dict:
        """The tables one figure is drawn from."""
        if wildcards.figure == RMI_OPTIMISATION_FIGURE:
            return self.rmi_optimisation_paths()
        return self.rmi_comparison_paths(RMI_COMPARISON_FIGURES[wildcards.figure])

    def rmi_figure_settings(self, wildcards) -> dict:
        """The settings a figure's caption states."""
        if wildcards.figure == RMI_OPTIMISATION_FIGURE:
            return dict(self.rmi["optimisation"])
        return dict(self.rmi[RMI_COMPARISON_FIGURES[wildcards.figure]])

    def rmi_seed(self, name: str) -> int:
        return derive_seed(self.config["seed"], "rmi", name)

    def rmi_claims_inputs(self) -> dict:
        if not self.rmi_enabled():
            return {}
        return {"rmi_wave_packet": self.rmi_comparison_path("wave_packet"), "rmi_drops": self.rmi_comparison_path("drops"),
                "rmi_optimisation_runs": self.rmi_optimisation_paths()["runs"]}

    def _check_rmi_config(self):
        """Ranges the schema cannot state, and the arm's memory against the jobs' declared budget."""
        if not self.rmi_enabled():
            return
        rmi = self.rmi
        wave, drops, opt = rmi["wave_packet"], rmi["drops"], rmi["optimisation"]
        low, high = wave["centre_range"]
        if not 1 <= low < high <= wave["n_sites"]:
            raise ConfigError(f"rmi.wave_packet.centre_range: expected 1 <= low < high <= n_sites "
                              f"({wave['n_sites']}), got {wave['centre_range']}")
        low, high = rmi["crossover_range"]
        if not low < high:
            raise ConfigError(f"rmi.crossover_range: expected low < high, got {rmi['crossover_range']}")
        noise = wave["noise"]
        if low < min(noise) or high > max(noise):  # a change outside the measured levels can never be seen
            raise ConfigError(f"rmi.crossover_range: {rmi['crossover_range']} reaches outside the noise levels measured, "
                              f"rmi.wave_packet.noise [{min(noise):g}, {max(noise):g}]")
        if opt["batch"] > opt["pool"]:
            raise ConfigError(f"rmi.optimisation.batch ({opt['batch']}) exceeds rmi.optimisation.pool ({opt['pool']})")
        if opt["neighbours"] >= opt["batch"]:
            raise ConfigError(f"rmi.optimisation.neighbours ({opt['neighbours']}) must be below batch ({opt['batch']})")
        if rmi["entropy_estimator"] == "histogram":
            fewest = min(wave["n_samples"], drops["n_samples"]) // 2  # a half-sample
            if fewest < rmi["histogram_bins"]:
                raise ConfigError(f"rmi.histogram_bins ({rmi['histogram_bins']}) exceeds the {fewest} samples of a "
                                  "half-sample (rmi.wave_packet.n_samples or rmi.drops.n_samples / 2): use fewer bins "
                                  "or entropy_estimator: knn")
        budget_mb = self.config["resources"]["analysis_mem_mb"]
        sizes = {"rmi.wave_packet": wave["n_samples"] * wave["n_sites"],
                 "rmi.drops": drops["n_samples"] * 2 * drops["n_particles"] * 2,  # 2-D Jacobians
                 "rmi.optimisation": max(opt["pool"], opt["evaluation_samples"]) * 3 * (opt["basis_per_side"] ** 2 + 2)}
        for key, values in sizes.items():
            needed_mb = values * BYTES_PER_VALUE * WORKING_COPIES / 1e6
            if needed_mb > budget_mb:
                raise ConfigError(f"{key}: about {needed_mb:.0f} MB needed, more than the {budget_mb} MB the jobs "
                                  "declare (resources.analysis_mem_mb); reduce its samples or raise the budget")
