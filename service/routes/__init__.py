"""One router per resource; :data:`ROUTERS` is what the app includes (a new resource: a module + one line)."""

from __future__ import annotations

from . import artifacts, generate, health, jobs, keys, projects, seed_target, test_data, transactions

ROUTERS = [health.router, projects.router, keys.router, transactions.router, generate.router, test_data.router,
           seed_target.router, jobs.router, artifacts.router]
