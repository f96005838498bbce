# Wavelet conditional RG arm (rgcoarse.wcrg, docs/wcrg.md): exact conditioning of Gaussian fields, phi^4
# fields, score-matching fits of the full and scale-conditional energies and their Hessian spectra.
# `snakemake --cores all wcrg` runs the arm alone; `snakemake --cores all wcrg_binder` locates beta_c (not in the
# default run).


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
    """phi^4 fields at one coupling: score-matching fits of every scale, their Hessian spectra, and new fields
    sampled coarse to fine against direct sampling of the full fit at equal cost."""
    output:
        **{name: f"results/wcrg/fits/{{coupling}}/{name}.parquet" for name in WCRG_FIT_TABLES},
    params:
        phi4=config.get("wcrg", {}).get("phi4", {}),
        score_matching=config.get("wcrg", {}).get("score_matching", {}),
        sampling=config.get("wcrg", {}).get("sampling", {}),
        omega=config["coarse_graining"]["omega"],
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


rule wcrg_lattice:
    """Conditional kappa_j of a lattice dataset's Gaussian approximation (the Ising bridge; user lattices)."""
    input:
        data="results/data/{dataset}/{condition}.parquet",
    output:
        "results/wcrg/lattice/{dataset}/{condition}.parquet",
    params:
        wavelet=config.get("wcrg", {}).get("lattice", {}).get("wavelet", "haar"),
    log:
        "logs/wcrg/lattice/{dataset}/{condition}.log",
    benchmark:
        "benchmarks/wcrg/lattice/{dataset}/{condition}.tsv"
    wildcard_constraints:
        dataset=f"ising|{plan.user_dataset_pattern()}",
    conda:
        "../../envs/rgcoarse.yaml"
    threads: 1
    resources:
        mem_mb=config["resources"]["analysis_mem_mb"],
        runtime=5,
    script:
        "../scripts/wcrg_lattice.py"


rule wcrg_user_fits:
    """Score-matching fits of the full and conditional energies of a user lattice dataset, with Hessian spectra."""
    input:
        data="results/data/{dataset}/default.parquet",
    output:
        **{name: f"results/wcrg/user/{{dataset}}/{name}.parquet" for name in WCRG_FIT_TABLES[:3]},
    params:
        score_matching=config.get("wcrg", {}).get("score_matching", {}),
    log:
        "logs/wcrg/user/{dataset}.log",
    benchmark:
        "benchmarks/wcrg/user/{dataset}.tsv"
    wildcard_constraints:
        dataset=plan.user_dataset_pattern(),
    conda:
        "../../envs/rgcoarse.yaml"
    threads: 1
    resources:
        mem_mb=config["resources"]["analysis_mem_mb"],
        runtime=15,
    script:
        "../scripts/wcrg_user_fits.py"


rule wcrg_figure:
    """One figure of the wavelet conditional RG arm."""
    input:
        unpack(lambda w: plan.wcrg_figure_inputs(w.figure)),
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


rule wcrg_binder:
    """beta_c of phi^4 from Binder-cumulant crossings of several lattice sizes (a named target)."""
    input:
        "figures/wcrg_binder.png",


rule wcrg_binder_scan:
    """Binder cumulant of every lattice size x coupling, and where the curves of each pair of sizes cross."""
    output:
        binder="results/wcrg/binder.parquet",
        crossings="results/wcrg/binder_crossings.parquet",
    params:
        settings=config.get("wcrg", {}).get("binder", {}),
        seed=plan.wcrg_seed("binder"),
    log:
        "logs/wcrg/binder.log",
    benchmark:
        "benchmarks/wcrg_binder/binder.tsv"
    conda:
        "../../envs/rgcoarse.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=30,
    script:
        "../scripts/wcrg_binder.py"


rule wcrg_binder_figure:
    """Binder cumulant against beta per lattice size, with the crossings."""
    input:
        binder="results/wcrg/binder.parquet",
        crossings="results/wcrg/binder_crossings.parquet",
    output:
        pdf="figures/wcrg_binder.pdf",
        png=report("figures/wcrg_binder.png", caption="../report/wcrg_figure.rst", category=REPORT_WCRG,
                   labels={"figure": "wcrg_binder"}),
        caption="figures/wcrg_binder.caption.txt",
    params:
        dpi=config["figures"]["dpi"],
    log:
        "logs/figures/wcrg_binder.log",
    conda:
        "../../envs/rgcoarse.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/wcrg_binder_figure.py"
