"""``python -m jichitai_cloud``: the same program as ``jichitai-cloud``."""

import sys

from .cli import main

sys.exit(main())
