"""Demo data of data exchange: a MoLSA unemployed register imported, linked and partly waiting for review."""

from __future__ import annotations

import csv
import io
import random

from awda.accounts.models import Institution, User
from awda.exchange import actions, enums
from awda.exchange.models import ImportBatch, Source
from awda.registry.models import Returnee
from awda.registry.names import transliterate

_MOLSA_GOVERNORATES = {
    "IQG08": ["Baghdad", "بغداد", "IQG08"],
    "IQG11": ["Erbil", "Arbil", "أربيل", "هەولێر"],
    "IQG02": ["Basra", "Basrah", "البصرة"],
}
_OTHERS = [
    ("Hassan Jabbar Kadhim", "1988-02-11", "M"),
    ("Rusul Abbas Ali", "1995-09-30", "F"),
    ("حيدر ناصر حسين", "1979-07-01", "M"),
    ("Shilan Karwan Aziz", "2001-01-01", "F"),
    ("مصطفى عادل كريم", "1992-12-12", "M"),
]


_SPARSE_EVERY = 12
"""Every so many rows of the demo MoLSA file carry only a person's three names, in Latin letters."""


def _phone_as_molsa_writes_it(e164: str, rng: random.Random) -> str:
    national = "0" + e164.removeprefix("+964")
    return rng.choice([national, f"{national[:4]} {national[4:7]} {national[7:]}", e164])


def molsa_register_csv(returnees: list[Returnee], *, seed: int = 11) -> bytes:
    """A register as MoLSA would send it: some of the returnees, spelt its own way, and other people."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "رقم التسجيل",
            "الاسم الكامل",
            "تاريخ الميلاد",
            "الجنس",
            "المحافظة",
            "الهاتف",
            "الحالة",
            "تاريخ التسجيل",
        ]
    )
    for number, returnee in enumerate(returnees, start=1):
        parts = [returnee.given_name, returnee.father_name, returnee.grandfather_name, returnee.family_name]
        name = " ".join(p for p in parts if p)
        if rng.random() < 0.5:
            name = transliterate(name).title()
        born = returnee.date_of_birth
        dob = ""
        if born is not None:
            dob = rng.choice([born.isoformat(), born.strftime("%d/%m/%Y"), str(born.year)])
        phone = returnee.phones.values_list("number", flat=True).first() or ""
        place = rng.choice(
            _MOLSA_GOVERNORATES.get(returnee.governorate_id or "", [returnee.governorate_id or ""])
        )
        if number % _SPARSE_EVERY == 0:
            # A row as a branch office fills it in a hurry: the three names in Latin letters and
            # nothing else, so the engine cannot be sure and the pair waits for a data steward.
            name = transliterate(" ".join(p for p in parts[:3] if p)).title()
            dob, phone, place = "", "", ""
        status = rng.choice(["باحث عن عمل", "باحث عن عمل", "متدرب", "تم توظيفه"])
        writer.writerow(
            [
                f"LSA-{number:05d}",
                name,
                dob,
                "ذكر" if returnee.sex == "male" else "انثى",
                place,
                _phone_as_molsa_writes_it(phone, rng) if phone else "",
                status,
                f"2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d}",
            ]
        )
    for offset, (name, dob, sex) in enumerate(_OTHERS, start=len(returnees) + 1):
        writer.writerow([f"LSA-{offset:05d}", name, dob, sex, "Baghdad", "", "باحث عن عمل", "2026-05-01"])
    return out.getvalue().encode("utf-8-sig")


def demo_exchange(*, link: bool = True) -> str:
    """Create the demo source, import its file and link it with the registry (once)."""
    steward = User.objects.filter(username="steward").first()
    molsa = Institution.objects.filter(code="molsa").first()
    if steward is None or molsa is None or steward.institution_id is None:
        return "no demo steward"
    if Source.objects.filter(
        institution_id=steward.institution_id, name_en="MoLSA unemployed register"
    ).exists():
        return "already there"
    returnees = list(
        Returnee.objects.filter(institution_id=steward.institution_id, merged_into__isnull=True).order_by(
            "pk"
        )[:400]
    )
    chosen = [r for i, r in enumerate(returnees) if i % 3 == 0]
    source = actions.source_create(
        actor=steward,
        held_by=molsa,
        name_ar="سجل العاطلين عن العمل في وزارة العمل",
        name_ckb="تۆماری بێکارانی وەزارەتی کار",
        name_en="MoLSA unemployed register",
        kind=enums.SourceKind.UNEMPLOYED_REGISTER,
        status_label_ar="مسجل كباحث عن عمل في وزارة العمل",
        status_label_ckb="وەک کارگەڕ لە وەزارەتی کار تۆمارکراوە",
        status_label_en="Registered as a job seeker at MoLSA",
    )
    actions.source_set_mapping(
        actor=steward,
        source=source,
        mapping={
            "record_id": "رقم التسجيل",
            "full_name": "الاسم الكامل",
            "date_of_birth": "تاريخ الميلاد",
            "sex": "الجنس",
            "governorate": "المحافظة",
            "phone": "الهاتف",
            "status": "الحالة",
            "status_date": "تاريخ التسجيل",
        },
        sync_fields=["status", "status_date"],
    )
    batch = actions.batch_upload(
        actor=steward,
        source=source,
        file_name="molsa-register-2026-10.csv",
        chunks=[molsa_register_csv(chosen)],
    )
    batch = actions.batch_validate(batch=batch)
    actions.batch_commit_request(actor=steward, batch=batch, skip_invalid_rows=True)
    batch = actions.batch_commit(batch=ImportBatch.objects.get(pk=batch.pk))
    summary = f"{batch.rows_new} records of the MoLSA register imported"
    if link:
        run = actions.link_run_execute(
            run=actions.link_run_create(actor=steward, kind=enums.RunKind.SOURCE_TO_REGISTRY, source=source)
        )
        summary += f"; {run.linked} linked to returnees, {run.for_review} pairs for review"
    return summary
