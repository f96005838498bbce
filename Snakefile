# RG-motivated coarse-graining of data: from raw simulation to every paper figure.
# Run:  snakemake --cores all        (see README.md)

from snakemake.utils import min_version

from rgcoarse.config.layers import layered_config

min_version("8.20")


# config.yaml states every default once; a user's files (--configfile) and --config values list
# only what they change, laid over it by one rule (rgcoarse.config.layers): maps merge key by key,
# lists replace, and per-temperature overrides, study variants and user_datasets replace whole.
# The config is checked once, against workflow/schemas/ and the cross-key rules, when the plan is
# built (workflow/rules/common.smk).
configfile: "config.yaml"


DEFAULTS_FILE = workflow.configfiles[-1]  # the configfile directive's, after any --configfile
_layered = layered_config(DEFAULTS_FILE, workflow.config_settings.configfiles, workflow.config_settings.config)
config.clear()
config.update(_layered)


include: "workflow/rules/common.smk"
include: "workflow/rules/report.smk"
include: "workflow/rules/glass.smk"
include: "workflow/rules/glass_study.smk"
include: "workflow/rules/data.smk"
include: "workflow/rules/coarse_graining.smk"
include: "workflow/rules/figures.smk"
include: "workflow/rules/rmi.smk"
include: "workflow/rules/wcrg.smk"
include: "workflow/rules/bayes_rg.smk"


# Cheap table and figure rules run on the submitting machine even under a cluster profile.
localrules:
    all,
    exponents_table,
    paper_figure,
    supp_pairing_rules,
    supplementary_figure,
    planted_benchmark,
    claims,
    glass_validation,
    glass_validation_figure,
    glass_study,
    glass_study_summary,
    glass_study_figures,
    rmi,
    rmi_figure,
    wcrg,
    wcrg_figure,
    wcrg_binder,
    wcrg_binder_figure,
    bayes_rg,
    bayes_rg_figure,


rule all:
    input:
        plan.data_targets(),
        plan.coarse_graining_targets(),
        plan.figure_targets(),
        plan.glass_validation_targets(),
        "results/claims.csv",
        "results/claims.md",
        plan.planted_targets(),
        plan.rmi_targets(),
        plan.wcrg_targets(),
        plan.bayes_rg_targets(),
    default_target: True
