"""Demo returnees: realistic Arabic and Kurdish names, households and varied returns (no real person).

``demo_returnees(n)`` registers people through the same action a case worker uses, so the demo
exercises the real path (keys, categories, consent, audit). ``awda demo --returnees N`` uses it.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from awda.accounts.models import Office, User
from awda.registry import enums

# (Arabic, Latin) pairs; Latin spellings vary as they do on real documents.
MALE_ARABIC = [
    ("محمد", ["Mohammed", "Muhammad", "Mohamad"]),
    ("علي", ["Ali", "Aly"]),
    ("حسين", ["Hussein", "Husain", "Hussain"]),
    ("حسن", ["Hassan", "Hasan"]),
    ("أحمد", ["Ahmed", "Ahmad"]),
    ("عباس", ["Abbas"]),
    ("كاظم", ["Kadhim", "Kazim", "Kathim"]),
    ("جاسم", ["Jasim", "Jassim"]),
    ("مصطفى", ["Mustafa", "Moustafa"]),
    ("عبد الله", ["Abdullah", "Abdallah"]),
    ("عمر", ["Omar", "Umar"]),
    ("يوسف", ["Yousif", "Yusuf"]),
    ("كريم", ["Karim", "Kareem"]),
    ("سعد", ["Saad"]),
    ("مهدي", ["Mahdi", "Mehdi"]),
    ("حيدر", ["Haider", "Hayder"]),
    ("سجاد", ["Sajjad", "Sajad"]),
    ("مرتضى", ["Murtadha", "Murtada"]),
    ("عبد الرحمن", ["Abdulrahman", "Abd al-Rahman"]),
    ("إبراهيم", ["Ibrahim"]),
    ("خالد", ["Khalid", "Khaled"]),
    ("ياسر", ["Yasir", "Yaser"]),
]
FEMALE_ARABIC = [
    ("فاطمة", ["Fatima", "Fatma"]),
    ("زينب", ["Zainab", "Zeinab"]),
    ("مريم", ["Maryam", "Mariam"]),
    ("نور", ["Noor", "Nour"]),
    ("زهراء", ["Zahraa", "Zahra"]),
    ("حوراء", ["Hawraa", "Hawra"]),
    ("سارة", ["Sara", "Sarah"]),
    ("هدى", ["Huda", "Hoda"]),
    ("رقية", ["Ruqaya", "Roqaya"]),
    ("آمنة", ["Amina", "Amna"]),
    ("ليلى", ["Laila", "Layla"]),
    ("سعاد", ["Suad", "Souad"]),
]
MALE_KURDISH = [
    ("ڕێبوار", ["Rebwar", "Ribwar"]),
    ("کاروان", ["Karwan"]),
    ("هاوڕێ", ["Hawre", "Hawri"]),
    ("ئازاد", ["Azad"]),
    ("شوان", ["Shwan", "Shawan"]),
    ("دلشاد", ["Dilshad"]),
    ("بەختیار", ["Bakhtiar", "Bakhtiyar"]),
    ("سەردار", ["Sardar"]),
]
FEMALE_KURDISH = [
    ("شیلان", ["Shilan"]),
    ("ئاوات", ["Awat"]),
    ("ڤیان", ["Vian", "Viyan"]),
    ("ژیان", ["Zhian", "Jiyan"]),
    ("نازەنین", ["Nazanin"]),
]
FAMILIES_ARABIC = [
    ("الجبوري", "Al-Juburi"),
    ("الدليمي", "Al-Dulaimi"),
    ("العبيدي", "Al-Obaidi"),
    ("الربيعي", "Al-Rubaie"),
    ("التميمي", "Al-Tamimi"),
    ("الساعدي", "Al-Saadi"),
    ("البياتي", "Al-Bayati"),
    ("الخفاجي", "Al-Khafaji"),
    ("الموسوي", "Al-Musawi"),
    ("الزبيدي", "Al-Zubaidi"),
    ("الشمري", "Al-Shammari"),
    ("الحسيني", "Al-Husseini"),
]
FAMILIES_KURDISH = [
    ("تاڵەبانی", "Talabani"),
    ("بەرزنجی", "Barzinji"),
    ("جاف", "Jaff"),
    ("هەورامی", "Hawrami"),
    ("دزەیی", "Dizayee"),
]

# Where people return to (governorate, district, weight, Kurdish-speaking)
PLACES = [
    ("IQG08", "IQG08Q06", 18, False),
    ("IQG08", "IQG08Q03", 12, False),
    ("IQG15", "IQG15Q05", 14, False),
    ("IQG11", "IQG11Q02", 12, True),
    ("IQG02", "IQG02Q02", 8, False),
    ("IQG09", "IQG09Q02", 6, True),
    ("IQG06", "IQG06Q01", 6, True),
    ("IQG01", "IQG01Q06", 5, False),
    ("IQG13", "IQG13Q03", 4, False),
    ("IQG16", "IQG16Q07", 3, False),
]
ABROAD = [
    ("DE", 20),
    ("SE", 8),
    ("TR", 14),
    ("BY", 5),
    ("LT", 4),
    ("GB", 6),
    ("NL", 5),
    ("FI", 4),
    ("AT", 4),
    ("JO", 6),
    ("LB", 3),
    ("AE", 5),
    ("DK", 3),
    ("BE", 3),
    ("GR", 4),
]


@dataclass(frozen=True)
class DemoPerson:
    record: dict[str, Any]
    phones: list[str]
    documents: list[dict[str, Any]]
    needs: list[dict[str, Any]]
    members: list[dict[str, Any]]
    is_head: bool
    skills: list[dict[str, Any]]


def _weighted(rng: random.Random, items: list[tuple[Any, ...]], index: int) -> tuple[Any, ...]:
    return rng.choices(items, weights=[item[index] for item in items])[0]


def _birth(rng: random.Random, today: date, low: int, high: int) -> date:
    return today - timedelta(days=rng.randint(low * 365, high * 365))


def _phone(rng: random.Random) -> str:
    body = f"7{rng.choice('5789')}{rng.randint(0, 9)}{rng.randint(1000000, 9999999)}"
    return rng.choice(
        [
            f"0{body}",
            f"+964 {body[:3]} {body[3:6]} {body[6:]}",
            f"00964{body}",
            f"0{body[:3]} {body[3:6]} {body[6:]}",
        ]
    )


def generate_people(
    count: int, *, seed: int = 7, today: date | None = None, occupations: list[str] | None = None
) -> Iterator[DemoPerson]:
    rng = random.Random(seed)
    today = today or date.today()
    occupations = occupations or []
    for _ in range(count):
        governorate, district, _w, kurdish = _weighted(rng, PLACES, 2)
        kurdish = kurdish and rng.random() < 0.8
        sex = rng.choice(["male", "male", "male", "female", "female"])
        givens = MALE_KURDISH if kurdish else MALE_ARABIC
        first_pool = (FEMALE_KURDISH if kurdish else FEMALE_ARABIC) if sex == "female" else givens
        given, given_latins = rng.choice(first_pool)
        father, father_latins = rng.choice(givens)
        grandfather, grandfather_latins = rng.choice(givens)
        family, family_latin = rng.choice(FAMILIES_KURDISH if kurdish else FAMILIES_ARABIC)
        mother, _m = rng.choice(FEMALE_KURDISH if kurdish else FEMALE_ARABIC)
        age_band = rng.random()
        born = (
            _birth(rng, today, 6, 17)
            if age_band < 0.12
            else _birth(rng, today, 61, 75)
            if age_band > 0.95
            else _birth(rng, today, 18, 60)
        )
        internal = rng.random() < 0.3
        return_type = (
            "internal_return"
            if internal
            else rng.choice(
                ["assisted_voluntary", "assisted_voluntary", "spontaneous_voluntary", "forced", "evacuated"]
            )
        )
        country = "IQ" if internal else _weighted(rng, ABROAD, 1)[0]
        if return_type == "evacuated":
            country = rng.choice(["BY", "LT"])
        returned = today - timedelta(days=rng.randint(10, 900))
        adult = (today - born).days >= 18 * 365
        education = rng.choice([0, 1, 2, 2, 3, 3, 4, 5, 6, 6, 7]) if adult else rng.choice([1, 2])
        vulnerabilities: list[str] = []
        is_head = adult and (sex == "male" or rng.random() < 0.25)
        if sex == "female" and is_head:
            vulnerabilities.append("female_head_of_household")
        if not adult and rng.random() < 0.15:
            vulnerabilities.append(rng.choice(["unaccompanied_child", "separated_child"]))
        if rng.random() < 0.06:
            vulnerabilities.append("disability")
        if rng.random() < 0.05:
            vulnerabilities.append("chronic_illness")
        record: dict[str, Any] = {
            "given_name": given,
            "father_name": father,
            "grandfather_name": grandfather,
            "great_grandfather_name": "",
            "family_name": family if rng.random() < 0.85 else "",
            "given_name_latin": rng.choice(given_latins) if rng.random() < 0.6 else "",
            "father_name_latin": rng.choice(father_latins) if rng.random() < 0.6 else "",
            "grandfather_name_latin": rng.choice(grandfather_latins) if rng.random() < 0.4 else "",
            "family_name_latin": family_latin if rng.random() < 0.5 else "",
            "known_as": f"ابو {rng.choice(givens)[0]}"
            if sex == "male" and adult and rng.random() < 0.1
            else "",
            "mother_name": mother if rng.random() < 0.85 else "",
            "sex": sex,
            "date_of_birth": born,
            "birth_date_precision": "year" if rng.random() < 0.05 else "exact",
            "place_of_birth": "",
            "country_of_birth": None,
            "country_returned_from": country,
            "return_date": returned,
            "return_type": return_type,
            "assistance_programme": rng.choice(["", "", "ERRIN", "AVRR"])
            if return_type == "assisted_voluntary"
            else "",
            "months_abroad": None if internal else rng.randint(3, 96),
            "status_abroad": ""
            if internal
            else rng.choice(
                ["rejected_asylum_seeker", "asylum_seeker", "irregular", "worker", "student", "refugee"]
            ),
            "times_displaced": rng.randint(1, 3) if internal else rng.choice([0, 0, 0, 1]),
            "migration_reasons": rng.sample(
                ["security", "economic", "family", "education", "persecution"], k=rng.randint(1, 2)
            ),
            "aspirations": "",
            "intends_to_migrate_again": rng.choice(["no", "no", "no", "unsure", "yes"]),
            "governorate": governorate,
            "district": district,
            "sub_district": None,
            "settlement": rng.choice(["urban", "urban", "rural"]),
            "address": "",
            "housing": rng.choice(["rented", "with_relatives", "own_home", "damaged_home", "informal"]),
            "land_property": rng.choice(["none", "owned_intact", "owned_damaged", "sold", "no_documents"]),
            "education_level": education,
            "employment_status": rng.choice(
                [
                    "unemployed_seeking",
                    "unemployed_seeking",
                    "employed",
                    "self_employed",
                    "unemployed_not_seeking",
                ]
            )
            if adult
            else "student",
            "work_experience": "",
            "income_sources": rng.sample(["wages", "remittances", "government", "humanitarian", "none"], k=1),
            "has_debt": (debt := rng.random() < 0.35),
            "debt_amount_usd": rng.randint(500, 12000) if debt else None,
            "sold_assets_to_migrate": not internal and rng.random() < 0.3,
            "health_notes": "",
            "psychosocial_notes": "",
            "vulnerabilities": vulnerabilities,
        }
        documents = [
            {
                "type": "national_card",
                "number": f"{rng.randint(10**11, 10**12 - 1)}",
                "status": rng.choice(["held", "held", "held", "lost", "expired", "other_name"]),
                "name_on_document": "",
            }
        ]
        if not internal and rng.random() < 0.5:
            documents.append(
                {
                    "type": "passport",
                    "number": f"A{rng.randint(10**7, 10**8 - 1)}",
                    "status": rng.choice(["held", "lost", "expired"]),
                    "name_on_document": "",
                }
            )
        needs = [
            {
                "category": c,
                "priority": rng.choice(["high", "medium", "low"]),
                "is_interest": False,
                "description": "",
            }
            for c in rng.sample(
                [
                    "documentation",
                    "employment",
                    "housing",
                    "psychosocial",
                    "vocational_training",
                    "legal",
                    "health",
                    "financial",
                ],
                k=rng.randint(1, 3),
            )
        ]
        members = []
        if is_head:
            if sex == "male" and rng.random() < 0.7:
                members.append(
                    {
                        "name": f"{rng.choice(FEMALE_KURDISH if kurdish else FEMALE_ARABIC)[0]} {family}".strip(),
                        "sex": "female",
                        "date_of_birth": _birth(rng, today, 18, 55),
                        "relationship": "spouse",
                        "is_dependant": False,
                        "schooling": "",
                    }
                )
            for _child in range(rng.randint(0, 4)):
                child_sex = rng.choice(["male", "female"])
                members.append(
                    {
                        "name": f"{rng.choice(givens if child_sex == 'male' else (FEMALE_KURDISH if kurdish else FEMALE_ARABIC))[0]} {given}",
                        "sex": child_sex,
                        "date_of_birth": _birth(rng, today, 0, 17),
                        "relationship": "child",
                        "is_dependant": True,
                        "schooling": rng.choice(
                            ["enrolled", "enrolled", "not_enrolled", "dropped_out", "not_school_age"]
                        ),
                    }
                )
        skills = []
        if adult and occupations and rng.random() < 0.7:
            skills.append(
                {
                    "occupation_id": rng.choice(occupations),
                    "years_experience": rng.randint(0, 20),
                    "acquired_abroad": rng.random() < 0.3,
                }
            )
        yield DemoPerson(
            record, [_phone(rng)] if rng.random() < 0.9 else [], documents, needs, members, is_head, skills
        )


def demo_returnees(count: int, *, seed: int = 7) -> int:
    """Register ``count`` demo returnees through the case worker's action, spread over MoMD's branches."""
    from awda.registry.actions import returnee_register
    from awda.registry.models import Occupation

    branches = {
        o.governorate_id: o
        for o in Office.objects.filter(institution__code="momd").select_related("institution")
    }
    workers = {
        u.office_id: u
        for u in User.objects.filter(
            institution__code="momd", role__in=["case_worker", "supervisor"]
        ).order_by("role")
    }
    fallback_office = next(iter(branches.values()))
    occupations = list(Occupation.objects.filter(level=4).values_list("code", flat=True))
    created = 0
    for person in generate_people(count, seed=seed, occupations=occupations):
        office = branches.get(person.record["governorate"], fallback_office)
        actor = workers.get(office.pk) or workers[fallback_office.pk]
        record = dict(person.record)
        if office.governorate_id != record["governorate"]:
            office = fallback_office
        consents = [
            {"purpose": enums.ConsentPurpose.REGISTRATION, "granted": True, "method": "written"},
            {"purpose": enums.ConsentPurpose.FOLLOW_UP_CONTACT, "granted": True, "method": "written"},
        ]
        skills = [
            {
                "occupation_id": s["occupation_id"],
                "years_experience": s["years_experience"],
                "acquired_abroad": s["acquired_abroad"],
            }
            for s in person.skills
        ]
        returnee_register(
            actor=actor,
            office=office,
            record=_with_ids(record),
            phones=person.phones,
            documents=person.documents,
            needs=person.needs,
            consents=consents,
            household_members=person.members,
            is_head_of_household=person.is_head,
            skills=skills,
        )
        created += 1
    return created


def _with_ids(record: dict[str, Any]) -> dict[str, Any]:
    """Foreign keys by id, as the action's model constructor takes them."""
    result = dict(record)
    for name in ("governorate", "district", "sub_district", "country_returned_from", "country_of_birth"):
        result[f"{name}_id"] = result.pop(name)
    return result


def demo_returnees_bulk(count: int, *, seed: int = 7, batch: int = 2000, progress: Any = None) -> int:
    """Generate ``count`` returnees fast, for benchmarks: the same rows the action writes, inserted in batches.

    Keys and categories are computed exactly as for a real registration; the audit log gets one row
    for the whole generation instead of one per synthetic person.
    """
    import uuid as uuid_module

    from django.db import transaction
    from django.utils import timezone

    from awda.core import audit
    from awda.core.models import AuditAction
    from awda.registry import names, rules
    from awda.registry.actions import _apply_name_keys, index_tokens
    from awda.registry.categorisation import active_categories, facts_from_parts, spec_of
    from awda.registry.models import (
        CaseEvent,
        CaseNumberCounter,
        Consent,
        Household,
        HouseholdMember,
        IdentityDocument,
        NameToken,
        Need,
        Occupation,
        Phone,
        Returnee,
        ReturneeCategory,
        Skill,
    )

    branches = {o.governorate_id: o for o in Office.objects.filter(institution__code="momd")}
    fallback = next(iter(branches.values()))
    workers = {u.office_id: u for u in User.objects.filter(institution__code="momd", role="case_worker")}
    levels = dict(Occupation.objects.filter(level=4).values_list("code", "skill_level"))
    categories = active_categories()
    specs = [spec_of(c) for c in categories]
    by_code = {c.code: c for c in categories}
    today = timezone.localdate()
    now = timezone.now()
    people = generate_people(count, seed=seed, today=today, occupations=sorted(levels))
    ROW_COLUMNS = {
        NameToken: ["returnee_id", "token"],
        Phone: ["created_at", "updated_at", "returnee_id", "number", "label"],
        IdentityDocument: [
            "created_at",
            "updated_at",
            "returnee_id",
            "type",
            "number",
            "number_key",
            "status",
            "name_on_document",
        ],
        Need: [
            "created_at",
            "updated_at",
            "returnee_id",
            "category",
            "priority",
            "urgency",
            "is_interest",
            "description",
        ],
        Consent: [
            "created_at",
            "updated_at",
            "uuid",
            "returnee_id",
            "purpose",
            "granted",
            "shared_with_id",
            "shared_with_type",
            "whole_record",
            "fields",
            "method",
            "recorded_by_id",
            "recorded_at",
            "withdrawn_at",
            "withdrawn_by_id",
            "note",
        ],
        HouseholdMember: [
            "created_at",
            "updated_at",
            "uuid",
            "household_id",
            "returnee_id",
            "name",
            "sex",
            "date_of_birth",
            "relationship",
            "is_head",
            "is_dependant",
            "schooling",
        ],
        Skill: [
            "created_at",
            "updated_at",
            "returnee_id",
            "occupation_id",
            "years_experience",
            "acquired_abroad",
        ],
        ReturneeCategory: ["returnee_id", "category_id", "reasons", "rule_version", "assigned_at"],
        CaseEvent: ["returnee_id", "at", "actor_id", "kind", "version", "data"],
    }
    created = 0
    year = today.year
    while created < count:
        chunk = [next(people) for _ in range(min(batch, count - created))]
        with transaction.atomic():
            counter, _c = CaseNumberCounter.objects.select_for_update().get_or_create(year=year)
            first_number = counter.last + 1
            counter.last += len(chunk)
            counter.save(update_fields=["last"])
            households = [
                Household(
                    pk=pk,
                    uuid=uuid_module.uuid4(),
                    institution_id=fallback.institution_id,
                    created_at=now,
                    updated_at=now,
                )
                for pk in _reserve_ids(Household, len(chunk))
            ]
            _fast_insert(Household, households)
            returnees = []
            returnee_ids = _reserve_ids(Returnee, len(chunk))
            name_keys: dict[int, Any] = {}
            for offset, (person, household) in enumerate(zip(chunk, households, strict=True)):
                record = _with_ids(person.record)
                office = branches.get(record["governorate_id"], fallback)
                owner = workers.get(office.pk) or workers.get(fallback.pk)
                returnee = Returnee(
                    pk=returnee_ids[offset],
                    uuid=uuid_module.uuid4(),
                    case_number=f"AWD-{year}-{first_number + offset:07d}",
                    institution_id=office.institution_id,
                    office=office,
                    owner=owner,
                    household=household,
                    **record,
                )
                returnee.created_at = returnee.updated_at = now
                name_keys[returnee.pk] = _apply_name_keys(returnee)
                returnees.append(returnee)
            _fast_insert(Returnee, returnees)
            rows: dict[Any, list[tuple[Any, ...]]] = {model: [] for model in ROW_COLUMNS}
            for person, returnee in zip(chunk, returnees, strict=True):
                rid, owner_id = returnee.pk, returnee.owner_id
                rows[NameToken] += [(rid, t) for t in sorted(index_tokens(name_keys[rid]))]
                rows[Phone] += [
                    (now, now, rid, n, "")
                    for n in sorted({n for n in (names.normalize_phone(p) for p in person.phones) if n})
                ]
                rows[IdentityDocument] += [
                    (
                        now,
                        now,
                        rid,
                        d["type"],
                        d["number"],
                        names.normalize_document_number(d["number"]),
                        d["status"],
                        "",
                    )
                    for d in person.documents
                ]
                rows[Need] += [
                    (now, now, rid, n["category"], n["priority"], n.get("urgency", "soon"), False, "")
                    for n in person.needs
                ]
                rows[Consent] += [
                    (
                        now,
                        now,
                        uuid_module.uuid4(),
                        rid,
                        purpose,
                        True,
                        None,
                        "",
                        True,
                        [],
                        "written",
                        owner_id,
                        now,
                        None,
                        None,
                        "",
                    )
                    for purpose in ("registration", "follow_up_contact")
                ]
                rows[HouseholdMember].append(
                    (
                        now,
                        now,
                        uuid_module.uuid4(),
                        returnee.household_id,
                        rid,
                        returnee.full_name,
                        returnee.sex,
                        returnee.date_of_birth,
                        "head",
                        person.is_head,
                        False,
                        "",
                    )
                )
                rows[HouseholdMember] += [
                    (
                        now,
                        now,
                        uuid_module.uuid4(),
                        returnee.household_id,
                        None,
                        m["name"],
                        m["sex"],
                        m["date_of_birth"],
                        m["relationship"],
                        False,
                        m["is_dependant"],
                        m["schooling"],
                    )
                    for m in person.members
                ]
                rows[Skill] += [
                    (now, now, rid, s["occupation_id"], s["years_experience"], s["acquired_abroad"])
                    for s in person.skills
                ]
                facts = facts_from_parts(
                    returnee,
                    document_statuses=[(d["type"], d["status"]) for d in person.documents],
                    skill_levels=[levels[s["occupation_id"]] for s in person.skills],
                    qualifications_recognised=[],
                    needs=[n["category"] for n in person.needs],
                    is_head=person.is_head,
                    household_size=1 + len(person.members),
                    dependants=sum(1 for m in person.members if m["is_dependant"]),
                    today=today,
                )
                for result in rules.categorise(specs, facts):
                    category = by_code[result.code]
                    rows[ReturneeCategory].append(
                        (
                            rid,
                            category.pk,
                            _json([dict(r.text) for r in result.reasons]),
                            category.rule_version,
                            now,
                        )
                    )
                rows[CaseEvent].append((rid, now, owner_id, "registered", 1, _json({"demo": True})))
            for model, model_rows in rows.items():
                _copy_rows(model, ROW_COLUMNS[model], model_rows)
        created += len(chunk)
        if progress:
            progress(created)
    audit.record(
        actor=None, action=AuditAction.CREATE, object_type="registry.returnee", object_id=f"demo:{count}"
    )
    return created


def _reserve_ids(model: Any, count: int) -> list[int]:
    """Primary keys for rows inserted with their ids (so that related rows can point at them)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        start = (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        return list(range(start, start + count))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [model._meta.db_table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _fast_insert(model: Any, objects: list[Any]) -> None:
    """PostgreSQL's COPY for large batches (several times faster than INSERT); bulk_create elsewhere."""
    from django.db import connection
    from django.db.models import JSONField
    from django.utils import timezone

    if not objects:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects, batch_size=2000)
        return
    from psycopg.types.json import Jsonb

    now = timezone.now()
    fields = [
        f
        for f in model._meta.concrete_fields
        if not (f.primary_key and getattr(objects[0], f.attname) is None)
    ]
    for obj in objects:
        for name in ("created_at", "updated_at", "assigned_at"):
            if hasattr(obj, name) and getattr(obj, name) is None:
                setattr(obj, name, now)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    json_fields = {f.attname for f in fields if isinstance(f, JSONField)}
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(
            f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
        ) as copy:
            for obj in objects:
                copy.write_row(
                    [
                        Jsonb(getattr(obj, f.attname))
                        if f.attname in json_fields
                        else getattr(obj, f.attname)
                        for f in fields
                    ]
                )


def _json(value: Any) -> Any:
    from django.db import connection

    if connection.vendor == "postgresql":
        from psycopg.types.json import Jsonb

        return Jsonb(value)
    return value


def _copy_rows(model: Any, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """Insert plain rows: COPY on PostgreSQL, model instances through bulk_create elsewhere."""
    from django.db import connection

    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(
            [model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=2000
        )
        return
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    table = connection.ops.quote_name(model._meta.db_table)
    from psycopg.types.json import Jsonb

    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(tuple(Jsonb(v) if isinstance(v, (list, dict)) else v for v in row))


def _generate_share(args: tuple[int, int]) -> int:
    """One worker process's share of a parallel bulk generation (its own database connection)."""
    from django.db import connections

    count, seed = args
    connections.close_all()
    return demo_returnees_bulk(count, seed=seed)


def demo_returnees_parallel(count: int, *, seed: int = 7, workers: int = 2) -> int:
    """Split a bulk generation over processes: building rows is Python work that one core cannot do
    fast enough, while PostgreSQL takes the COPY streams of all of them. Case numbers and keys stay
    unique (a locked counter and sequences). On SQLite it runs in one process."""
    import multiprocessing

    from django.db import connection, connections

    if connection.vendor != "postgresql" or workers < 2:
        return demo_returnees_bulk(count, seed=seed)
    connections.close_all()
    shares = [count // workers + (1 if i < count % workers else 0) for i in range(workers)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return sum(pool.map(_generate_share, [(share, seed + 1000 * i) for i, share in enumerate(shares)]))
