"""Data of the Bayesian renormalization arm: the bundled digits, MNIST from a user's file, any data matrix.

- ``load_digits`` (scikit-learn) ships 1,797 images of 8 x 8 pixels with values 0-16 inside the
  package (no download); they are scaled to [0, 1].
- MNIST (the paper's setting) is read from a file the user has: an ``.npz`` with ``x_train`` and
  ``x_test`` (Keras' ``mnist.npz``), or a directory with the four IDX files (``train-images-idx3-ubyte``
  and ``t10k-images-idx3-ubyte``, gzipped or not; the label files are not needed). Pixels 0-255
  are scaled to [0, 1]; every shape, type and size is checked on read.
- A user's data matrix is scaled column by column to [0, 1] (the decoder's ReLU output cannot be
  negative); a constant column becomes 0 and is counted.

Every source is split into training and held-out rows by a seeded permutation (:func:`split`).
"""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np

IDX_IMAGES_MAGIC = 2051  # 0x00000803: unsigned bytes, 3 dimensions
MNIST_SIDE = 28
IDX_FILES = {"train": "train-images-idx3-ubyte", "test": "t10k-images-idx3-ubyte"}


class MnistFileError(ValueError):
    """A missing or malformed MNIST file (the message names the file and the problem)."""


def split(rows: np.ndarray, test_fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(train, test): a seeded permutation's first ``test_fraction`` of the rows held out."""
    if not 0 < test_fraction < 1:
        raise ValueError(f"bayes_rg.test_fraction: expected a fraction in (0, 1), got {test_fraction}")
    n_test = round(test_fraction * len(rows))
    if not 1 <= n_test < len(rows):
        raise ValueError(f"bayes_rg.test_fraction: {test_fraction} of {len(rows)} samples leaves no training or no "
                         "held-out sample")
    order = np.random.default_rng(seed).permutation(len(rows))
    return rows[order[n_test:]], rows[order[:n_test]]


def digit_images() -> np.ndarray:
    """The 1,797 bundled 8 x 8 digits as rows of 64 pixels in [0, 1]."""
    from sklearn.datasets import load_digits

    return load_digits().data / 16.0


def digits(test_fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(train, test) rows of 64 pixels in [0, 1]."""
    return split(digit_images(), test_fraction, seed)


def unit_scaled(values: np.ndarray, name: str) -> tuple[np.ndarray, int]:
    """Each column mapped to [0, 1] by its range; (scaled values, number of constant columns set to 0)."""
    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 2 or values.shape[0] < 2:
        raise ValueError(f"{name}: expected a matrix of at least 2 samples, got shape {values.shape}")
    if not np.all(np.isfinite(values)):
        raise ValueError(f"{name}: the data matrix holds NaN or infinite values")
    low, span = values.min(axis=0), np.ptp(values, axis=0)
    constant = span == 0
    scaled = np.where(constant, 0.0, (values - low) / np.where(constant, 1.0, span))
    return scaled, int(constant.sum())


def _checked_images(images: np.ndarray, source: str) -> np.ndarray:
    """MNIST images (m, 28, 28) or (m, 784) of integers 0-255 as rows of 784 values in [0, 1]."""
    if images.ndim == 3 and images.shape[1:] == (MNIST_SIDE, MNIST_SIDE):
        images = images.reshape(len(images), -1)
    if images.ndim != 2 or images.shape[1] != MNIST_SIDE ** 2 or len(images) == 0:
        raise MnistFileError(f"{source}: expected MNIST images of shape (m, 28, 28) or (m, 784), got {images.shape}")
    if not np.issubdtype(images.dtype, np.number) or not np.all(np.isfinite(images)):
        raise MnistFileError(f"{source}: the images are not finite numbers (dtype {images.dtype})")
    if images.min() < 0 or images.max() > 255:
        raise MnistFileError(f"{source}: pixel values outside 0-255 ({images.min()} to {images.max()})")
    return images.astype(np.float64) / 255.0


def read_idx_images(path: Path) -> np.ndarray:
    """One IDX image file (gzipped or not), its header checked against its size."""
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as handle:
            raw = handle.read()
    except (OSError, EOFError) as error:
        raise MnistFileError(f"{path}: cannot be read ({error})") from None
    if len(raw) < 16:
        raise MnistFileError(f"{path}: {len(raw)} bytes, shorter than an IDX header (16 bytes)")
    magic, count, rows, cols = np.frombuffer(raw[:16], dtype=">u4")
    if magic != IDX_IMAGES_MAGIC:
        raise MnistFileError(f"{path}: magic number {magic}, not {IDX_IMAGES_MAGIC} (an IDX file of unsigned-byte "
                             "images); is it a label file?")
    expected = 16 + int(count) * int(rows) * int(cols)
    if len(raw) != expected:
        raise MnistFileError(f"{path}: {len(raw)} bytes, but its header declares {count} images of {rows} x {cols} "
                             f"({expected} bytes): truncated or not an IDX file")
    return np.frombuffer(raw[16:], dtype=np.uint8).reshape(int(count), int(rows), int(cols))


def _idx_file(directory: Path, stem: str) -> Path:
    for name in (stem, stem + ".gz", stem.replace("-idx3", ".idx3"), stem.replace("-idx3", ".idx3") + ".gz"):
        if (directory / name).is_file():
            return directory / name
    raise MnistFileError(f"{directory}: no {stem} (or {stem}.gz) in this directory")


def read_mnist(path: str) -> tuple[np.ndarray, np.ndarray]:
    """(train, test) rows of 784 pixels in [0, 1] from an ``.npz`` or a directory of IDX files."""
    location = Path(path)
    if not location.exists():
        raise MnistFileError(f"bayes_rg.mnist.path: {path} does not exist")
    if location.is_dir():
        return tuple(_checked_images(read_idx_images(_idx_file(location, stem)), str(location / stem))
                     for stem in IDX_FILES.values())
    try:
        with np.load(location, allow_pickle=False) as archive:
            missing = [key for key in ("x_train", "x_test") if key not in archive.files]
            if missing:
                raise MnistFileError(f"{path}: no {' or '.join(missing)} in the archive (it holds {archive.files})")
            return _checked_images(archive["x_train"], f"{path}[x_train]"), _checked_images(archive["x_test"],
                                                                                             f"{path}[x_test]")
    except (OSError, ValueError) as error:
        if isinstance(error, MnistFileError):
            raise
        raise MnistFileError(f"{path}: not a readable .npz archive ({error})") from None
