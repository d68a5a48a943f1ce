"""API errors are JSON with a stable code and a translated message, never an HTML page."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from awda.accounts.enums import Role
from awda.core.models import AuditEntry
from conftest import verified_api_client


@pytest.mark.django_db
def test_anonymous_call_gets_401_with_code() -> None:
    response = APIClient().get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json() == {
        "error": {"code": "not_authenticated", "message": "Sign in to use this part of the API."}
    }
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.django_db
def test_unknown_api_url_is_json_404() -> None:
    response = APIClient().get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"error": {"code": "not_found", "message": "Not found."}}


@pytest.mark.django_db
def test_errors_speak_the_requested_language() -> None:
    english = "Sign in to use this part of the API."
    with translation.override("ar"):
        arabic = translation.gettext(english)
    assert arabic != english
    response = APIClient().get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="ar")
    assert response.json()["error"] == {"code": "not_authenticated", "message": arabic}


@pytest.mark.django_db
def test_malformed_json_is_a_parse_error(make_user: Any) -> None:
    client = verified_api_client(make_user(Role.ADMINISTRATOR))
    before = AuditEntry.objects.count()
    response = client.post("/api/v1/institutions/", data='{"code": "x",', content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "error": {"code": "parse_error", "message": "The request body is not valid JSON."}
    }
    assert AuditEntry.objects.count() == before


@pytest.mark.django_db
def test_validation_errors_name_each_field(make_user: Any) -> None:
    client = verified_api_client(make_user(Role.ADMINISTRATOR))
    response = client.post("/api/v1/institutions/", {"code": "bad code!", "type": "castle"}, format="json")
    assert response.status_code == 400
    body = response.json()["error"]
    assert body["code"] == "invalid"
    assert body["fields"]["type"] == [
        {"code": "invalid_choice", "message": '"castle" is not a valid choice.'}
    ]
    assert body["fields"]["name_ar"] == [{"code": "required", "message": "This field is required."}]
    assert body["fields"]["code"][0]["code"] == "invalid"


@pytest.mark.django_db
def test_oversized_body_is_413(make_user: Any, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = verified_api_client(make_user(Role.ADMINISTRATOR))
    response = client.post(
        "/api/v1/institutions/", data=json.dumps({"code": "x" * 5000}), content_type="application/json"
    )
    assert response.status_code == 413
    assert response.json() == {
        "error": {"code": "request_too_large", "message": "The request body is too large."}
    }


@pytest.mark.django_db
def test_method_not_allowed(make_user: Any) -> None:
    client = verified_api_client(make_user(Role.CASE_WORKER))
    response = client.delete("/api/v1/me/")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


@pytest.mark.django_db
def test_session_post_without_csrf_token_is_refused(make_user: Any) -> None:
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(make_user(Role.SUPERVISOR))
    response = client.post("/api/v1/users/", {"username": "x"}, format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


@pytest.mark.django_db
def test_schema_is_openapi_3() -> None:
    response = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/users/" in schema["paths"]
