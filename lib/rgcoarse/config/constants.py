"""Physical and bookkeeping constants used across the package and the workflow (stated once)."""

import math

ISING_CRITICAL_TEMPERATURE = 2.0 / math.log1p(math.sqrt(2.0))
"""Onsager's critical temperature of the 2D Ising model, ``T_c = 2 / ln(1 + sqrt 2) = 2.269185...`` (J = k_B = 1)."""

TEMPERATURE_DECIMALS = 3
"""Temperatures are written with this many decimals in wildcards and paths (``T2.300``)."""

TEMPERATURE_TOLERANCE = 0.5 * 10.0**-TEMPERATURE_DECIMALS
"""Two temperatures are the same condition when they agree to within half the last written decimal."""

ISING_2D_ETA = 0.25
"""The 2D Ising model's anomalous dimension eta (exact)."""

ISING_2D_DIMENSION = 2
"""The 2D Ising model's dimension d."""

MIN_NULL_DRAWS = 19
"""The fewest null draws whose rank p-value ``(1 + #draws >= data) / (n + 1)`` can reach 0.05."""

MIN_RANK_POINTS = 3
"""The fewest ranks a COD-increment power law is fitted through (with two, its shape has no test)."""
