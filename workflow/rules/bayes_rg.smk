# Bayesian renormalization arm (Berman, Klinger & Stapleton; rgcoarse.bayes_rg, docs/bayes_rg.md): a bias-free
# ReLU autoencoder on the bundled digits, the Fisher of its encoder, pruning by Fisher cutoff against magnitude
# and random pruning, the same on each user dataset, and the Ky Fan bridge to the pairing rules.
# `snakemake --cores all bayes_rg` runs the arm alone; `bayes_rg_mnist` the paper's MNIST setting.


rule bayes_rg:
    """Every table and figure of the Bayesian renormalization arm."""
    input:
        plan.bayes_rg_targets(),


rule bayes_rg_pruning:
    """Per training seed on the digits: train, take the encoder's Fisher, prune by Fisher, magnitude and at random."""
    output:
        **plan.bayes_rg_paths(),
    params:
        settings=plan.bayes_rg_settings(),
        seeds=plan.bayes_rg_seeds(),
    log:
        "logs/bayes_rg/pruning.log",
    benchmark:
        "benchmarks/bayes_rg/pruning.tsv"
    conda:
        "../../envs/rgcoarse.yaml"
    threads: 1
    resources:
        mem_mb=config["resources"]["analysis_mem_mb"],
        runtime=15,
    script:
        "../scripts/bayes_rg_pruning.py"


rule bayes_rg_user:
    """The pruning experiment on a user dataset (columns scaled to [0, 1])."""
    input:
        data="results/data/{dataset}/default.parquet",
    output:
        **{name: f"results/bayes_rg/user/{{dataset}}/{name}.parquet" for name in BAYES_TABLES},
    params:
        settings=lambda w: plan.bayes_rg_settings(f"user/{w.dataset}"),
        seeds=lambda w: plan.bayes_rg_seeds(f"user/{w.dataset}"),
    log:
        "logs/bayes_rg/user/{dataset}.log",
    benchmark:
        "benchmarks/bayes_rg/user/{dataset}.tsv"
    wildcard_constraints:
        dataset=plan.user_dataset_pattern(),
    conda:
        "../../envs/rgcoarse.yaml"
    threads: 1
    resources:
        mem_mb=config["resources"]["analysis_mem_mb"],
        runtime=60,
    script:
        "../scripts/bayes_rg_pruning.py"


rule bayes_rg_mnist:
    """The paper's setting, 784 -> 20 on MNIST from the user's file (bayes_rg.mnist.path); a named target."""
    input:
        mnist=lambda w: plan.bayes_rg_mnist_path(),
    output:
        **plan.bayes_rg_paths("mnist"),
    params:
        path=lambda w: plan.bayes_rg_mnist_path(),
        settings=plan.bayes_rg_settings("mnist"),
        seeds=plan.bayes_rg_seeds("mnist"),
    log:
        "logs/bayes_rg/mnist.log",
    benchmark:
        "benchmarks/bayes_rg/mnist.tsv"
    conda:
        "../../envs/rgcoarse.yaml"
    threads: 1
    resources:
        mem_mb=config["resources"]["analysis_mem_mb"],
        runtime=120,
    script:
        "../scripts/bayes_rg_pruning.py"


rule bayes_rg_kyfan:
    """Variance kept by each pairing rule's coarse variables over the Ky Fan bound, Ising and Gaussian data."""
    input:
        unpack(lambda w: plan.bayes_rg_kyfan_inputs()),
    output:
        "results/bayes_rg/kyfan.parquet",
    log:
        "logs/bayes_rg/kyfan.log",
    benchmark:
        "benchmarks/bayes_rg/kyfan.tsv"
    conda:
        "../../envs/rgcoarse.yaml"
    threads: 1
    resources:
        mem_mb=config["resources"]["analysis_mem_mb"],
        runtime=15,
    script:
        "../scripts/bayes_rg_kyfan.py"


rule bayes_rg_figure:
    """One figure of the Bayesian renormalization arm from its tables."""
    input:
        unpack(lambda w: plan.bayes_rg_figure_inputs(w.figure)),
    output:
        pdf="figures/{figure}.pdf",
        png=report(
            "figures/{figure}.png",
            caption="../report/bayes_rg_figure.rst",
            category=REPORT_BAYES,
            labels=lambda w: {"figure": w.figure},
        ),
        caption="figures/{figure}.caption.txt",
    params:
        dpi=config["figures"]["dpi"],
    log:
        "logs/figures/{figure}.log",
    wildcard_constraints:
        figure=registry_pattern(BAYES_FIGURES),
    conda:
        "../../envs/rgcoarse.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/bayes_rg_figure.py"
