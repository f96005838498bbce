# Figures: each paper panel is its own target, drawn only from Parquet tables, so
# restyling a panel re-runs only that panel.

PAPER_PANELS = ["fig1", "fig2a", "fig2b", "fig2c", "fig2d", "fig2e", "fig2f"]


def observable_path(dataset, condition, name, method=None):
    method = method or config["figures"]["method"]
    return f"results/observables/{dataset}/{condition}/{method}/{name}.parquet"


def panel_inputs(wildcards):
    """The tables one panel is drawn from."""
    panel, settings = wildcards.panel, config["figures"].get(wildcards.panel, {})
    if panel == "fig1":
        return {"cod": observable_path("gaussian", "default", "cod")}
    if panel in ("fig2a", "fig2b"):
        return {"m2": [observable_path("ising", c, "m2") for c in ising_conditions()]}
    if panel in ("fig2c", "fig2d"):
        condition = temperature_condition(settings["temperature"])
        method = config["figures"]["method"]
        return {
            "m2": observable_path("ising", condition, "m2"),
            "fit": f"results/fits/ising/{condition}/{method}.parquet",
        }
    if panel == "fig2e":
        return {"cod": [observable_path("ising", temperature_condition(t), "cod") for t in settings["temperatures"]]}
    if panel == "fig2f":
        return {"cod": [observable_path("ising", c, "cod") for c in ising_conditions()]}
    raise ValueError(f"unknown figure panel {panel!r}")


def _check_figure_temperatures():
    known = set(ising_conditions())
    for panel in ("fig2c", "fig2d"):
        t = config["figures"].get(panel, {}).get("temperature")
        if t is not None and temperature_condition(t) not in known:
            raise ConfigError(f"config key figures.{panel}.temperature: {t} is not one of ising.temperatures")
    for t in config["figures"].get("fig2e", {}).get("temperatures", []):
        if temperature_condition(t) not in known:
            raise ConfigError(f"config key figures.fig2e.temperatures: {t} is not one of ising.temperatures")


_check_figure_temperatures()


rule paper_figure:
    """One panel of the paper's Figs. 1-2 from Parquet tables."""
    input:
        unpack(panel_inputs),
    output:
        pdf="figures/{panel}.pdf",
        png=report(
            "figures/{panel}.png",
            caption="../report/paper_figure.rst",
            category=report_figure_category,
            labels=report_figure_labels,
        ),
        caption="figures/{panel}.caption.txt",
    params:
        settings=lambda w: config["figures"].get(w.panel, {}),
        method=config["figures"]["method"],
        dpi=config["figures"]["dpi"],
    log:
        "logs/figures/{panel}.log",
    wildcard_constraints:
        panel="|".join(PAPER_PANELS),
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/paper_figure.py"


rule supp_pairing_rules:
    """Supplementary: M2 exponent against T for all four pairing rules, and pair locality."""
    input:
        fits=[f"results/fits/ising/{c}/{m}.parquet" for c in comparison_conditions() for m in methods_for("ising", c)],
        pairs=[observable_path("ising", c, "pairs", m) for c in comparison_conditions() for m in methods_for("ising", c)],
    output:
        pdf="figures/supp_pairing_rules.pdf",
        png=report(
            "figures/supp_pairing_rules.png",
            caption="../report/supp_pairing_rules.rst",
            category=REPORT_SUPPLEMENTARY,
            labels={"figure": "pairing rules"},
        ),
        caption="figures/supp_pairing_rules.caption.txt",
    params:
        dpi=config["figures"]["dpi"],
    log:
        "logs/figures/supp_pairing_rules.log",
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/supp_pairing_rules.py"


def figure_targets():
    panels = PAPER_PANELS + ["supp_pairing_rules"]
    return [f"figures/{p}.{ext}" for p in panels for ext in ("pdf", "png")]


rule claims:
    """The claims table: every claim of Figs. 1-2 with the reproduced value and verdict."""
    input:
        exponents="results/exponents.parquet",
        gaussian_cod=observable_path("gaussian", "default", "cod"),
        ising_m2=[observable_path("ising", c, "m2") for c in ising_conditions()],
        ising_cod=[observable_path("ising", c, "cod") for c in ising_conditions()],
    output:
        csv=report(
            "results/claims.csv",
            caption="../report/claims.rst",
            category=REPORT_TABLES,
            labels={"table": "claims"},
        ),
        md="results/claims.md",
    params:
        method=config["figures"]["method"],
        below_tc_temperature=config["figures"]["fig2d"]["temperature"],
    log:
        "logs/claims.log",
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/claims.py"
