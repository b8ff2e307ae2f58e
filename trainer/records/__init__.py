"""What a session leaves behind: transcripts as written (store), their hash chain, signing keys and seals,
verification, history, re-scoring, the cohort report, and certification.

May import: `trainer.scoring`, `trainer.content`, `trainer.config`, `trainer.errors`, `trainer.wording`.
"""
