"""The glass data matrix: p_hop (paper eq. 30) of every particle of one trajectory.

Rows are the centre times t of full windows (t_R / 2 <= t <= t_end - t_R / 2, one per
frame), columns the particles (named ``p<id>``), with particle id and type (A/B) as feature
metadata and the run's metadata (temperature, protocol, engine, thermodynamics, ...).
"""

from __future__ import annotations

import pandas as pd

from rgcoarse.io.datamatrix import DataMatrix
from rgcoarse.glass.model import TYPE_IDS
from rgcoarse.glass.phop import half_window_frames, phop, phop_centres

__all__ = ["GLASS_DATASET", "phop_data_matrix"]

GLASS_DATASET = "glass"
"""Dataset name of the glass arm's data matrices (``results/data/glass/...``)."""

TYPE_NAMES = {type_id: name for name, type_id in TYPE_IDS.items()}


def phop_data_matrix(trajectory, metadata: dict, phop_window: float) -> DataMatrix:
    """p_hop of every particle of ``trajectory`` as a data matrix (time samples x particles).

    Parameters
    ----------
    trajectory : rgcoarse.glass.lammps_io.Trajectory
    metadata : dict
        The trajectory's metadata (must hold ``frame_interval``); carried over without ``timesteps``.
    phop_window : float
        t_R (tau); t_R / 2 must be a whole number of frame intervals.
    """
    frame_interval = metadata["frame_interval"]
    half = half_window_frames(phop_window, frame_interval)
    values = phop(trajectory.positions, half)
    centres = phop_centres(trajectory.n_frames, half)
    metadata = {key: value for key, value in metadata.items() if key != "timesteps"}
    metadata.update(
        dataset=GLASS_DATASET,
        observable="p_hop",
        phop_window=phop_window,
        phop_half_window_frames=half,
        sample_times=[float(c * frame_interval) for c in centres],
        generator="rgcoarse.glass.phop (prefix sums, centre-of-mass drift removed)",
    )
    features = pd.DataFrame({"particle_id": trajectory.ids, "type": [TYPE_NAMES[t] for t in trajectory.types]})
    names = [f"p{i}" for i in trajectory.ids]
    return DataMatrix(values, metadata, names, features)
