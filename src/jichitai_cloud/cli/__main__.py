"""``python -m jichitai_cloud.cli``: the same program as ``jichitai-cloud``."""

import sys

from .main import main

sys.exit(main())
