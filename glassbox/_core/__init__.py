"""Compiled kernels (Cython). Internal: no public API here."""
