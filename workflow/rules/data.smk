# Data generation: one data matrix per (dataset, condition) under results/data/.


rule ising_chain:
    """Monte Carlo samples of the 2D Ising model at one temperature (one job each)."""
    output:
        "results/data/ising/{condition}.parquet",
    params:
        settings=lambda wildcards: plan.ising_settings(wildcards.condition),
    log:
        "logs/data/ising/{condition}.log",
    benchmark:
        "benchmarks/data/ising/{condition}.tsv"
    wildcard_constraints:
        condition=condition_pattern("ising"),
    conda:
        "../../envs/rgcoarse.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=plan.ising_chain_runtime,  # grows with the sweeps (rgcoarse.pipeline.costs)
    script:
        "../scripts/ising_chain.py"


rule gaussian_matrix:
    """The i.i.d. N(0, 1) random matrix of the paper's Fig. 1."""
    output:
        "results/data/gaussian/default.parquet",
    params:
        n_features=config["gaussian"]["n_features"],
        n_samples=config["gaussian"]["n_samples"],
        seed=plan.gaussian_seed(),
    log:
        "logs/data/gaussian/default.log",
    conda:
        "../../envs/rgcoarse.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/gaussian_matrix.py"


rule user_dataset:
    """A user's Parquet/CSV/NPY file, checked and converted to the data-matrix contract."""
    input:
        plan.user_file_path,
    output:
        "results/data/{dataset}/default.parquet",
    params:
        options=plan.user_dataset_options,
    log:
        "logs/data/{dataset}/default.log",
    benchmark:
        "benchmarks/data/{dataset}/default.tsv"
    wildcard_constraints:
        dataset=plan.user_dataset_pattern(),
    conda:
        "../../envs/rgcoarse.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    script:
        "../scripts/user_dataset.py"



rule planted_dataset:
    """A planted-structure data matrix (rgcoarse.datasets.planted); its truth as feature metadata and a CSV beside it."""
    output:
        data="results/data/planted/{structure}.parquet",
        truth="results/data/planted/{structure}.truth.csv",
    params:
        settings=plan.planted_settings(),
        seed=plan.planted_seed,
    log:
        "logs/data/planted/{structure}.log",
    wildcard_constraints:
        structure=registry_pattern(structure_names()),
    conda:
        "../../envs/rgcoarse.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/planted_dataset.py"
