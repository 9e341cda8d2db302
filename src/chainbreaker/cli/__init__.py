"""Command line: one module per command group; thin layers over the library."""
