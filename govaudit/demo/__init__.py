"""The bundled demo portal: 江州市青溪区人民政府 (fictional), served locally for `govaudit demo`.

It is both what a new user sees first and the fixture the end-to-end test stands on:

* :class:`DemoPortal` serves the portal host and one department's own site on 127.0.0.1;
* :func:`demo_config` returns the crawler config (YAML) for a running demo;
* :func:`ground_truth` returns what a correct audit must find (from ``ground_truth.json``);
* :data:`DEMO_AS_OF` is the fixed "today" of every page, HTTP Date header and audit.

Everything is generated from :mod:`govaudit.demo.content`; see that module for the layout.
"""
from .config import demo_config
from .model import DEMO_AS_OF
from .server import DemoPortal, main, serve_forever
from .truth import ground_truth

__all__ = ["DEMO_AS_OF", "DemoPortal", "demo_config", "ground_truth", "serve_forever", "main"]
