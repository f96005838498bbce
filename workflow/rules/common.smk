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
