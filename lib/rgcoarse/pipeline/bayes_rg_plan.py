"""The Bayesian-renormalization arm's plan: its targets, settings, seeds and config checks."""

from __future__ import annotations

from rgcoarse.bayes_rg.fisher import GRADIENT_CHUNK
from rgcoarse.config.conditions import same_temperature, temperature_condition
from rgcoarse.config.seeds import derive_seed
from rgcoarse.config.validation import ConfigError

BAYES_DIR = "results/bayes_rg"
BAYES_TABLES = ("pruning", "fisher", "eigen", "summary")
BAYES_FIGURES = ("bayes_rg_pruning", "bayes_rg_fisher_spectrum", "bayes_rg_kyfan")
DIGITS_PIXELS = 64  # load_digits: 8 x 8
MNIST_PIXELS = 784  # 28 x 28
WORKING_COPIES = 4  # the data, its forward pass, the reconstruction and its gradient


class BayesRgPlan:
    """Methods of :class:`rgcoarse.pipeline.plan.Plan` for the Bayesian renormalization arm."""

    @property
    def bayes_rg(self) -> dict:
        return self.config.get("bayes_rg", {})

    def bayes_rg_enabled(self) -> bool:
        return bool(self.bayes_rg.get("enabled", False))

    def bayes_rg_paths(self, source: str = "digits") -> dict:
        """The tables of one source: ``digits`` (results/bayes_rg/), ``mnist`` or a user dataset (``user/<name>``)."""
        directory = BAYES_DIR if source == "digits" else f"{BAYES_DIR}/{source}"
        return {name: f"{directory}/{name}.parquet" for name in BAYES_TABLES}

    def bayes_rg_user_datasets(self) -> list[str]:
        """User datasets the arm trains on: those wider than the latent width (the others are skipped, said
        as a warning before any job starts)."""
        if not self.bayes_rg_enabled():
            return []
        latent = self.bayes_rg["latent"]
        return [name for name in self.config.get("user_datasets", {})
                if self.user_file_shapes.get(name, (None, None))[1] is None or self.user_file_shapes[name][1] > latent]

    def bayes_rg_settings(self, source: str = "digits") -> dict:
        """What a pruning job needs: the training, Fisher and pruning settings (MNIST: its own epochs and seeds)."""
        keys = ("test_fraction", "latent", "epochs", "batch_size", "learning_rate", "temperature", "seeds",
                "random_draws", "fraction_step", "max_fraction", "tolerance", "gap_null_draws")
        settings = {key: self.bayes_rg[key] for key in keys}
        if source == "mnist":
            settings.update(epochs=self.bayes_rg["mnist"]["epochs"], seeds=self.bayes_rg["mnist"]["seeds"])
        return settings

    def bayes_rg_seeds(self, source: str = "digits") -> list[int]:
        """One seed per training run (its split, initialisation, batches and random pruning orders)."""
        count = self.bayes_rg_settings(source)["seeds"]
        return [derive_seed(self.config["seed"], "bayes_rg", source, str(i)) for i in range(count)]

    def bayes_rg_mnist_path(self) -> str:
        """The MNIST file or directory of the named target; an error naming the key when none is set."""
        path = self.bayes_rg.get("mnist", {}).get("path")
        if not path:
            raise ConfigError("bayes_rg.mnist.path: not set. The bayes_rg_mnist target needs MNIST: an .npz with "
                              "x_train and x_test, or a directory holding the four IDX files (see docs/bayes_rg.md)")
        return path

    def bayes_rg_kyfan_condition(self) -> str:
        return temperature_condition(self.bayes_rg["kyfan"]["ising_temperature"])

    def bayes_rg_kyfan_inputs(self) -> dict:
        """The data and every rule's coarse-graining at the Ky Fan temperature, and on the Gaussian data."""
        condition = self.bayes_rg_kyfan_condition()
        inputs = {}
        for dataset, cond in (("ising", condition), ("gaussian", "default")):
            inputs[f"{dataset}_data"] = f"results/data/{dataset}/{cond}.parquet"
            inputs[f"{dataset}_levels"] = [f"results/coarse/{dataset}/{cond}/{m}.parquet"
                                           for m in self.methods_for(dataset, cond)]
        return inputs

    def bayes_rg_figure_inputs(self, figure: str) -> dict:
        if figure == "bayes_rg_kyfan":
            return {"kyfan": f"{BAYES_DIR}/kyfan.parquet"}
        paths = self.bayes_rg_paths()
        if figure == "bayes_rg_pruning":
            return {"pruning": paths["pruning"], "summary": paths["summary"]}
        if figure == "bayes_rg_fisher_spectrum":
            return {"fisher": paths["fisher"], "eigen": paths["eigen"], "summary": paths["summary"]}
        raise ValueError(f"bayes_rg: no figure named {figure!r}; known: {', '.join(BAYES_FIGURES)}")

    def bayes_rg_targets(self) -> list[str]:
        """Every table and figure of the arm in the default run (the MNIST setting is its own target)."""
        if not self.bayes_rg_enabled():
            return []
        tables = list(self.bayes_rg_paths().values()) + [f"{BAYES_DIR}/kyfan.parquet"]
        tables += [p for d in self.bayes_rg_user_datasets() for p in self.bayes_rg_paths(f"user/{d}").values()]
        return tables + [f"figures/{f}.{ext}" for f in BAYES_FIGURES for ext in ("pdf", "png", "caption.txt")]

    def bayes_rg_claims_inputs(self) -> dict:
        if not self.bayes_rg_enabled():
            return {}
        paths = self.bayes_rg_paths()
        return {"bayes_rg_pruning": paths["pruning"], "bayes_rg_summary": paths["summary"]}

    def _check_bayes_rg_config(self):
        """Ranges the schema cannot state: widths against each input, the Ky Fan temperature, memory."""
        if not self.bayes_rg_enabled():
            return
        arm = self.bayes_rg
        if arm["fraction_step"] > arm["max_fraction"]:
            raise ConfigError(f"bayes_rg.fraction_step ({arm['fraction_step']}) exceeds bayes_rg.max_fraction "
                              f"({arm['max_fraction']})")
        inputs = {"the digits (64 pixels)": DIGITS_PIXELS}
        if arm["mnist"]["path"]:
            inputs["MNIST (784 pixels)"] = MNIST_PIXELS
        for name in self.config.get("user_datasets", {}):
            n_samples, n_features = self.user_file_shapes.get(name, (None, None))
            if name not in self.bayes_rg_user_datasets():
                self.warnings.append(f"bayes_rg: user dataset {name!r} has {n_features} features, not more than "
                                     f"bayes_rg.latent ({arm['latent']}); the autoencoder arm skips it")
                continue
            if n_samples is not None and min(round(arm["test_fraction"] * n_samples),
                                             n_samples - round(arm["test_fraction"] * n_samples)) < 1:
                raise ConfigError(f"bayes_rg.test_fraction: {arm['test_fraction']} of the {n_samples} samples of user "
                                  f"dataset {name!r} leaves no training or no held-out sample")
            if n_samples is not None and n_features is not None:
                self._check_bayes_rg_memory(f"user dataset {name!r}", n_samples, n_features)
        for what, width in inputs.items():
            if arm["latent"] >= width:
                raise ConfigError(f"bayes_rg.latent: {arm['latent']} is not below the input width of {what}; "
                                  "an autoencoder must compress")
        temperatures = self.config["ising"]["temperatures"]
        if not any(same_temperature(arm["kyfan"]["ising_temperature"], t) for t in temperatures):
            raise ConfigError(f"bayes_rg.kyfan.ising_temperature: {arm['kyfan']['ising_temperature']} is not one of "
                              f"ising.temperatures {temperatures}")

    def _check_bayes_rg_memory(self, what: str, n_samples: int, n_features: int):
        budget_mb = self.config["resources"]["analysis_mem_mb"]
        weights = self.bayes_rg["latent"] * n_features
        needed_mb = (GRADIENT_CHUNK * weights + WORKING_COPIES * n_samples * n_features) * 8 / 1e6
        if needed_mb > budget_mb:
            raise ConfigError(f"bayes_rg on {what}: about {needed_mb:.0f} MB needed, more than the {budget_mb} MB the "
                              "jobs declare (resources.analysis_mem_mb); lower bayes_rg.latent or raise the budget")
