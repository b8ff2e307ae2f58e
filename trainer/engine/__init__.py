"""The customer on the line: the director (state and decisions), the actors that voice them (scripted or a
model), sessions that tie a call to its transcript, and resume.

May import: `trainer.records`, `trainer.scoring`, `trainer.content`, `trainer.config`, `trainer.llm`,
`trainer.errors`, `trainer.wording`. Never Textual, never a front end.
"""
