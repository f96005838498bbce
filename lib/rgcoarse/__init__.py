"""rgcoarse: kernels for RG-inspired coarse-graining of data.

One module per concern, pure functions on NumPy arrays; file I/O lives only in
:mod:`rgcoarse.io.datamatrix` (the data-matrix contract).
"""

__version__ = "0.1.0"
