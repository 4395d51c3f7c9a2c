"""A property-based run over the service's own OpenAPI schema (schemathesis): no request answers 5xx.

Every operation gets generated requests (bodies, paths, query strings) with the admin key; half of the
project names point at a real project, so the requests reach the library, not only the 404 path.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings


def test_no_generated_request_gets_a_server_error(service) -> None:
    project = service.project()
    schema = schemathesis.openapi.from_url(service.url + "/openapi.json")
    failures: list[tuple] = []
    calls = 0
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(max_examples=15, deadline=None, derandomize=True, database=None, phases=[Phase.generate],
                  suppress_health_check=list(HealthCheck))
        @given(operation.as_strategy())
        def run(case) -> None:
            nonlocal calls
            calls += 1
            if isinstance(case.body, dict) and "project_name" in case.body and calls % 2:
                case.body["project_name"] = project
            if case.path_parameters and "project_name" in case.path_parameters and calls % 2:
                case.path_parameters["project_name"] = project
            response = case.call(base_url=service.url, headers=service.headers(), timeout=60)
            if response.status_code >= 500:
                failures.append((case.method, case.path, response.status_code, response.text[:300]))

        run()
    assert calls > 150
    assert failures == [], failures
    assert "Traceback" not in service.log()
