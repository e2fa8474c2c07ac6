"""The write path: plan, messages, formats, file safety, the xlsx parts and the two writers.

The entry point is ``register.writeback.write_back``; docs/development.md ("The write path") says
where each concept lives.
"""
