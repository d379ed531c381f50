"""The demo shop that `manage.py seed_demo` loads, kept as data: {category: [{name, description, price, stock}]}."""

import json
from pathlib import Path

DEMO_CATALOG: dict[str, list[dict]] = json.loads((Path(__file__).parent / "demo_catalog.json").read_text())
