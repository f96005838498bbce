# Figures: each paper panel is its own target, drawn only from Parquet tables, so
# restyling a panel re-runs only that panel. Their input functions are in common.smk.


rule paper_figure:
    """One panel of the paper's Figs. 1-3 from Parquet tables."""
    input:
        unpack(plan.panel_inputs),
    output:
        pdf="figures/{panel}.pdf",
        png=report(
            "figures/{panel}.png",
            caption="../report/paper_figure.rst",
            category=plan.report_figure_category,
            labels=plan.report_figure_labels,
        ),
        caption="figures/{panel}.caption.txt",
    params:
        settings=lambda w: plan.panel_settings(w.panel),
        method=config["figures"]["method"],
        dpi=config["figures"]["dpi"],
        report_caption=plan.panel_report_caption,
    log:
        "logs/figures/{panel}.log",
    wildcard_constraints:
        panel="|".join(PANELS),
    conda:
        "../../envs/rgcoarse.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/paper_figure.py"


rule supp_pairing_rules:
    """Supplementary: M2 exponent against T for every pairing rule run on the Ising and glass data, and pair locality."""
    input:
        fits=plan.every_rule_paths("ising", "fit"),
        pairs=plan.every_rule_paths("ising", "pairs"),
        exponents="results/exponents.parquet",
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
    conda:
        "../../envs/rgcoarse.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/supp_pairing_rules.py"


rule claims:
    """The claims table: every claim of Figs. 1-3 with the reproduced value and verdict (rgcoarse.paper.claim_groups)."""
    input:
        unpack(plan.claims_inputs),
    output:
        csv=report(
            "results/claims.csv",
            caption="../report/claims.rst",
            category=REPORT_TABLES,
            labels={"table": "claims"},
        ),
        md="results/claims.md",
    params:
        settings=plan.claims_settings(),
    log:
        "logs/claims.log",
    conda:
        "../../envs/rgcoarse.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/claims.py"


rule planted_benchmark:
    """What each pairing rule recovers on the planted structures: results/planted_benchmark.csv and a figure."""
    input:
        data=plan.planted_data_paths(),
        levels=plan.every_rule_paths("planted", "coarse"),
        exponents="results/exponents.parquet",
    output:
        csv=report("results/planted_benchmark.csv", caption="../report/planted_benchmark.rst", category=REPORT_TABLES,
                   labels={"table": "planted benchmark"}),
        pdf="figures/supp_planted.pdf",
        png=report("figures/supp_planted.png", caption="../report/supp_planted.rst", category=REPORT_SUPPLEMENTARY,
                   labels={"figure": "planted structure"}),
        caption="figures/supp_planted.caption.txt",
    params:
        settings=config.get("planted", {}),
        fit_rule={"k_min": config["fits"]["k_min"], "min_clusters": config["fits"]["min_clusters"]},
        dpi=config["figures"]["dpi"],
    log:
        "logs/figures/supp_planted.log",
    conda:
        "../../envs/rgcoarse.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/planted_benchmark.py"


rule supplementary_figure:
    """A supplementary figure of the registry (rgcoarse.paper.supplementary) drawn from the tables it names."""
    input:
        unpack(plan.supplementary_inputs),
    output:
        pdf="figures/{figure}.pdf",
        png=report(
            "figures/{figure}.png",
            caption="../report/supplementary_figure.rst",
            category=REPORT_SUPPLEMENTARY,
            labels=plan.supplementary_labels,
        ),
        caption="figures/{figure}.caption.txt",
    params:
        dpi=config["figures"]["dpi"],
    log:
        "logs/figures/{figure}.log",
    wildcard_constraints:
        figure=registry_pattern(drawn_figure_names()),
    conda:
        "../../envs/rgcoarse.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/supplementary_figure.py"
