"""Chinese text intelligence: message routing, harmful-comment screening, content checks.

The engines here are plain Python and import no Django, so the command line
(`python -m govmatrix.textintel`) and the benchmarks run them without a database.
"""
