"""Glue: supplementary figure of the Kob–Andersen validation (equation of state, F_s(q, t),
MSD(t), tau_alpha(T), D(T)) from the validation table and the dynamics tables."""

import argparse

import numpy as np
import pandas as pd

from rgcoarse.kob_andersen import tau_alpha_estimate
from rgcoarse.plotting import new_figure, save_figure, temperature_colour, temperature_norm
from rgcoarse.tables import read_table


def draw(table, curves):
    fig, axes = new_figure(ncols=3, nrows=2)
    (ax_u, ax_p, ax_fs), (ax_msd, ax_tau, ax_d) = axes
    norm = temperature_norm(table["temperature"])
    equilibrated = table["equilibrated"].astype(bool)
    for ax, column, label in ((ax_u, "u_per_n", "$U/N$"), (ax_p, "pressure", "$p$")):
        for mask, face in ((equilibrated, "C0"), (~equilibrated, "none")):
            part = table[mask]
            ax.errorbar(part["temperature"], part[column], yerr=part[f"{column}_error"], fmt="o",
                        mfc=face, mec="C0", ecolor="C0", label="equilibrated" if face == "C0" else "quench + age")
        reference = table.dropna(subset=[f"reference_{column}"])
        ax.plot(reference["temperature"], reference[f"reference_{column}"], "*", color="C3", ms=10,
                label="Pedersen et al. 2018")
        ax.set_xlabel("$T$")
        ax.set_ylabel(label)
    ax_u.legend()
    for metadata, frame in curves:
        colour = temperature_colour(metadata["temperature"], norm)
        late = frame["time"] > 0
        ax_fs.semilogx(frame["time"][late], frame["fs_a"][late], color=colour, label=f"{metadata['temperature']:g}")
        ax_msd.loglog(frame["time"][late], frame["msd_a"][late], color=colour)
    ax_fs.axhline(np.exp(-1), color="0.5", lw=0.8, ls=":")
    ax_fs.set_xlabel(r"$t$ ($\tau$)")
    ax_fs.set_ylabel(r"$F_s(q{=}7.25, t)$, A")
    ax_fs.legend(title="$T$", fontsize=7)
    ax_msd.set_xlabel(r"$t$ ($\tau$)")
    ax_msd.set_ylabel(r"MSD, A ($\sigma_{AA}^2$)")
    inverse = 1.0 / table["temperature"]
    ax_tau.semilogy(inverse, table["tau_alpha_a"], "o", color="C0", label=r"measured (A)")
    # Unresolved: F_s still above 1/e at the longest lag, so tau_alpha exceeds that lag.
    unresolved = table["tau_alpha_a"].isna()
    longest = {m["condition"]: m["longest_lag"] for m, _ in curves}
    bounds = [longest[c] for c in table.loc[unresolved, "condition"]]
    ax_tau.plot(inverse[unresolved], bounds, "^", mfc="none", color="C0", label=r"$\tau_\alpha >$ longest lag")
    equilibrated_t = table.loc[equilibrated, "temperature"]
    grid = np.linspace(equilibrated_t.min(), equilibrated_t.max(), 100)
    ax_tau.semilogy(1.0 / grid, [tau_alpha_estimate(t) for t in grid], color="0.5", lw=1,
                    label="VFT estimate (equilibration)")
    ax_tau.set_xlabel("$1/T$")
    ax_tau.set_ylabel(r"$\tau_\alpha$ ($\tau$)")
    ax_tau.legend(loc="upper left", fontsize=7)
    for column, colour, label in (("d_a", "C0", "A"), ("d_b", "C1", "B")):
        ax_d.errorbar(inverse, table[column], yerr=table[f"{column}_error"], fmt="o", color=colour, label=label)
    ax_d.set_yscale("log")
    ax_d.set_xlabel("$1/T$")
    ax_d.set_ylabel("$D$")
    ax_d.legend()
    fig.tight_layout()
    eos = table.dropna(subset=["reference_u_per_n"])
    check = ""
    if len(eos):
        r = eos.iloc[0]
        check = (f" At T = {r.temperature:g}: U/N = {r.u_per_n:.4f} +- {r.u_per_n_error:.4f} (reference "
                 f"{r.reference_u_per_n:g}), p = {r.pressure:.3f} +- {r.pressure_error:.3f} (reference "
                 f"{r.reference_pressure:g}): {r.eos_check}.")
    caption = (
        "Kob-Andersen 80:20 mixture at density 1.2 (LAMMPS, Nose-Hoover NVT): potential energy per particle and "
        "pressure against temperature with block-average errors, the equation-of-state reference of Pedersen, "
        "Schroder & Dyre (PRL 120, 165501, 2018); self-intermediate scattering function at q = 7.25 and mean "
        "squared displacement of the A particles; alpha-relaxation time (F_s = 1/e) against 1/T with the VFT "
        "estimate used to size equilibration runs; diffusion constants from MSD = 6Dt + c. Open symbols: "
        "quenched and aged runs (not equilibrated)." + check
    )
    return fig, caption


def main(table_path, dynamics_paths, pdf, png, caption_path, dpi=200):
    table = pd.read_csv(table_path)
    curves = [tuple(reversed(read_table(path))) for path in dynamics_paths]
    curves.sort(key=lambda c: -c[0]["temperature"])
    fig, caption = draw(table, curves)
    save_figure(fig, pdf, png, caption_path, caption, dpi=dpi)


if "snakemake" in globals():
    out = snakemake.output
    main(snakemake.input.table, snakemake.input.dynamics, out.pdf, out.png, out.caption, snakemake.params.dpi)
elif __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("table", help="results/ka/validation.csv")
    parser.add_argument("dynamics", nargs="+", help="dynamics.parquet of each run")
    parser.add_argument("--output", default="figures/supp_ka_validation", help="path without extension")
    parser.add_argument("--dpi", type=int, default=200)
    a = parser.parse_args()
    main(a.table, a.dynamics, f"{a.output}.pdf", f"{a.output}.png", f"{a.output}.caption.txt", a.dpi)
