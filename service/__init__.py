"""The optional REST service of sqlalchemy-syda (``pip install 'sqlalchemy-syda[service]'``, ``syda serve``).

FastAPI over the library's public API: projects, API keys (hashed, scoped, with roles), jobs in
worker processes, artifacts re-derivable from their recipe, and an append-only event log (the
seed document's "transactions"). Layout: :mod:`.settings` (configuration and named targets),
:mod:`.models` + ``migrations/`` (its own state), :mod:`.auth` / :mod:`.keys`, :mod:`.audit`,
:mod:`.errors`, :mod:`.limits`, :mod:`.formats`, :mod:`.datasets`, :mod:`.jobs`, :mod:`.artifacts`,
:mod:`.routes` (one module per resource) and :mod:`.app`::

    from service.app import create_app
    app = create_app()            # uvicorn service.app:create_app --factory
"""
