"""Fixtures of the catalogue's tests: the world's ministries as providers, an administrator, a valid service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from awda.accounts.enums import Role
from awda.accounts.models import User
from awda.catalogue import actions
from awda.catalogue.models import Service
from awda.registry.tests.conftest import register, registration

__all__ = ["register", "registration"]


def service_document(**overrides: Any) -> dict[str, Any]:
    """A complete, valid service of MoLSA: documentation help in Baghdad's Karkh district, for adults."""
    doc: dict[str, Any] = {
        "code": "molsa-docs-karkh",
        "organisation": "molsa",
        "programme": "",
        "category": "civil_documentation",
        "name_ar": "المساعدة في استخراج البطاقة الوطنية",
        "name_ckb": "یارمەتی بۆ دەرکردنی کارتی نیشتمانی",
        "name_en": "Help with the national card",
        "description_ar": "نرافقك إلى دائرة الأحوال المدنية ونساعدك في ملء الاستمارات.",
        "description_ckb": "لەگەڵت دێین بۆ فەرمانگەی باری شارستانی و یارمەتیت دەدەین لە پڕکردنەوەی فۆرمەکان.",
        "description_en": "We go with you to the civil status office and help with the forms.",
        "how_to_access_ar": "اتصل بنا أو زر مكتبنا.",
        "how_to_access_ckb": "پەیوەندیمان پێوە بکە یان سەردانی نووسینگەکەمان بکە.",
        "how_to_access_en": "Call us or visit our office.",
        "cost": "free",
        "languages": ["ar", "ckb"],
        "nationwide": False,
        "remote": False,
        "governorates": [],
        "districts": ["IQG08Q06"],
        "settlements": [],
        "min_age": 18,
        "max_age": None,
        "sexes": [],
        "return_types": [],
        "statuses_abroad": [],
        "employment_statuses": [],
        "vulnerabilities": [],
        "categories": [],
        "min_months_since_return": None,
        "max_months_since_return": None,
        "capacity_per_month": 20,
        "current_load": 0,
        "phone": "+9647701234567",
        "email": "docs@example.org",
        "hours_days": ["sun", "mon", "tue", "wed", "thu"],
        "hours_opens": "08:00",
        "hours_closes": "14:00",
        "starts_on": None,
        "ends_on": None,
    }
    doc.update(overrides)
    return doc


@pytest.fixture
def people(make_user: Callable[..., User]) -> dict[str, User]:
    return {
        "admin": make_user(
            Role.ADMINISTRATOR, "momd_baghdad", "cat.admin", first_name="ليلى", last_name="حسن"
        ),
        "provider": make_user(Role.SERVICE_PROVIDER, "molsa_baghdad", "molsa.provider"),
        "other_provider": make_user(Role.SERVICE_PROVIDER, "momd_erbil", "momd.provider"),
        "supervisor": make_user(Role.SUPERVISOR, "momd_baghdad", "cat.supervisor"),
        "worker": make_user(Role.CASE_WORKER, "momd_baghdad", "cat.worker"),
    }


@pytest.fixture
def publish(people: dict[str, User]) -> Callable[..., Service]:
    def make(**overrides: Any) -> Service:
        return actions.service_publish(actor=people["admin"], document=service_document(**overrides))

    return make
