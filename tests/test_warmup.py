"""What gunicorn's master loads before it forks its workers (hoshin.core.warmup)."""

from __future__ import annotations

import gc

from django.template import engines

from hoshin import gunicorn_conf
from hoshin.core import warmup


def test_every_project_template_is_found_and_compiles_at_start() -> None:
    names = warmup.template_names()
    assert {"base.html", "core/record_detail.html", "core/home.html"} <= set(names)
    try:
        warmup.warm()  # raises on a template that does not compile
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
    loader = engines["django"].engine.template_loaders[0]
    cached = getattr(loader, "get_template_cache", {})
    assert any(key.startswith("base.html") for key in cached)


def test_gunicorn_loads_the_application_once_and_warms_it_before_forking() -> None:
    assert gunicorn_conf.preload_app is True
    assert gunicorn_conf.workers >= 1 and gunicorn_conf.threads >= 1
    assert callable(gunicorn_conf.when_ready)
