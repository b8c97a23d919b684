"""gunicorn settings for Hoshin:

    gunicorn -c python:hoshin.gunicorn_conf hoshin.wsgi --bind 127.0.0.1:8000

One worker process per CPU core with 4 threads each, the application loaded once in the
master and warmed there (``hoshin.core.warmup``) before the workers are forked, so that
they share it. Options given on the command line win over these.
"""

from __future__ import annotations

import os
from typing import Any

preload_app = True
workers = int(os.environ.get("HOSHIN_WORKERS", os.cpu_count() or 2))
threads = int(os.environ.get("HOSHIN_THREADS", 4))
max_requests = 5000
max_requests_jitter = 500


def when_ready(server: Any) -> None:
    """In the master, after the application is loaded and before the workers fork."""
    from hoshin.core.warmup import warm

    warm()
