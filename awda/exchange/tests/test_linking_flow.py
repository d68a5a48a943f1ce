"""A source linked with the registry, the review queue, merges and their undo, the case page's cross-reference."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from awda.accounts.enums import Role
from awda.accounts.models import User
from awda.core.errors import AwdaError, Conflict
from awda.core.models import AuditEntry
from awda.exchange import actions, enums
from awda.exchange.models import CandidatePair, ExternalRecord, ImportBatch, LinkRun, Merge, Source
from awda.registry.models import CaseEvent, Returnee
from awda.registry.queries import returnees_visible_to
from conftest import verified_api_client, verified_client

MOLSA_FILE = (
    "id,name,dob,sex,governorate,phone,status,since\n"
    "M-1,Zainab Hussein Ali Al-Juburi,1990-03-14,F,Baghdad,0770 123 4567,Registered unemployed,2026-07-01\n"
    "M-2,Karrar Abbas Fadhil,1999-12-31,M,Erbil,,Registered unemployed,2026-09-01\n"
)
MAPPING = {
    "record_id": "id",
    "full_name": "name",
    "date_of_birth": "dob",
    "sex": "sex",
    "governorate": "governorate",
    "phone": "phone",
    "status": "status",
    "status_date": "since",
}


@pytest.fixture
def steward(make_user: Callable[..., User], settings: Any, tmp_path: Path) -> User:
    settings.DATA_DIR = tmp_path
    return make_user(Role.DATA_STEWARD, "momd_baghdad", "steward")


@pytest.fixture
def molsa(steward: User, world: dict[str, Any]) -> Source:
    source = actions.source_create(
        actor=steward,
        held_by=world["molsa"],
        name_ar="سجل العاطلين في وزارة العمل",
        name_ckb="تۆماری بێکارانی وەزارەتی کار",
        name_en="MoLSA unemployed register",
        kind=enums.SourceKind.UNEMPLOYED_REGISTER,
        status_label_en="Registered as unemployed at MoLSA",
    )
    actions.source_set_mapping(
        actor=steward, source=source, mapping=MAPPING, sync_fields=["status", "status_date"]
    )
    batch = actions.batch_validate(
        batch=actions.batch_upload(
            actor=steward, source=source, file_name="molsa.csv", chunks=[MOLSA_FILE.encode()]
        )
    )
    actions.batch_commit_request(actor=steward, batch=batch, skip_invalid_rows=False)
    actions.batch_commit(batch=ImportBatch.objects.get(pk=batch.pk))
    return Source.objects.get(pk=source.pk)


def test_a_source_record_is_linked_and_shown_on_the_case_page(
    steward: User, molsa: Source, register: Callable[..., Returnee], make_user: Callable[..., User]
) -> None:
    zainab = register()
    other = register(
        record={"given_name": "مريم", "father_name": "كريم", "date_of_birth": date(1970, 5, 5)}, phones=[]
    )

    run = actions.link_run_create(actor=steward, kind=enums.RunKind.SOURCE_TO_REGISTRY, source=molsa)
    run = actions.link_run_execute(run=run)

    assert (run.status, run.left_count, run.right_count) == ("finished", 2, 2)
    linked = CandidatePair.objects.filter(status=enums.PairStatus.LINKED)
    assert [(p.record.external_id, p.returnee_id) for p in linked] == [("M-1", zainab.pk)]
    assert not CandidatePair.objects.filter(returnee=other).exclude(status=enums.PairStatus.PENDING).exists()
    explanation = {item["comparison"]: item for item in linked[0].explanation}
    assert {"given", "lineage", "dob", "sex", "governorate", "phone"} <= set(explanation)
    assert explanation["dob"]["level_label"] == "same date" and explanation["dob"]["match_weight"] > 0

    worker = make_user(Role.CASE_WORKER, "momd_baghdad", "worker")
    page = verified_client(worker).get(reverse("registry:case", args=[zainab.uuid])).content.decode()
    assert "MoLSA unemployed register" in page
    assert "Registered as unemployed at MoLSA" in page
    assert "Registered unemployed" in page and "M-1" in page
    record = ExternalRecord.objects.get(external_id="M-1")
    assert AuditEntry.objects.filter(actor_id=worker.pk, object_id=str(record.uuid), action="read").exists()

    other_page = verified_client(worker).get(reverse("registry:case", args=[other.uuid])).content.decode()
    assert "cross-reference" not in other_page

    # The pair page shows the source's values as it wrote them, and how Awda read a code.
    assert (record.values["governorate"], record.values["sex"]) == ("IQG08", "female")
    pair_page = verified_client(steward).get(reverse("exchange:pair", args=[linked[0].uuid])).content.decode()
    assert '<bdi>IQG08</bdi> <span class="help">(read as <bdi>Baghdad</bdi>)</span>' in pair_page
    assert "<bdi>female</bdi><br>" in pair_page  # "Female" says nothing more


def test_a_second_run_does_not_ask_again_about_decided_pairs(
    steward: User, molsa: Source, register: Callable[..., Returnee]
) -> None:
    register()
    actions.link_run_execute(run=actions.link_run_create(actor=steward, kind="source", source=molsa))
    pair = CandidatePair.objects.get(status=enums.PairStatus.LINKED)
    actions.pair_decide(actor=steward, pair=pair, same=False, note="another Zainab")

    second = actions.link_run_execute(run=actions.link_run_create(actor=steward, kind="source", source=molsa))

    assert (second.linked, second.for_review) == (0, 0)
    assert list(CandidatePair.objects.values_list("status", flat=True)) == ["different"]


def test_only_one_run_at_a_time_and_thresholds_are_checked(steward: User, molsa: Source) -> None:
    with pytest.raises(AwdaError):
        actions.link_run_create(
            actor=steward, kind="source", source=molsa, match_threshold=0.5, review_threshold=0.8
        )
    actions.link_run_create(actor=steward, kind="source", source=molsa)
    with pytest.raises(Conflict):
        actions.link_run_create(actor=steward, kind="duplicates")
    assert LinkRun.objects.count() == 1


@pytest.fixture
def duplicate_pair(steward: User, register: Callable[..., Returnee]) -> CandidatePair:
    register()
    register(
        record={"mother_name": "", "place_of_birth": "", "address": "حي الجهاد"}, phones=["0770 123 4567"]
    )
    run = actions.link_run_execute(run=actions.link_run_create(actor=steward, kind="duplicates"))
    assert (run.linked, run.for_review) == (0, 1)
    return CandidatePair.objects.get()


def test_merge_fills_the_gaps_hides_the_other_and_undo_restores_both(
    steward: User, duplicate_pair: CandidatePair
) -> None:
    first, second = duplicate_pair.returnee, duplicate_pair.other_returnee
    assert second is not None
    survivor = Returnee.objects.get(pk=second.pk)
    version = survivor.version

    merge = actions.returnees_merge(actor=steward, pair=duplicate_pair, survivor_uuid=str(survivor.uuid))

    survivor.refresh_from_db()
    assert survivor.mother_name == "فاطمة كاظم" and survivor.place_of_birth == "بغداد"
    assert survivor.address == "حي الجهاد"  # its own value is kept
    assert merge.filled == {"mother_name": "", "place_of_birth": ""}
    assert merge.merged_values["case_number"] == first.case_number
    assert merge.merged_values["values"]["phones"] == ["+9647701234567"]
    assert Returnee.objects.get(pk=first.pk).merged_into_id == survivor.pk
    assert not returnees_visible_to(steward).filter(pk=first.pk).exists()
    assert CandidatePair.objects.get(pk=duplicate_pair.pk).status == "merged"
    assert CaseEvent.objects.filter(returnee=first, kind="merged").count() == 1
    client = verified_client(steward)
    response = client.get(reverse("registry:case", args=[first.uuid]))
    assert response.status_code == 302 and str(survivor.uuid) in response["Location"]

    actions.merge_undo(actor=steward, merge=merge)

    survivor.refresh_from_db()
    assert (survivor.mother_name, survivor.place_of_birth) == ("", "")
    assert survivor.version == version + 2
    assert Returnee.objects.get(pk=first.pk).merged_into_id is None
    assert returnees_visible_to(steward).filter(pk=first.pk).exists()
    assert CandidatePair.objects.get(pk=duplicate_pair.pk).status == "pending"
    with pytest.raises(Conflict):
        actions.merge_undo(actor=steward, merge=Merge.objects.get(pk=merge.pk))


def test_merge_refuses_a_survivor_outside_the_pair_and_leaves_everything(
    steward: User, duplicate_pair: CandidatePair, register: Callable[..., Returnee]
) -> None:
    stranger = register(record={"given_name": "سلمان"})
    with pytest.raises(AwdaError):
        actions.returnees_merge(actor=steward, pair=duplicate_pair, survivor_uuid=str(stranger.uuid))
    assert not Merge.objects.exists()
    assert not Returnee.objects.filter(merged_into__isnull=False).exists()
    assert CandidatePair.objects.get().status == "pending"


def test_review_pages_show_the_pair_with_weights_and_record_the_decision(
    steward: User, duplicate_pair: CandidatePair, make_user: Callable[..., User]
) -> None:
    client = verified_client(steward)
    queue = client.get(reverse("exchange:review")).content.decode()
    assert duplicate_pair.returnee.case_number in queue
    page = client.get(reverse("exchange:pair", args=[duplicate_pair.uuid])).content.decode()
    assert "Date of birth" in page and "same date" in page
    assert AuditEntry.objects.filter(
        actor_id=steward.pk, object_id=str(duplicate_pair.returnee.uuid)
    ).exists()

    response = client.post(
        reverse("exchange:pair_decide", args=[duplicate_pair.uuid]), {"decision": "different"}
    )

    assert response.status_code == 302
    decided = CandidatePair.objects.get()
    assert (decided.status, decided.decided_by_id) == ("different", steward.pk)
    worker = make_user(Role.CASE_WORKER, "momd_baghdad", "worker")
    assert (
        verified_client(worker).get(reverse("exchange:pair", args=[duplicate_pair.uuid])).status_code == 404
    )
    other = make_user(Role.DATA_STEWARD, "molsa_baghdad", "molsa.steward")
    assert verified_client(other).get(reverse("exchange:pair", args=[duplicate_pair.uuid])).status_code == 404


def test_the_import_pages_take_a_file_from_upload_to_commit(
    steward: User, world: dict[str, Any], run_worker: Callable[[], None]
) -> None:
    client = verified_client(steward)
    response = client.post(
        reverse("exchange:sources"),
        {
            "name_ar": "قائمة ما قبل الوصول",
            "name_ckb": "لیستی پێش گەیشتن",
            "name_en": "MoFA pre-arrival list",
            "held_by": str(world["molsa"].uuid),
            "kind": "pre_arrival",
        },
    )
    source = Source.objects.get()
    assert response["Location"] == reverse("exchange:source", args=[source.uuid])
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("mofa.csv", MOLSA_FILE.encode("utf-16"), content_type="text/csv")
    response = client.post(reverse("exchange:batch_upload", args=[source.uuid]), {"file": upload})
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("exchange:batch_mapping", args=[batch.uuid])
    mapping_page = client.get(response["Location"]).content.decode()
    assert '<option value="dob" selected>' in mapping_page  # suggested from the usual names

    response = client.post(response["Location"], {**MAPPING, "sync_fields": ["status"]})
    assert response.status_code == 302
    run_worker()
    batch.refresh_from_db()
    assert (batch.status, batch.rows_total, batch.rows_valid) == ("validated", 2, 2)
    assert "Karrar Abbas Fadhil" in client.get(reverse("exchange:batch", args=[batch.uuid])).content.decode()

    client.post(reverse("exchange:batch_commit", args=[batch.uuid]))
    run_worker()
    batch.refresh_from_db()
    assert (batch.status, batch.rows_new) == ("committed", 2)
    assert sorted(ExternalRecord.objects.values_list("external_id", flat=True)) == ["M-1", "M-2"]


def test_records_pushed_through_the_api_are_all_imported_or_none(steward: User, molsa: Source) -> None:
    client = verified_api_client(steward)
    url = reverse("api:exchange_records_push", args=[molsa.uuid])
    bad = {
        "records": [
            {"record_id": "K-1", "full_name": "Ali"},
            {"record_id": "K-2", "full_name": "Omar", "sex": "x"},
        ]
    }

    response = client.post(url, bad, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "1.sex": [{"code": "invalid", "message": "Write the sex as male or female (M/F, ذكر/انثى)."}]
    }
    assert not ExternalRecord.objects.filter(external_id__startswith="K-").exists()

    good = {
        "records": [
            {"record_id": "K-1", "full_name": "Ali Hassan", "date_of_birth": "01/07/1980", "status": "x"}
        ]
    }
    response = client.post(url, good, format="json")
    assert response.status_code == 201
    assert response.json()["rows_new"] == 1
    assert ExternalRecord.objects.get(external_id="K-1").values == {
        "full_name": "Ali Hassan",
        "date_of_birth": "1980-07-01",
        "status": "x",
    }
    assert client.post(url, good, format="json").status_code == 409
