# The plan of this run: every target, input, setting, seed, priority and resource the rules use
# comes from rgcoarse.pipeline.plan.Plan, built (and the config checked) once, here. The lists of
# pairing rules, dataset kinds, null models and figure panels come from the package's registries.

import sys
from pathlib import Path

from rgcoarse.coarse.pairing_rules import wildcard_pattern
from rgcoarse.datasets.kinds import condition_pattern
from rgcoarse.datasets.nulls import null_model_names
from rgcoarse.datasets.planted import structure_names
from rgcoarse.paper.panels import PANELS
from rgcoarse.pipeline.costs import available_memory_mb
from rgcoarse.pipeline.bayes_rg_plan import BAYES_FIGURES, BAYES_TABLES
from rgcoarse.pipeline.glass_plan import GLASS_BASE_VARIANT, GLASS_CONDITION, GLASS_PROGRESS_SECONDS, GLASS_RUN
from rgcoarse.pipeline.glass_study_plan import GLASS_STUDY_FIGURES, GLASS_STUDY_TABLES
from rgcoarse.pipeline.plan import Plan
from rgcoarse.pipeline.rmi_plan import RMI_COMPARISON_FIGURES, RMI_FIGURES
from rgcoarse.pipeline.wcrg_plan import WCRG_FIGURES, WCRG_FIT_TABLES
from rgcoarse.paper.supplementary import drawn_figure_names
from rgcoarse.pipeline.schema import registry_pattern

plan = Plan(
    config,
    configfiles=workflow.configfiles,
    schema_path=Path(workflow.current_basedir).parent / "schemas" / "config.schema.yaml",
)
for message in plan.warnings:  # said before any job starts
    print(f"Warning: {message}", file=sys.stderr)

# On one machine Snakemake limits only the memory it is told of: unless --resources mem_mb is
# given, it may use what the machine has available now, so analysis jobs (each declaring its
# dataset's cost-model estimate) never run side by side beyond it, and a dataset one job cannot
# fit stops the run here, before any job. On a cluster every job gets its own node's memory.
if workflow.local_exec:
    if "mem_mb" not in workflow.global_resources:
        workflow.global_resources["mem_mb"] = available_memory_mb()
        plan.check_machine_memory(available_memory_mb(), "this machine has available (MemAvailable)")
    elif workflow.global_resources["mem_mb"].value is not None:
        plan.check_machine_memory(workflow.global_resources["mem_mb"].value, "Snakemake may use (--resources mem_mb)")
