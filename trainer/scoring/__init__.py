"""Reading what a trainee said: the phrase matcher, the eleven signals and the cues (detectors), rubric verdicts
and session scores (scorer), hints and marks (coaching), the debrief, charts, and the optional LLM judge.

May import: `trainer.content`, `trainer.config`, `trainer.llm`, `trainer.errors`, `trainer.wording`.
A new signal is a vocabulary entry (content) plus its detector here.
"""
