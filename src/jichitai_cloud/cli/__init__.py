"""The ``jichitai-cloud`` command-line program: one module per subcommand, wired by :mod:`.main`.

Bad input is reported as one located message on standard error, never as a traceback; the exit
status is 1 for invalid input and 2 for a usage error.
"""

from .main import build_parser, main

__all__ = ["build_parser", "main"]
