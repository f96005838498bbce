"""Time of the Bayesian renormalization arm's pruning job: the digits (default run) against the paper's
MNIST setting, in one run (not collected by pytest).

No MNIST file comes with the project and this machine reaches no download site, so the MNIST setting
is timed on an MNIST-shaped stand-in written here: 60,000 + 10,000 images of 28 x 28 pixels made from
the bundled digits (enlarged 2.5 times, placed on a 28 x 28 canvas, shifted by up to 2 pixels). The
time depends on the shapes, the epochs and the share of blank pixels, not on which digits they are.
Pass ``--mnist PATH`` to time a real MNIST file instead:

    python tests/benchmarks/bench_bayes_rg.py
    python tests/benchmarks/bench_bayes_rg.py --mnist ~/data/mnist.npz

Prints each setting's time, its training and pruning settings, and the ratio of the two times.
"""

import argparse
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

import numpy as np
import yaml

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "lib"))
from rgcoarse.bayes_rg.data import digit_images, read_mnist, split  # noqa: E402
from rgcoarse.bayes_rg.experiment import experiment_tables  # noqa: E402
from rgcoarse.pipeline.plan import Plan  # noqa: E402


def mnist_standin(path: Path, seed: int = 0) -> Path:
    from scipy.ndimage import shift, zoom

    rng = np.random.default_rng(seed)
    digits = digit_images().reshape(-1, 8, 8)
    canvas = np.zeros((len(digits), 28, 28))
    canvas[:, 4:24, 4:24] = np.stack([zoom(image, 2.5, order=1) for image in digits])

    def images(count):
        picks = rng.integers(0, len(digits), count)
        moved = [shift(canvas[i], rng.integers(-2, 3, 2), order=0) for i in picks]
        return np.clip(np.stack(moved) * 255, 0, 255).astype(np.uint8)

    np.savez(path, x_train=images(60_000), x_test=images(10_000))
    return path


def timed(splits, settings, seeds) -> tuple[float, dict]:
    start = time.perf_counter()
    tables = experiment_tables(splits, settings=settings, seeds=seeds)
    return time.perf_counter() - start, tables


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mnist", help="an MNIST .npz or IDX directory (default: an MNIST-shaped stand-in)")
    args = parser.parse_args()
    plan = Plan(yaml.safe_load((REPO / "config.yaml").read_text()))
    settings = plan.bayes_rg_settings()
    digits_time, digits_tables = timed(partial(split, digit_images(), settings["test_fraction"]), settings,
                                       plan.bayes_rg_seeds())
    with tempfile.TemporaryDirectory() as scratch:
        path = args.mnist or str(mnist_standin(Path(scratch) / "mnist.npz"))
        train, test = read_mnist(path)
        mnist_settings = plan.bayes_rg_settings("mnist")
        mnist_time, mnist_tables = timed(lambda seed: (train, test), mnist_settings, plan.bayes_rg_seeds("mnist"))
    for name, seconds, s, tables in (("digits 64 -> 20", digits_time, settings, digits_tables),
                                     (f"MNIST 784 -> 20 ({'file' if args.mnist else 'stand-in'})", mnist_time,
                                      mnist_settings, mnist_tables)):
        fisher = tables["summary"].query("scheme == 'fisher' and not zeros_first")["removable_fraction"]
        print(f"{name}: {seconds:.1f} s for {s['seeds']} seed(s) x {s['epochs']} epochs (batch {s['batch_size']}), "
              f"Fisher removable {fisher.median():.2f}")
    print(f"MNIST setting / digits: {mnist_time / digits_time:.1f}x")


if __name__ == "__main__":
    main()
