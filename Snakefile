# RG-motivated coarse-graining of data: from raw simulation to every paper figure.
# Run:  snakemake --cores all        (see README.md)

from snakemake.utils import min_version, update_config, validate

from rgcoarse.config.validation import yaml_typed

min_version("8.20")


configfile: "config.yaml"


# Nested `--config` values arrive as text ('300'): read them as config.yaml would be read.
update_config(config, {key: yaml_typed(value) for key, value in workflow.config_settings.config.items()})


validate(config, "workflow/schemas/config.schema.yaml")


include: "workflow/rules/common.smk"
include: "workflow/rules/report.smk"
include: "workflow/rules/glass.smk"
include: "workflow/rules/glass_sensitivity.smk"
include: "workflow/rules/data.smk"
include: "workflow/rules/coarse_graining.smk"
include: "workflow/rules/figures.smk"


# Cheap table and figure rules run on the submitting machine even under a cluster profile.
localrules:
    all,
    exponents_table,
    paper_figure,
    supp_pairing_rules,
    planted_benchmark,
    claims,
    glass_validation,
    glass_validation_figure,
    glass_sensitivity,
    glass_study_summary,
    glass_study_figures,


rule all:
    input:
        plan.data_targets(),
        plan.coarse_graining_targets(),
        plan.figure_targets(),
        plan.glass_validation_targets(),
        "results/claims.csv",
        "results/claims.md",
        plan.planted_targets(),
    default_target: True
