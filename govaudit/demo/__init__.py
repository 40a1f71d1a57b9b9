"""The bundled demo portal: 江州市青溪区人民政府 (fictional), served locally for `govaudit demo`.

It is both what a new user sees first and the fixture the end-to-end test stands on:

* :class:`DemoPortal` serves the portal host and one department's own site on 127.0.0.1, in
  week 1 or (``set_week(2)``, same ports and URLs) week 2, the re-inspection a week later;
* :func:`demo_config` returns the crawler config (YAML) for a running demo;
* :func:`ground_truth` returns what a correct audit of a week must find (``ground_truth.json``);
* :data:`DEMO_AS_OF` is week 1's "today" (:data:`govaudit.demo.model.WEEKS` has both weeks'):
  every page, HTTP Date header and audit of a week is relative to its day.

Everything is generated from :mod:`govaudit.demo.content` (columns, sites, the week-2 changes)
and :mod:`govaudit.demo.plants` (the true cases and decoys inside documents); see those modules.
"""
from .config import demo_config
from .model import DEMO_AS_OF
from .server import DemoPortal, main, serve_forever
from .truth import ground_truth

__all__ = ["DEMO_AS_OF", "DemoPortal", "demo_config", "ground_truth", "serve_forever", "main"]
