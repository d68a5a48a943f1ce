"""Demo institutions, offices and one account per role, for trying Awda out (``awda demo``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from awda.accounts.enums import AreaLevel, InstitutionType, Role, ScopeLevel
from awda.accounts.models import Institution, Office, User
from awda.accounts.roles import default_scope

DEMO_PASSWORD = "awda-demo-2026"  # noqa: S105  (printed to the person running the demo)

# code, type, parent code, Arabic, Kurdish, English
INSTITUTIONS = [
    (
        "momd",
        InstitutionType.MINISTRY,
        None,
        "وزارة الهجرة والمهجرين",
        "وەزارەتی کۆچ و کۆچبەران",
        "Ministry of Migration and Displaced",
    ),
    (
        "molsa",
        InstitutionType.MINISTRY,
        None,
        "وزارة العمل والشؤون الاجتماعية",
        "وەزارەتی کار و کاروباری کۆمەڵایەتی",
        "Ministry of Labour and Social Affairs",
    ),
    (
        "molsa-mrc",
        InstitutionType.GOVERNMENT_AGENCY,
        "molsa",
        "مركز موارد المهاجرين",
        "سەنتەری سەرچاوەکانی کۆچبەران",
        "Migrant Resource Centre",
    ),
    ("mop", InstitutionType.MINISTRY, None, "وزارة التخطيط", "وەزارەتی پلاندانان", "Ministry of Planning"),
    (
        "mofa",
        InstitutionType.MINISTRY,
        None,
        "وزارة الخارجية",
        "وەزارەتی دەرەوە",
        "Ministry of Foreign Affairs",
    ),
    ("moi", InstitutionType.MINISTRY, None, "وزارة الداخلية", "وەزارەتی ناوخۆ", "Ministry of Interior"),
    (
        "amal",
        InstitutionType.NGO,
        None,
        "جمعية الأمل لإعادة الإدماج",
        "کۆمەڵەی ئومێد بۆ تێکەڵبوونەوە",
        "Al-Amal Reintegration Association",
    ),
    (
        "dijla-legal",
        InstitutionType.NGO,
        None,
        "شبكة دجلة للمساعدة القانونية",
        "تۆڕی دیجلە بۆ یارمەتیی یاسایی",
        "Dijla Legal Aid Network",
    ),
    (
        "ireo",
        InstitutionType.INTERNATIONAL_ORGANISATION,
        None,
        "المنظمة الدولية لإعادة الإدماج",
        "ڕێکخراوی نێودەوڵەتیی تێکەڵبوونەوە",
        "International Reintegration Organisation",
    ),
    (
        "rafidain-build",
        InstitutionType.PRIVATE_COMPANY,
        None,
        "شركة الرافدين للإنشاءات",
        "کۆمپانیای ڕافیدەین بۆ بیناسازی",
        "Rafidain Construction Company",
    ),
    (
        "erbil-digital",
        InstitutionType.PRIVATE_COMPANY,
        None,
        "شركة أربيل للخدمات الرقمية",
        "کۆمپانیای هەولێر بۆ خزمەتگوزاریی دیجیتاڵ",
        "Erbil Digital Services",
    ),
]

# institution code, key, governorate, district, area, Arabic, Kurdish, English
OFFICES = [
    (
        "momd",
        "momd-baghdad",
        "IQG08",
        "IQG08Q06",
        AreaLevel.GOVERNORATE,
        "فرع بغداد",
        "لقی بەغدا",
        "Baghdad branch",
    ),
    (
        "momd",
        "momd-erbil",
        "IQG11",
        "IQG11Q02",
        AreaLevel.GOVERNORATE,
        "فرع أربيل",
        "لقی هەولێر",
        "Erbil branch",
    ),
    (
        "momd",
        "momd-basra",
        "IQG02",
        "IQG02Q02",
        AreaLevel.GOVERNORATE,
        "فرع البصرة",
        "لقی بەسرە",
        "Basra branch",
    ),
    (
        "momd",
        "momd-ninewa",
        "IQG15",
        "IQG15Q05",
        AreaLevel.GOVERNORATE,
        "فرع نينوى",
        "لقی نەینەوا",
        "Ninewa branch",
    ),
    (
        "molsa",
        "molsa-baghdad",
        "IQG08",
        "IQG08Q03",
        AreaLevel.GOVERNORATE,
        "المقر العام",
        "بارەگای گشتی",
        "Headquarters",
    ),
    (
        "molsa-mrc",
        "mrc-baghdad",
        "IQG08",
        "IQG08Q03",
        AreaLevel.GOVERNORATE,
        "مركز بغداد",
        "سەنتەری بەغدا",
        "Baghdad centre",
    ),
    (
        "mop",
        "mop-baghdad",
        "IQG08",
        "IQG08Q03",
        AreaLevel.GOVERNORATE,
        "المقر العام",
        "بارەگای گشتی",
        "Headquarters",
    ),
    (
        "mofa",
        "mofa-baghdad",
        "IQG08",
        "IQG08Q03",
        AreaLevel.GOVERNORATE,
        "المقر العام",
        "بارەگای گشتی",
        "Headquarters",
    ),
    (
        "moi",
        "moi-baghdad",
        "IQG08",
        "IQG08Q06",
        AreaLevel.GOVERNORATE,
        "مديرية الأحوال المدنية",
        "بەڕێوەبەرایەتیی باری شارستانی",
        "Civil status directorate",
    ),
    (
        "amal",
        "amal-erbil",
        "IQG11",
        "IQG11Q02",
        AreaLevel.GOVERNORATE,
        "مكتب أربيل",
        "نووسینگەی هەولێر",
        "Erbil office",
    ),
    (
        "dijla-legal",
        "dijla-baghdad",
        "IQG08",
        "IQG08Q06",
        AreaLevel.GOVERNORATE,
        "مكتب بغداد",
        "نووسینگەی بەغدا",
        "Baghdad office",
    ),
    (
        "ireo",
        "ireo-baghdad",
        "IQG08",
        "IQG08Q03",
        AreaLevel.GOVERNORATE,
        "بعثة العراق",
        "نێردەی عێراق",
        "Iraq mission",
    ),
    (
        "rafidain-build",
        "rafidain-basra",
        "IQG02",
        "IQG02Q02",
        AreaLevel.GOVERNORATE,
        "المكتب الرئيسي",
        "نووسینگەی سەرەکی",
        "Head office",
    ),
    (
        "erbil-digital",
        "erbil-digital-hq",
        "IQG11",
        "IQG11Q02",
        AreaLevel.GOVERNORATE,
        "المكتب الرئيسي",
        "نووسینگەی سەرەکی",
        "Head office",
    ),
]

# username, role, office key, given name, family name, scope
USERS = [
    ("admin", Role.ADMINISTRATOR, "momd-baghdad", "Layla", "Hassan", None),
    ("caseworker", Role.CASE_WORKER, "momd-baghdad", "Ali", "Kadhim", None),
    ("supervisor", Role.SUPERVISOR, "momd-baghdad", "Zainab", "Jabbar", None),
    ("caseworker.erbil", Role.CASE_WORKER, "momd-erbil", "Shilan", "Aziz", None),
    ("provider", Role.SERVICE_PROVIDER, "amal-erbil", "Rebwar", "Karim", None),
    ("employer", Role.EMPLOYER, "rafidain-basra", "Mustafa", "Salman", None),
    ("analyst", Role.ANALYST, "mop-baghdad", "Huda", "Abbas", None),
    ("secretariat", Role.COMMITTEE_SECRETARIAT, "ireo-baghdad", "Sara", "Ahmed", None),
    ("steward", Role.DATA_STEWARD, "momd-baghdad", "Omar", "Fadhil", ScopeLevel.INSTITUTION),
    ("returnee", Role.RETURNEE, None, "Hussein", "Ali", None),
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    institution: str
    two_factor: bool


@transaction.atomic
def demo_accounts() -> list[DemoLogin]:
    """Create (or refresh) the demo institutions, offices and accounts; idempotent."""
    institutions: dict[str, Institution] = {}
    for code, kind, parent, name_ar, name_ckb, name_en in INSTITUTIONS:
        institutions[code], _created = Institution.objects.update_or_create(
            code=code,
            defaults={
                "type": kind,
                "parent": institutions.get(parent) if parent else None,
                "name_ar": name_ar,
                "name_ckb": name_ckb,
                "name_en": name_en,
            },
        )
    offices: dict[str, Office] = {}
    for code, key, governorate, district, area, name_ar, name_ckb, name_en in OFFICES:
        offices[key], _created = Office.objects.update_or_create(
            institution=institutions[code],
            name_en=name_en,
            defaults={
                "governorate_id": governorate,
                "district_id": district,
                "area_level": area,
                "name_ar": name_ar,
                "name_ckb": name_ckb,
            },
        )
    logins = []
    for username, role, office_key, first, last, scope in USERS:
        office = offices.get(office_key) if office_key else None
        user = User.objects.filter(username=username).first() or User(username=username)
        user.role = role
        user.office = office
        user.institution = office.institution if office else None
        user.first_name, user.last_name = first, last
        user.scope = scope or default_scope(role)
        user.email = f"{username}@demo.awda.invalid"
        if not user.pk:
            user.set_password(DEMO_PASSWORD)
        user.save()
        logins.append(
            DemoLogin(
                username,
                str(Role(role).label),
                user.institution.name_en if user.institution else "-",
                role in (Role.ADMINISTRATOR, Role.DATA_STEWARD),
            )
        )
    return logins
