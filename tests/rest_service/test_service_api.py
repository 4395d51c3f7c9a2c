"""The REST service's resources over real HTTP: projects, keys, isolation, errors, the data routes."""

from __future__ import annotations

import csv
import io
import re

import pytest

SEED_REQUEST = {"project_name": None, "data": {"email": ["test@example.com"], "phone": ["123-456-7890"]}}


def test_health_needs_no_key_and_everything_else_does(service) -> None:
    import httpx

    assert httpx.get(service.url + "/health").json()["database"] == "ok"
    assert httpx.get(service.url + "/docs").status_code == 200
    assert httpx.get(service.url + "/redoc").status_code == 200
    paths = service.client.get("/openapi.json").json()["paths"]
    for path, methods in paths.items():
        if path == "/health":
            continue
        for method in methods:
            url = service.url + re.sub(r"\{[^}]+\}", "x", path)
            r = httpx.request(method.upper(), url, json={})
            assert r.status_code == 401, (method, path, r.status_code)
            assert "Authorization: Bearer" in r.json()["detail"]
    r = httpx.get(service.url + "/projects", headers={"Authorization": "Bearer syda_0123456789abcdef_" + "a" * 43})
    assert r.status_code == 401 and "Unknown API key" in r.json()["detail"]


def test_projects_duplicates_and_idempotency(service) -> None:
    name = service.project(description="My synthetic data project")
    r = service.client.post("/projects", json={"name": name})
    assert r.status_code == 409 and "exists already" in r.json()["detail"]
    body = {"name": name + "_i", "description": "same twice"}
    first = service.client.post("/projects", json=body, headers={"Idempotency-Key": "abc-" + name})
    again = service.client.post("/projects", json=body, headers={"Idempotency-Key": "abc-" + name})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json() and again.headers["Idempotent-Replayed"] == "true"
    other = service.client.post("/projects", json={**body, "description": "else"},
                                headers={"Idempotency-Key": "abc-" + name})
    assert other.status_code == 422 and "different request" in other.json()["detail"]
    r = service.client.post("/projects", json={"name": "Not A Slug"})
    assert r.status_code == 422
    names = [p["name"] for p in service.client.get("/projects").json()["items"]]
    assert name in names and name + "_i" in names


def test_keys_are_shown_once_scoped_and_revocable(service) -> None:
    project = service.project()
    created = service.client.post(f"/projects/{project}/keys", json={"role": "read", "name": "ci"}).json()
    assert created["key"].startswith("syda_") and created["role"] == "read"
    listed = service.client.get(f"/projects/{project}/keys").json()["items"]
    assert [k["id"] for k in listed] == [created["id"]] and all("key" not in k for k in listed)
    read = service.headers(created["key"])
    assert service.client.get(f"/projects/{project}", headers=read).status_code == 200
    r = service.client.post("/generate", json={**SEED_REQUEST, "project_name": project}, headers=read)
    assert r.status_code == 403 and "needs 'generate'" in r.json()["detail"]
    r = service.client.post("/projects", json={"name": project + "x"}, headers=read)
    assert r.status_code == 403
    assert service.client.delete(f"/projects/{project}/keys/{created['id']}").json()["revoked_at"]
    r = service.client.get(f"/projects/{project}", headers=read)
    assert r.status_code == 401 and "revoked" in r.json()["detail"]


def test_keys_of_one_project_cannot_read_another(service) -> None:
    mine, theirs = service.project(), service.project()
    key = service.key(mine, "admin")
    theirs_key = service.key(theirs, "generate")
    job = service.client.post("/generate", headers=service.headers(theirs_key),
                              json={**SEED_REQUEST, "project_name": theirs, "sample_size": 5, "format": "parquet"})
    assert job.status_code == 202
    done = service.wait_job(job.json()["id"])
    artifact = done["artifacts"][0]["id"]
    h = service.headers(key)
    assert [p["name"] for p in service.client.get("/projects", headers=h).json()["items"]] == [mine]
    for method, path in [("GET", f"/projects/{theirs}"), ("GET", f"/projects/{theirs}/transactions"),
                         ("GET", f"/projects/{theirs}/jobs"), ("GET", f"/projects/{theirs}/keys"),
                         ("POST", f"/projects/{theirs}/keys"), ("GET", f"/jobs/{job.json()['id']}"),
                         ("GET", f"/jobs/{job.json()['id']}/events"), ("POST", f"/jobs/{job.json()['id']}/cancel"),
                         ("GET", f"/artifacts/{artifact}"), ("POST", f"/artifacts/{artifact}/regenerate"),
                         ("GET", f"/projects/{theirs}/targets")]:
        r = service.client.request(method, path, headers=h, json={"role": "read"} if method == "POST" else None)
        assert r.status_code == 404, (method, path, r.status_code, r.text)
    r = service.client.post("/generate", headers=h, json={**SEED_REQUEST, "project_name": theirs})
    assert r.status_code == 404


def test_generate_seed_document_example(service) -> None:
    project = service.project()
    r = service.client.post("/generate", json={**SEED_REQUEST, "project_name": project})
    assert r.status_code == 200
    body = r.json()
    assert body["sample_size"] == 10 and len(body["data"]["email"]) == 10
    assert all(re.fullmatch(r"\d{3}-\d{3}-\d{4}", p) for p in body["data"]["phone"])
    assert all(re.fullmatch(r"[^@\s]+@[^@\s]+\.\w+", e) for e in body["data"]["email"])
    assert "123-456-7890" not in body["data"]["phone"]
    assert body["columns"]["phone"]["format"] == "&##-&##-####"
    again = service.client.post("/generate", json={**SEED_REQUEST, "project_name": project})
    assert again.json()["data"] == body["data"]  # same seed, same values
    as_csv = service.client.post("/generate", json={**SEED_REQUEST, "project_name": project, "sample_size": 4},
                                 headers={"Accept": "text/csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert len(rows) == 4 and set(rows[0]) == {"email", "phone"}


TEST_DDL = """
CREATE TABLE users (id INTEGER PRIMARY KEY, nickname VARCHAR(12) NOT NULL UNIQUE,
                    age INT CHECK (age BETWEEN 18 AND 99), plan VARCHAR(5) NOT NULL CHECK (plan IN ('free', 'pro')));
CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id), title VARCHAR(30));
"""


@pytest.mark.parametrize("schema", [
    {"schema": {"id": "number", "email": "email", "score": {"type": "number", "min": 0, "max": 100}}},
    {"schema_text": "id: number\nemail: email\nscore: {type: number, min: 0, max: 100}\n", "table_name": "records"},
    {"schema_text": '{"id": "number", "email": "email", "score": {"type": "number", "min": 0, "max": 100}}'},
], ids=["dict", "yaml", "json"])
def test_test_data_from_dict_yaml_and_json_schemas(service, schema) -> None:
    project = service.project()
    r = service.client.post("/generate/test-data", json={"project_name": project, "sample_size": 25, **schema})
    assert r.status_code == 200, r.text
    rows = r.json()["tables"]["records"]
    assert len(rows) == 25 and [row["id"] for row in rows] == list(range(1, 26))
    assert all(0 <= row["score"] <= 100 for row in rows if row["score"] is not None)


def test_test_data_from_ddl_with_edge_cases(service) -> None:
    project = service.project()
    r = service.client.post("/generate/test-data", json={
        "project_name": project, "schema_text": TEST_DDL, "counts": {"users": 20, "posts": 40}, "edge_cases": True})
    assert r.status_code == 200, r.text
    users, posts = r.json()["tables"]["users"], r.json()["tables"]["posts"]
    assert len(users) == 20 and len(posts) == 40
    assert {p["user_id"] for p in posts} <= {u["id"] for u in users}
    assert max(len(u["nickname"]) for u in users) == 12 and len({u["nickname"] for u in users}) == 20
    ages = [u["age"] for u in users]
    assert None in ages and min(a for a in ages if a is not None) == 18 and max(a for a in ages if a is not None) == 99
    assert {u["plan"] for u in users} == {"free", "pro"}
    one = service.client.post("/generate/test-data?format=csv&table=posts", json={
        "project_name": project, "schema_text": TEST_DDL, "counts": {"users": 3, "posts": 5}})
    assert one.text.splitlines()[0] == "id,user_id,title" and len(one.text.splitlines()) == 6


@pytest.mark.parametrize(("body", "status", "message"), [
    ({"schema": {"id": "numbr"}}, 422, "Unknown type name 'numbr'"),
    ({}, 422, "Send a schema"),
    ({"schema_text": "CREATE TABLE t (id INT REFERENCES nope (id))"}, 422, "does not create"),
    ({"schema": {"id": "number"}, "counts": {"nope": 3}}, 422, "which the schema does not have"),
    ({"schema": {"id": "number"}, "format": "xml"}, 422, None),
    ({"schema": {"id": "number"}, "sample_size": -1}, 422, None),
    ({"schema": {"a": {"type": "number", "min": 5, "max": 1}}}, 422, None),
])
def test_bad_test_data_requests_get_the_library_message(service, body, status, message) -> None:
    project = service.project()
    r = service.client.post("/generate/test-data", json={"project_name": project, **body})
    assert r.status_code == status, r.text
    if message:
        assert message in r.json()["detail"]


def test_bad_examples_and_formats(service) -> None:
    project = service.project()
    r = service.client.post("/generate", json={"project_name": project, "data": {"email": []}})
    assert r.status_code == 422 and "has no example values" in r.json()["detail"]
    r = service.client.post("/generate", json={**SEED_REQUEST, "project_name": project},
                            headers={"Accept": "application/xml"})
    assert r.status_code == 406
    r = service.client.post("/generate", content=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 422
    r = service.client.post("/generate", json={**SEED_REQUEST, "project_name": "no_such_project"})
    assert r.status_code == 404 and "GET /projects" in r.json()["detail"]


def test_bodies_over_the_cap_are_refused_while_streaming(service) -> None:
    project = service.project()
    big = "x" * (3 * 1024 * 1024)
    r = service.client.post("/generate/test-data", json={"project_name": project, "schema_text": big})
    assert r.status_code == 413 and "SYDA_SERVICE_MAX_UPLOAD_MB" in r.json()["detail"]

    def chunks():  # no Content-Length: the cap is enforced as the bytes arrive
        yield b'{"project_name": "' + project.encode() + b'", "schema_text": "'
        for _ in range(40):
            yield b"y" * 100_000
        yield b'"}'

    r = service.client.post("/generate/test-data", content=chunks(), headers={"Content-Type": "application/json"})
    assert r.status_code == 413


def test_transactions_record_every_operation_without_row_data(service) -> None:
    project = service.project()
    key = service.key(project, "generate")
    h = service.headers(key)
    ok = service.client.post("/generate", json={**SEED_REQUEST, "project_name": project, "sample_size": 3}, headers=h)
    bad = service.client.post("/generate/test-data", json={"project_name": project, "schema": {"id": "numbr"}},
                              headers=h)
    assert (ok.status_code, bad.status_code) == (200, 422)
    items = service.client.get(f"/projects/{project}/transactions").json()["items"]
    by_op = {i["operation"]: i for i in items}
    assert by_op["generate"]["rows"] == 3 and by_op["generate"]["outcome"] == "ok"
    assert by_op["generate"]["key_id"] == key.split("_")[1] and len(by_op["generate"]["input_sha256"]) == 64
    assert by_op["generate_test_data"]["outcome"] == "error" and by_op["generate_test_data"]["error_type"] == \
        "SchemaError"
    text = str(items)
    for value in ok.json()["data"]["email"] + ["test@example.com", "123-456-7890"]:
        assert value not in text
    errors = service.client.get(f"/projects/{project}/transactions", params={"outcome": "error"}).json()["items"]
    assert [e["operation"] for e in errors] == ["generate_test_data"]
    page = service.client.get(f"/projects/{project}/transactions", params={"limit": 1}).json()
    assert len(page["items"]) == 1 and page["next"]
    rest = service.client.get(page["next"]).json()["items"]
    assert rest and rest[0]["id"] < page["items"][0]["id"]
