"""alliancekit's own features as plugins of its own hooks, registered before any other plugin:
the built-in scales (``scales/*.json``), the built-in scoring methods and the built-in storage
backends. The plugin layer names these modules in ``DEFAULT_PLUGINS``."""
