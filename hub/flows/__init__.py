"""The domain processes of the seeds: werkdagen and termijnen, regiecheck, zaken, ….

Each module here is a process the field runs (DESIGN.md §flows); they depend on ports, never
on SQLAlchemy, and are wired by the composition root.
"""
