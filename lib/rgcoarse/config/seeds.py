"""Stable per-job seeds derived from the master seed and a job's identity."""

import hashlib


def derive_seed(master_seed: int, *parts) -> int:
    """Return a 31-bit seed from ``master_seed`` and identifying ``parts``.

    Hash-based (not ``hash()``, which is salted per process), so the same config gives
    the same seed on every machine, and adding a job never shifts another job's seed.
    """
    text = "/".join([str(int(master_seed))] + [str(p) for p in parts])
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "little") & 0x7FFFFFFF
