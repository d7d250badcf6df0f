"""The served OpenAPI document, fuzzed with schemathesis against the hub it describes: valid and
invalid requests for every operation, with a hub admin key and a tenant key. Every answer must
be no server error and match the response schema documented for its status.

Bounded and reproducible: a fixed number of examples per operation, derandomised (the same
examples on every run), no example database."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.integration.conftest import build_world

EXAMPLES = 6
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance,
          content_type_conformance, response_headers_conformance]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("contract")
    w = build_world(f"sqlite:///{tmp / 'ketenhub.db'}", tmp,
                    ratelimit_per_key="1000000/minute", ratelimit_per_tenant="1000000/minute",
                    ratelimit_failed_auth="1000000/minute")
    yield w
    w.container.close()


@pytest.fixture(scope="module")
def schema(world):
    return schemathesis.openapi.from_wsgi("/openapi.json", world.app)


def _operations():
    """The operations of the document a fresh hub serves (collected once, offline)."""
    import tempfile
    from pathlib import Path

    tmp = Path(tempfile.mkdtemp(prefix="kh-contract-"))
    w = build_world(f"sqlite:///{tmp / 'ketenhub.db'}", tmp)
    try:
        spec = w.client.get("/openapi.json").json
    finally:
        w.container.close()
    return sorted(f"{method.upper()} {path}" for path, item in spec["paths"].items()
                  for method in item if method in {"get", "post", "put", "patch", "delete"})


@pytest.mark.parametrize("label", _operations())
def test_every_operation_answers_as_documented_to_valid_and_invalid_requests(world, schema, label):
    method, path = label.split(" ", 1)
    operation = schema[path][method]
    strategy = (operation.as_strategy(GenerationMode.POSITIVE)
                | operation.as_strategy(GenerationMode.NEGATIVE))

    @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def run(case):
        for who in ("admin", "ymere"):
            case.call_and_validate(headers=world.headers(who), checks=CHECKS)

    run()
