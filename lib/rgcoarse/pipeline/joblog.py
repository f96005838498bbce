"""Logging for pipeline jobs: one log file per job, timestamps, steady progress lines."""

import logging
import sys
import time


def job_logger(name: str, log_path=None) -> logging.Logger:
    """A logger writing to ``log_path`` (or stderr) with timestamps."""
    logger = logging.getLogger(f"rgcoarse.{name}")
    logger.setLevel(logging.INFO)
    logger.handlers.clear()
    handler = logging.FileHandler(log_path, mode="w") if log_path else logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger.addHandler(handler)
    logger.propagate = False
    return logger


def progress_reporter(logger: logging.Logger, what: str, min_interval_s: float = 0.0):
    """Return ``progress(done, total)`` that logs ``what`` progress, at most every ``min_interval_s``."""
    last = [0.0]
    start = time.perf_counter()

    def progress(done: int, total: int) -> None:
        now = time.perf_counter()
        if done < total and now - last[0] < min_interval_s:
            return
        last[0] = now
        logger.info("%s: %d/%d (%.0f%%), %.1f s elapsed", what, done, total, 100.0 * done / total, now - start)

    return progress
