# Wavelet conditional RG arm (rgcoarse.wcrg, docs/wcrg.md): exact conditioning of Gaussian fields, phi^4
# fields, score-matching fits of the full and scale-conditional energies and their Hessian spectra.
# `snakemake --cores all wcrg` runs the arm alone.


rule wcrg:
    """Every table and figure of the wavelet conditional RG arm."""
    input:
        plan.wcrg_targets(),


rule wcrg_conditioning:
    """Condition numbers of the full and conditional Hessians of Gaussian fields (L x eta x wavelet x scale)."""
    output:
        "results/wcrg/conditioning.parquet",
    params:
        settings=config.get("wcrg", {}).get("conditioning", {}),
    log:
        "logs/wcrg/conditioning.log",
    benchmark:
        "benchmarks/wcrg/conditioning.tsv"
    conda:
        "../../envs/rgcoarse.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/wcrg_conditioning.py"


rule wcrg_fits:
    """phi^4 fields at one coupling, the score-matching fits of every scale and their Hessian spectra."""
    output:
        **{name: f"results/wcrg/fits/{{coupling}}/{name}.parquet" for name in WCRG_FIT_TABLES},
    params:
        phi4=config.get("wcrg", {}).get("phi4", {}),
        score_matching=config.get("wcrg", {}).get("score_matching", {}),
        beta=lambda w: plan.wcrg_beta(w.coupling),
        seed=lambda w: plan.wcrg_seed(w.coupling),
    log:
        "logs/wcrg/fits/{coupling}.log",
    benchmark:
        "benchmarks/wcrg/fits/{coupling}.tsv"
    wildcard_constraints:
        coupling=registry_pattern(plan.wcrg_couplings()),
    conda:
        "../../envs/rgcoarse.yaml"
    threads: 1
    resources:
        mem_mb=config["resources"]["analysis_mem_mb"],
        runtime=15,
    script:
        "../scripts/wcrg_fits.py"


rule wcrg_figure:
    """One figure of the wavelet conditional RG arm."""
    input:
        conditioning="results/wcrg/conditioning.parquet",
        spectra=plan.wcrg_all_fit_paths("spectra"),
        histograms=plan.wcrg_all_fit_paths("histograms"),
    output:
        pdf="figures/{figure}.pdf",
        png=report(
            "figures/{figure}.png",
            caption="../report/wcrg_figure.rst",
            category=REPORT_WCRG,
            labels=lambda w: {"figure": w.figure},
        ),
        caption="figures/{figure}.caption.txt",
    params:
        dpi=config["figures"]["dpi"],
    log:
        "logs/figures/{figure}.log",
    wildcard_constraints:
        figure=registry_pattern(WCRG_FIGURES),
    conda:
        "../../envs/rgcoarse.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/wcrg_figure.py"
