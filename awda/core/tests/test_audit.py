"""The audit log: rows chained by hashes, `awda audit verify`, and append-only on PostgreSQL."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from awda.core import audit, context
from awda.core.models import AuditAction, AuditEntry


def _write(n: int) -> list[AuditEntry]:
    with context.bound(context.RequestContext("req-1234567890", "10.0.0.7")):
        return [
            audit.record(
                actor=None,
                action=AuditAction.READ,
                object_type="test.thing",
                object_id=str(i),
                fields=["b", "a"],
            )
            for i in range(n)
        ]


def _tamper(sql: str, params: list[str | int]) -> None:
    """Change rows behind the application's back, as someone with database access could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditentry DISABLE TRIGGER awda_audit_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditentry ENABLE TRIGGER awda_audit_append_only")


@pytest.mark.django_db
def test_rows_are_chained_and_carry_the_request_context() -> None:
    entries = _write(3)
    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[0].prev_hash == audit.GENESIS
    assert entries[1].prev_hash == entries[0].hash
    assert entries[2].prev_hash == entries[1].hash
    stored = AuditEntry.objects.get(seq=2)
    assert stored.request_id == "req-1234567890"
    assert stored.ip_address == "10.0.0.7"
    assert stored.changed_fields == ["a", "b"]
    assert audit.compute_hash(stored) == stored.hash


@pytest.mark.django_db
def test_verify_reports_an_intact_chain() -> None:
    _write(4)
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert out.getvalue().strip() == "Audit chain intact: 4 entries verified."
    assert audit.verify() is None


@pytest.mark.django_db
def test_verify_names_an_edited_row() -> None:
    _write(5)
    _tamper("UPDATE core_auditentry SET action = %s WHERE seq = %s", ["delete", 3])
    assert audit.verify() == audit.ChainBreak(seq=3, reason="edited")
    with pytest.raises(
        CommandError,
        match=r"^Audit chain broken at entry #3: its content does not match its hash \(the entry was edited\)\.$",
    ):
        call_command("audit", "verify")


@pytest.mark.django_db
def test_verify_names_a_deleted_row() -> None:
    _write(5)
    _tamper("DELETE FROM core_auditentry WHERE seq = %s", [2])
    assert audit.verify() == audit.ChainBreak(seq=3, reason="gap", expected_seq=2)


@pytest.mark.django_db
def test_verify_names_a_row_whose_content_and_hash_were_both_rewritten() -> None:
    entries = _write(4)
    forged = AuditEntry.objects.get(seq=2)
    forged.object_id = "forged"
    forged.hash = audit.compute_hash(forged)
    _tamper("UPDATE core_auditentry SET object_id = %s, hash = %s WHERE seq = %s", ["forged", forged.hash, 2])
    # Row 2 is self-consistent now, but row 3 still points at the original hash of row 2.
    assert audit.verify() == audit.ChainBreak(seq=3, reason="relinked")
    assert entries[2].prev_hash != forged.hash


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgresql_refuses_to_update_or_delete_audit_rows() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL")
    _write(2)
    original = AuditEntry.objects.get(seq=1)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(seq=1).update(action="delete")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(seq=2).delete()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE core_auditentry SET hash = 'x' WHERE seq = 1")
    assert AuditEntry.objects.count() == 2
    assert AuditEntry.objects.get(seq=1).hash == original.hash
    assert AuditEntry.objects.get(seq=1).action == "read"
    assert audit.verify() is None


@pytest.mark.django_db
def test_many_rows_at_once_extend_the_chain_without_a_break() -> None:
    from awda.accounts.models import Institution

    first = Institution.objects.create(code="a1", type="ngo", name_ar="أ", name_ckb="ئ", name_en="A")
    second = Institution.objects.create(code="a2", type="ngo", name_ar="ب", name_ckb="ب", name_en="B")
    audit.record(actor=None, action=AuditAction.READ, obj=first)
    written = audit.record_many(actor=None, action=AuditAction.READ, objects=[(first, ["x"]), (second, [])])
    audit.record(actor=None, action=AuditAction.READ, obj=second)
    assert written == 2
    rows = list(AuditEntry.objects.order_by("seq").values_list("seq", "object_id", "changed_fields"))
    assert [r[0] for r in rows][-4:] == [rows[-4][0], rows[-4][0] + 1, rows[-4][0] + 2, rows[-4][0] + 3]
    assert rows[-3][1:] == (str(first.uuid), ["x"])
    assert audit.verify() is None
    assert audit.record_many(actor=None, action=AuditAction.READ, objects=[]) == 0
