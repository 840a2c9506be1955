"""Kernels for NetWise: forked from a preloaded parent, ready as soon as they answer (see ``fork``)."""
