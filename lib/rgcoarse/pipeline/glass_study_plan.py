"""The glass sensitivity study's plan: its variants, runs and analysis jobs."""

from __future__ import annotations

import math
from pathlib import PurePosixPath

from rgcoarse.config.conditions import (
    find_temperature,
    replica_condition,
    same_temperature,
)
from rgcoarse.config.seeds import derive_seed
from rgcoarse.config.validation import ConfigError
from rgcoarse.pipeline.glass_plan import (
    GLASS_BASE_VARIANT,
    GLASS_STUDY_DIR,
    GLASS_VARIANT_OWN_KEYS,
    _glass_split,
)

GLASS_STUDY_TABLES = [f"results/glass_study/{name}" for name in ("runs.csv", "exponents.csv", "size_scaling.csv", "claims.md")]
# Per figure: pdf, png, caption (the order the figure script writes them in).
GLASS_STUDY_FIGURES = [
    f"figures/supp_glass_study_{name}.{ext}" for name in ("local_exponent", "rho") for ext in ("pdf", "png", "caption.txt")
]


class GlassStudyPlan:
    """Methods of :class:`rgcoarse.pipeline.plan.Plan` for the glass sensitivity study."""

    def glass_variant(self, condition):
        """The study variant of a run: ``base`` for the glass arm's own runs."""
        parts = PurePosixPath(condition).parts
        return parts[1] if len(parts) == 3 and parts[0] == GLASS_STUDY_DIR else GLASS_BASE_VARIANT

    def _variant_config(self, variant):
        """The glass config with a study variant's keys replaced (its overrides merged per temperature)."""
        if variant == GLASS_BASE_VARIANT:
            return self.glass
        try:
            settings = self.glass_study["variants"][variant]
        except KeyError:
            raise ConfigError(f"config key glass_study.variants: no variant {variant!r}") from None
        merged = dict(self.glass)
        merged.update({key: value for key, value in settings.items() if key not in GLASS_VARIANT_OWN_KEYS})
        overrides = {str(key): dict(value) for key, value in self.glass["overrides"].items()}
        for key, value in (settings.get("overrides") or {}).items():
            name = next((k for k in overrides if same_temperature(k, key)), str(key))
            overrides[name] = {**overrides.get(name, {}), **value}
        merged["overrides"] = overrides
        merged["temperatures"] = list(self.glass["temperatures"]) + [
            t for t in self.glass_variant_temperatures(variant) if find_temperature(t, self.glass["temperatures"]) is None
        ]
        return merged

    def _study_setting(self, variant, key):
        """A variant's own ``temperatures`` or ``replicas``, else the study's."""
        return (self.glass_study["variants"].get(variant) or {}).get(key, self.glass_study[key])

    def glass_variant_temperatures(self, variant):
        """Temperatures the study analyses in ``variant``."""
        return list(self._study_setting(variant, "temperatures"))

    def glass_variant_replicas(self, variant):
        return int(self._study_setting(variant, "replicas"))

    def glass_condition(self, variant, temperature, replica):
        """Wildcard value of one run of a study variant (the glass arm's own name for ``base``)."""
        run = replica_condition(temperature, replica)
        return run if variant == GLASS_BASE_VARIANT else str(PurePosixPath(GLASS_STUDY_DIR, variant, run))

    def glass_study_conditions(self):
        """Every run of the sensitivity study, as (variant, temperature, replica) -> condition."""
        return {
            (variant, float(t), r): self.glass_condition(variant, t, r)
            for variant in self.glass_study["variants"]
            for t in self.glass_variant_temperatures(variant)
            for r in range(self.glass_variant_replicas(variant))
        }

    def glass_study_run_input(self, wildcards):
        owner = self.glass_data_owner(self.glass_condition(wildcards.variant, *_glass_split(wildcards.run)))
        return {
            "data": f"results/data/glass/{owner}.parquet",
            "thermo": f"results/glass/{owner}/production_thermo.parquet",
            "summary": f"results/glass/{owner}/summary.json",
            "dynamics": f"results/glass/{owner}/dynamics.json",
        }

    def glass_study_run_params(self, wildcards):
        """What the analysis of one run needs to know about it and about the study."""
        temperature, replica = _glass_split(wildcards.run)
        condition = self.glass_condition(wildcards.variant, temperature, replica)
        glass, settings = self.glass_config(condition), self.glass_settings(condition)
        production = self.glass_production_stage(condition)
        return {
            "variant": wildcards.variant,
            "label": (self.glass_study["variants"][wildcards.variant] or {}).get("label", wildcards.variant),
            "temperature": temperature,
            "replica": replica,
            "condition": condition,
            "data_condition": self.glass_data_owner(condition),
            "n_particles": glass["n_particles"],
            "cutoff_scaling": glass["cutoff_scaling"],
            "thermostat": production["thermostat"],
            "thermostat_damping": production["thermostat_damping"],
            "production": float(settings["production"]),
            "protocol": self.glass_protocol(condition),
            "phop_window": glass["phop_window"],
            "methods": list(self.glass_study["methods"]),
            "options": {method: self.pairing_options(method) for method in self.glass_study["methods"]},
            "seeds": {method: derive_seed(self.config["seed"], "glass_study", condition, method) for method in self.glass_study["methods"]},
            "null_seed": derive_seed(self.config["seed"], "glass_study", condition, "thermo_null"),
            "omega": self.config["coarse_graining"]["omega"],
            "min_variables": self.config["coarse_graining"]["min_variables"],
            "fit_ranges": dict(self.glass_study["fit_ranges"]),
            "min_clusters": self.glass_study["min_clusters"],
            "null_shifts": self.glass_study["null_shifts"],
            "drift_sigmas": self.glass_study["drift_sigmas"],
            "tau_alpha_fraction": self.glass_study["tau_alpha_fraction"],
        }

    def glass_study_mem_mb(self, wildcards):
        """Projection pairing holds about four N x N float64 matrices, plus 1 GB."""
        n = self.glass_config(self.glass_condition(wildcards.variant, *_glass_split(wildcards.run)))["n_particles"]
        return 1000 + math.ceil(32 * n * n / 1e6)

    def glass_study_run_targets(self, ext):
        """The per-run analysis files (``json`` or ``parquet``) of every run of the study."""
        return [f"results/glass_study/runs/{variant}/{replica_condition(t, r)}.{ext}" for (variant, t, r) in self.glass_study_conditions()]
