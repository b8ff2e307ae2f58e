"""Configuration, the lowest layer: model settings, where files live, who is practising.

May import: the standard library, pydantic, platformdirs, and `trainer.errors`. Nothing else of trainer.
"""
