"""Chat roleplay trainer for practising difficult customers."""

__version__ = "0.1.0"
