"""The wavelet-conditional-RG arm's plan: its targets, settings, seeds and config checks."""

from __future__ import annotations

from rgcoarse.config.conditions import temperature_condition
from rgcoarse.config.seeds import derive_seed
from rgcoarse.config.validation import ConfigError

WCRG_DIR = "results/wcrg"
WCRG_FIT_TABLES = ("theta", "spectra", "histograms", "sampling", "power", "marginals", "m2")
WCRG_FIGURES = ("wcrg_conditioning", "wcrg_hessians", "wcrg_sampling", "wcrg_ising_bridge")


def beta_label(beta: float) -> str:
    return f"b{float(beta):.3f}"


class WcrgPlan:
    """Methods of :class:`rgcoarse.pipeline.plan.Plan` for the wavelet conditional RG arm."""

    @property
    def wcrg(self) -> dict:
        return self.config.get("wcrg", {})

    def wcrg_enabled(self) -> bool:
        return bool(self.wcrg.get("enabled", False))

    def wcrg_couplings(self) -> list[str]:
        return [beta_label(b) for b in self.wcrg.get("phi4", {}).get("couplings", [])]

    def wcrg_beta(self, label: str) -> float:
        for beta in self.wcrg["phi4"]["couplings"]:
            if beta_label(beta) == label:
                return float(beta)
        raise ValueError(f"wcrg: no coupling labelled {label!r}")

    def wcrg_fit_paths(self, label: str) -> dict:
        return {name: f"{WCRG_DIR}/fits/{label}/{name}.parquet" for name in WCRG_FIT_TABLES}

    def wcrg_all_fit_paths(self, name: str) -> list[str]:
        return [self.wcrg_fit_paths(label)[name] for label in self.wcrg_couplings()]

    def wcrg_ising_conditions(self) -> list[str]:
        """Ising temperatures of the bridge figure (wcrg.lattice.ising_temperatures)."""
        return [temperature_condition(t) for t in self.wcrg.get("lattice", {}).get("ising_temperatures", [])]

    def wcrg_lattice_datasets(self) -> list[tuple[str, str]]:
        """(dataset, condition) of every lattice dataset the arm conditions: the bridge's Ising temperatures
        and each user dataset that declares a lattice_shape."""
        users = [(name, "default") for name, entry in self.config.get("user_datasets", {}).items()
                 if "lattice_shape" in entry]
        return [("ising", c) for c in self.wcrg_ising_conditions()] + users

    def wcrg_user_fit_paths(self, dataset: str) -> dict:
        """Score-matching fits of a user lattice dataset (continuous values; the Ising spins have no score)."""
        return {name: f"{WCRG_DIR}/user/{dataset}/{name}.parquet" for name in WCRG_FIT_TABLES[:3]}

    def wcrg_lattice_path(self, dataset: str, condition: str) -> str:
        return f"{WCRG_DIR}/lattice/{dataset}/{condition}.parquet"

    def wcrg_bridge_inputs(self) -> dict:
        conditions = self.wcrg_ising_conditions()
        return {"lattice": [self.wcrg_lattice_path("ising", c) for c in conditions],
                "lattice_m2": [self.observable_path("ising", c, "m2", "lattice") for c in conditions]}

    def wcrg_figure_inputs(self, figure: str) -> dict:
        """The tables one figure of the arm reads (a figure re-runs only when its own tables change)."""
        if figure == "wcrg_conditioning":
            return {"conditioning": f"{WCRG_DIR}/conditioning.parquet"}
        if figure == "wcrg_hessians":
            return {name: self.wcrg_all_fit_paths(name) for name in ("spectra", "histograms")}
        if figure == "wcrg_sampling":
            return {name: self.wcrg_all_fit_paths(name) for name in ("sampling", "power", "marginals", "m2")}
        if figure == "wcrg_ising_bridge":
            return self.wcrg_bridge_inputs()
        raise ValueError(f"wcrg: no figure named {figure!r}; known: {', '.join(WCRG_FIGURES)}")

    def wcrg_targets(self) -> list[str]:
        if not self.wcrg_enabled():
            return []
        tables = [f"{WCRG_DIR}/conditioning.parquet"]
        tables += [path for label in self.wcrg_couplings() for path in self.wcrg_fit_paths(label).values()]
        tables += [self.wcrg_lattice_path(d, c) for d, c in self.wcrg_lattice_datasets()]
        tables += [path for d, _ in self.wcrg_lattice_datasets() if d != "ising"
                   for path in self.wcrg_user_fit_paths(d).values()]
        return tables + [f"figures/{figure}.{ext}" for figure in WCRG_FIGURES for ext in ("pdf", "png", "caption.txt")]

    def wcrg_seed(self, label: str) -> int:
        return derive_seed(self.config["seed"], "wcrg", label)

    def wcrg_claims_inputs(self) -> dict:
        if not self.wcrg_enabled():
            return {}
        return {"wcrg_conditioning": f"{WCRG_DIR}/conditioning.parquet", "wcrg_spectra": self.wcrg_all_fit_paths("spectra"),
                "wcrg_sampling": self.wcrg_all_fit_paths("sampling")}

    def _check_wcrg_config(self):
        if not self.wcrg_enabled():
            return
        from rgcoarse.wcrg.wavelets import check_lattice_size, wavelet_filters

        for wavelet in self.wcrg["conditioning"]["wavelets"]:
            try:
                wavelet_filters(wavelet)
            except ValueError as error:
                raise ConfigError(f"wcrg.conditioning.wavelets: {error}") from None
        for size in self.wcrg["conditioning"]["sizes"]:
            try:
                check_lattice_size(size)
            except ValueError as error:
                raise ConfigError(f"wcrg.conditioning.sizes: {error}") from None
        phi4, scales = self.wcrg["phi4"], self.wcrg["score_matching"]["scales"]
        try:
            check_lattice_size(phi4["size"], scales)
        except ValueError as error:
            raise ConfigError(f"wcrg.phi4.size / wcrg.score_matching.scales: {error}") from None
        if phi4["size"] // 2 ** scales < 4:
            raise ConfigError(f"wcrg.score_matching.scales: {scales} levels leave a {phi4['size'] // 2 ** scales}-site "
                              "lattice, too small for the ansatz's bonds (at least 4 x 4 is needed)")
        self._check_wcrg_sampling(phi4)
        self._check_wcrg_lattice()
        if len(set(self.wcrg_couplings())) != len(self.wcrg_couplings()):
            raise ConfigError("wcrg.phi4.couplings: two couplings are equal to 3 decimals")
        budget_mb = self.config["resources"]["analysis_mem_mb"]
        needed_mb = phi4["n_samples"] * phi4["size"] ** 2 * 8 * 4 / 1e6 + (phi4["size"] ** 2) ** 2 * 8 * 3 / 1e6
        if needed_mb > budget_mb:
            raise ConfigError(f"wcrg.phi4: about {needed_mb:.0f} MB needed, more than the {budget_mb} MB the jobs declare "
                              "(resources.analysis_mem_mb); reduce size or n_samples")

    def _check_wcrg_sampling(self, phi4):
        from rgcoarse.wcrg.wavelets import check_lattice_size

        sampling = self.wcrg["sampling"]
        try:
            check_lattice_size(phi4["size"], sampling["scales"])
        except ValueError as error:
            raise ConfigError(f"wcrg.sampling.scales: {error}") from None
        if phi4["size"] // 2 ** sampling["scales"] < 4:
            raise ConfigError(f"wcrg.sampling.scales: {sampling['scales']} levels leave a "
                              f"{phi4['size'] // 2 ** sampling['scales']}-site coarse lattice (at least 4 x 4 is needed)")
        if sampling["chains"] > phi4["n_samples"]:
            raise ConfigError(f"wcrg.sampling.chains: {sampling['chains']} chains start from as many data fields; "
                              f"wcrg.phi4.n_samples is {phi4['n_samples']}")
        detail_cost = sampling["detail_steps"] * sum(4.0 ** -j for j in range(sampling["scales"]))
        if sampling["budget"] / sampling["outputs"] <= detail_cost:
            raise ConfigError(f"wcrg.sampling.budget: {sampling['budget']:g} gradient evaluations per site buy "
                              f"{sampling['budget'] / sampling['outputs']:.3g} per output, not more than the "
                              f"{detail_cost:.3g} the details cost (detail_steps x scales); raise budget or lower outputs")

    def _check_wcrg_lattice(self):
        from rgcoarse.wcrg.wavelets import check_lattice_size, wavelet_filters

        try:
            wavelet_filters(self.wcrg["lattice"]["wavelet"])
        except ValueError as error:
            raise ConfigError(f"wcrg.lattice.wavelet: {error}") from None
        for name, entry in self.config.get("user_datasets", {}).items():
            if "lattice_shape" not in entry:
                continue
            rows, cols = (int(v) for v in entry["lattice_shape"])
            if rows != cols:
                raise ConfigError(f"user_datasets.{name}.lattice_shape: {rows} x {cols} is not square; the WCRG arm's "
                                  "wavelet conditioning of a declared lattice needs L x L (or set wcrg.enabled: false)")
            try:
                check_lattice_size(rows)
            except ValueError as error:
                raise ConfigError(f"user_datasets.{name}.lattice_shape: {error} (the WCRG arm conditions every declared "
                                  "lattice; or set wcrg.enabled: false)") from None
        temperatures = self.config["ising"]["temperatures"]
        for t in self.wcrg["lattice"]["ising_temperatures"]:
            if t not in temperatures:
                raise ConfigError(f"wcrg.lattice.ising_temperatures: {t} is not one of ising.temperatures {temperatures}")
            if "lattice" not in self.methods_for("ising", temperature_condition(t)):
                raise ConfigError(f"wcrg.lattice.ising_temperatures: the lattice rule does not run at T = {t} (add it to "
                                  "coarse_graining.comparison_temperatures, with lattice in comparison_methods)")
