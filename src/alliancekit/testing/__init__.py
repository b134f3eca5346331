"""Tools for testing scales and engines: Hypothesis strategies, the property suite, a pytest plugin."""
