"""Test configuration: hypothesis profiles.

``default`` keeps the ordinary run quick; ``ci`` runs more examples and is chosen when the ``CI``
environment variable is set (as it is in CI); ``long`` is for a soak run:
``HYPOTHESIS_PROFILE=long python -m pytest`` (about 10 minutes on 2 cores).  ``fuzz`` is for the
fuzz tests of every loader and writer (``tests/test_fuzz.py``), run on demand:
``HYPOTHESIS_PROFILE=fuzz python -m pytest tests/test_fuzz.py`` (10,000 inputs per loader).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("default", max_examples=40, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", max_examples=100, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=2000, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=10_000, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "default"))
