"""The formats trainers write: the fixed vocabulary, personas, rubrics, phrase lists, and the loader that reads
them with one-line errors; the library of personas; the JSON Schemas; report templates.

May import: `trainer.config`, `trainer.errors`, `trainer.wording`. Never scoring, the engine, records or a front end.
A new persona, language or criterion is a file here (personas/, rubrics/), not code.
"""
