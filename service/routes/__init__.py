"""One router per resource; :data:`ROUTERS` is what the app includes (a new resource: a module + one line)."""

from __future__ import annotations

from . import (
    artifacts,
    documents,
    generate,
    health,
    jobs,
    keys,
    page,
    profiles,
    projects,
    seed_target,
    test_data,
    transactions,
    unstructured,
    uploads,
)

ROUTERS = [health.router, projects.router, keys.router, transactions.router, generate.router,
           test_data.router, uploads.router, seed_target.router, jobs.router, artifacts.router, profiles.router,
           unstructured.router, documents.router, page.router]
