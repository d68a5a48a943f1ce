"""The returnee record (the standard case form), households, documents, needs, consent, categories, timeline."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from awda.accounts.models import Institution, Office
from awda.core.models import PublicModel, TimeStampedModel, TranslatedNameMixin, localized
from awda.geo.enums import Settlement
from awda.geo.models import Country, District, Governorate, SubDistrict
from awda.registry import enums


class Occupation(TranslatedNameMixin, models.Model):
    """ISCO-08 groups (major to unit), loaded from ``data/isco08.csv``."""

    code = models.CharField(_("ISCO-08 code"), max_length=4, primary_key=True)
    level = models.PositiveSmallIntegerField(_("level"))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    name_ar = models.CharField(_("name (Arabic)"), max_length=255)
    name_ckb = models.CharField(_("name (Kurdish)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255)
    skill_level = models.PositiveSmallIntegerField(_("skill level"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")


class Household(PublicModel):
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return str(self.uuid)


class Returnee(PublicModel):
    """One person's case, on the standard case form used by every institution."""

    # The case
    case_number = models.CharField(_("case number"), max_length=20, unique=True)
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="+", verbose_name=_("institution")
    )
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+", verbose_name=_("office"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("case worker"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=enums.CaseStatus.choices, default=enums.CaseStatus.OPEN
    )
    closure_reason = models.CharField(
        _("closure reason"), max_length=40, choices=enums.ClosureReason.choices, blank=True
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    client_reference = models.UUIDField(null=True, blank=True, editable=False)

    # Identity: the name as Iraqis write it, in Arabic script, with its Latin transliteration
    given_name = models.CharField(_("given name"), max_length=60)
    father_name = models.CharField(_("father's name"), max_length=60)
    grandfather_name = models.CharField(_("grandfather's name"), max_length=60, blank=True)
    great_grandfather_name = models.CharField(_("great-grandfather's name"), max_length=60, blank=True)
    family_name = models.CharField(_("family or tribal name"), max_length=60, blank=True)
    given_name_latin = models.CharField(_("given name (Latin letters)"), max_length=60, blank=True)
    father_name_latin = models.CharField(_("father's name (Latin letters)"), max_length=60, blank=True)
    grandfather_name_latin = models.CharField(
        _("grandfather's name (Latin letters)"), max_length=60, blank=True
    )
    family_name_latin = models.CharField(_("family name (Latin letters)"), max_length=60, blank=True)
    known_as = models.CharField(
        _("known as"),
        max_length=120,
        blank=True,
        help_text=_("The name the person is known by, or the name on their documents, where it differs."),
    )
    mother_name = models.CharField(_("mother's full name"), max_length=120, blank=True)
    sex = models.CharField(_("sex"), max_length=10, choices=enums.Sex.choices)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    birth_date_precision = models.CharField(
        _("date of birth is"),
        max_length=10,
        choices=enums.DatePrecision.choices,
        default=enums.DatePrecision.EXACT,
    )
    place_of_birth = models.CharField(_("place of birth"), max_length=120, blank=True)
    country_of_birth = models.ForeignKey(
        Country,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("country of birth"),
    )

    # Return
    country_returned_from = models.ForeignKey(
        Country,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("country returned from"),
    )
    return_date = models.DateField(_("return date"), null=True, blank=True)
    return_type = models.CharField(_("type of return"), max_length=30, choices=enums.ReturnType.choices)
    assistance_programme = models.CharField(_("assistance programme"), max_length=200, blank=True)
    months_abroad = models.PositiveIntegerField(_("time abroad (months)"), null=True, blank=True)
    status_abroad = models.CharField(
        _("status abroad"), max_length=30, choices=enums.StatusAbroad.choices, blank=True
    )
    times_displaced = models.PositiveSmallIntegerField(_("times displaced"), default=0)
    migration_reasons = models.JSONField(_("reasons for migrating"), default=list, blank=True)
    aspirations = models.TextField(_("aspirations on return"), blank=True)
    intends_to_migrate_again = models.CharField(
        _("intends to migrate again"), max_length=10, choices=enums.Intention.choices, blank=True
    )

    # Situation
    governorate = models.ForeignKey(
        Governorate, on_delete=models.PROTECT, related_name="+", verbose_name=_("governorate")
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    sub_district = models.ForeignKey(
        SubDistrict,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sub-district"),
    )
    settlement = models.CharField(_("urban or rural"), max_length=10, choices=Settlement.choices)
    address = models.CharField(_("address"), max_length=255, blank=True)
    housing = models.CharField(_("housing"), max_length=20, choices=enums.Housing.choices, blank=True)
    land_property = models.CharField(
        _("land and property"), max_length=20, choices=enums.LandProperty.choices, blank=True
    )
    education_level = models.PositiveSmallIntegerField(
        _("education (ISCED level)"), choices=enums.EducationLevel.choices, null=True, blank=True
    )
    employment_status = models.CharField(
        _("employment status"), max_length=30, choices=enums.EmploymentStatus.choices, blank=True
    )
    work_experience = models.TextField(_("work experience"), blank=True)
    income_sources = models.JSONField(_("income sources"), default=list, blank=True)
    has_debt = models.BooleanField(_("has debts"), default=False)
    debt_amount_usd = models.PositiveIntegerField(_("debts (US dollars)"), null=True, blank=True)
    sold_assets_to_migrate = models.BooleanField(_("sold assets to migrate"), default=False)
    health_notes = models.TextField(_("health and disability"), blank=True)
    psychosocial_notes = models.TextField(_("psychosocial concerns"), blank=True)
    vulnerabilities = models.JSONField(_("vulnerabilities"), default=list, blank=True)

    household = models.ForeignKey(
        Household,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="returnees",
        verbose_name=_("household"),
    )
    # Set when a data steward merged this record into another (awda.exchange); such a record is
    # hidden from lists and search and comes back when the merge is undone.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )

    # Search keys, derived from the name by awda.registry.names (never edited by hand)
    given_key = models.CharField(max_length=60, db_index=True, editable=False, default="")
    father_key = models.CharField(max_length=60, editable=False, default="")
    family_key = models.CharField(max_length=60, editable=False, default="")
    full_key = models.CharField(max_length=255, editable=False, default="")
    given_skeleton = models.CharField(max_length=60, editable=False, default="")
    father_skeleton = models.CharField(max_length=60, editable=False, default="")
    grandfather_skeleton = models.CharField(max_length=60, editable=False, default="")
    family_skeleton = models.CharField(max_length=60, editable=False, default="")
    mother_key = models.CharField(max_length=120, editable=False, default="")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("returnee")
        verbose_name_plural = _("returnees")
        indexes = [
            models.Index(
                fields=["given_skeleton", "father_skeleton", "grandfather_skeleton"],
                name="returnee_name_skel_idx",
            ),
            models.Index(fields=["family_skeleton", "given_skeleton"], name="returnee_family_skel_idx"),
            models.Index(fields=["institution", "governorate", "status"], name="returnee_scope_idx"),
            models.Index(fields=["institution", "owner"], name="returnee_owner_idx"),
            models.Index(fields=["institution", "-created_at"], name="returnee_recent_idx"),
            # The lists' order (newest first, then id) read straight from an index, LIMIT 50 stops early.
            models.Index(fields=["-created_at", "-id"], name="returnee_created_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "client_reference"], name="returnee_client_reference_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.case_number

    @property
    def full_name(self) -> str:
        parts = [
            self.given_name,
            self.father_name,
            self.grandfather_name,
            self.great_grandfather_name,
            self.family_name,
        ]
        return " ".join(p for p in parts if p)

    @property
    def full_name_latin(self) -> str:
        parts = [
            self.given_name_latin,
            self.father_name_latin,
            self.grandfather_name_latin,
            self.family_name_latin,
        ]
        return " ".join(p for p in parts if p)


class NameToken(models.Model):
    """A token index over all names of a returnee (parts, known-as, Latin), for search in any script."""

    returnee = models.ForeignKey(Returnee, on_delete=models.CASCADE, related_name="name_tokens")
    token = models.CharField(max_length=60)

    class Meta:
        indexes = [models.Index(fields=["token", "returnee"], name="name_token_idx")]
        constraints = [models.UniqueConstraint(fields=["returnee", "token"], name="name_token_unique")]

    def __str__(self) -> str:
        return self.token


class Phone(TimeStampedModel):
    returnee = models.ForeignKey(Returnee, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(
        _("phone"), max_length=20, db_index=True, help_text=_("Stored in E.164 form, +964…")
    )
    label = models.CharField(_("whose phone"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("phone")
        verbose_name_plural = _("phones")
        constraints = [
            models.UniqueConstraint(fields=["returnee", "number"], name="phone_unique_per_returnee")
        ]

    def __str__(self) -> str:
        return self.number


class IdentityDocument(TimeStampedModel):
    returnee = models.ForeignKey(Returnee, on_delete=models.CASCADE, related_name="documents")
    type = models.CharField(_("document"), max_length=30, choices=enums.DocumentType.choices)
    number = models.CharField(_("number"), max_length=40, blank=True)
    number_key = models.CharField(max_length=40, db_index=True, editable=False, default="")
    status = models.CharField(_("status"), max_length=20, choices=enums.DocumentStatus.choices)
    name_on_document = models.CharField(_("name on the document"), max_length=160, blank=True)

    class Meta:
        verbose_name = _("identity document")
        verbose_name_plural = _("identity documents")

    def __str__(self) -> str:
        return self.get_type_display()


class Qualification(TimeStampedModel):
    returnee = models.ForeignKey(Returnee, on_delete=models.CASCADE, related_name="qualifications")
    title = models.CharField(_("qualification"), max_length=160)
    country = models.ForeignKey(
        Country,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("where obtained"),
    )
    recognised = models.BooleanField(_("recognised in Iraq"), default=False)

    class Meta:
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")

    def __str__(self) -> str:
        return self.title


class Skill(TimeStampedModel):
    """An occupation the person has practised, with experience (ISCO-08)."""

    returnee = models.ForeignKey(Returnee, on_delete=models.CASCADE, related_name="skills")
    occupation = models.ForeignKey(
        Occupation, on_delete=models.PROTECT, related_name="+", verbose_name=_("occupation")
    )
    years_experience = models.PositiveSmallIntegerField(_("years of experience"), default=0)
    acquired_abroad = models.BooleanField(_("acquired abroad"), default=False)

    class Meta:
        verbose_name = _("occupation and skills")
        verbose_name_plural = _("occupations and skills")

    def __str__(self) -> str:
        return self.occupation_id


class Need(TimeStampedModel):
    returnee = models.ForeignKey(Returnee, on_delete=models.CASCADE, related_name="needs")
    category = models.CharField(_("category"), max_length=30, choices=enums.NeedCategory.choices)
    priority = models.CharField(
        _("priority"), max_length=10, choices=enums.NeedPriority.choices, default=enums.NeedPriority.MEDIUM
    )
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=enums.NeedUrgency.choices, default=enums.NeedUrgency.SOON
    )
    is_interest = models.BooleanField(_("an interest rather than a need"), default=False)
    description = models.CharField(_("description"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        constraints = [
            models.UniqueConstraint(
                fields=["returnee", "category", "is_interest"], name="need_unique_category"
            )
        ]

    def __str__(self) -> str:
        return self.category


class HouseholdMember(TimeStampedModel):
    """A member of a household; a member who is a returnee with a record of their own links to it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    returnee = models.OneToOneField(
        Returnee, null=True, blank=True, on_delete=models.SET_NULL, related_name="household_membership"
    )
    name = models.CharField(_("name"), max_length=160, blank=True)
    sex = models.CharField(_("sex"), max_length=10, choices=enums.Sex.choices, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    relationship = models.CharField(
        _("relationship to the head"), max_length=20, choices=enums.Relationship.choices
    )
    is_head = models.BooleanField(_("head of household"), default=False)
    is_dependant = models.BooleanField(_("dependant"), default=False)
    schooling = models.CharField(_("schooling"), max_length=20, choices=enums.Schooling.choices, blank=True)

    class Meta:
        ordering = ["-is_head", "date_of_birth"]
        verbose_name = _("household member")
        verbose_name_plural = _("household members")

    def __str__(self) -> str:
        return self.name


class Consent(TimeStampedModel):
    """One consent for one purpose, recorded with who, when and how; withdrawable."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    returnee = models.ForeignKey(Returnee, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=30, choices=enums.ConsentPurpose.choices)
    granted = models.BooleanField(_("agreed"))
    shared_with = models.ForeignKey(
        Institution,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("institution"),
    )
    shared_with_type = models.CharField(_("kind of institution"), max_length=40, blank=True)
    # A sharing consent covers the whole case file, or only the parts named in ``fields``
    # (``enums.SharedField``): a referral to an NGO typically shares name, contact and needs only.
    whole_record = models.BooleanField(_("the whole case file"), default=True)
    fields = models.JSONField(_("parts shared"), default=list, blank=True)
    method = models.CharField(_("how it was given"), max_length=20, choices=enums.ConsentMethod.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"))
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["purpose", "-recorded_at"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [models.Index(fields=["purpose", "shared_with", "granted"], name="consent_sharing_idx")]

    def __str__(self) -> str:
        return self.purpose

    @property
    def is_active(self) -> bool:
        return self.granted and self.withdrawn_at is None

    @property
    def parts_display(self) -> str:
        """The parts a sharing consent covers, in the reader's language ("" for the whole case file)."""
        if self.whole_record:
            return ""
        labels = dict(enums.SharedField.choices)
        return gettext(", ").join(str(labels.get(f, f)) for f in self.fields)


class Category(TranslatedNameMixin, TimeStampedModel):
    """A category or vulnerability flag, derived by its rule (a condition stored as data)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=[("category", _("Category")), ("vulnerability", _("Vulnerability"))]
    )
    name_ar = models.CharField(_("name (Arabic)"), max_length=120)
    name_ckb = models.CharField(_("name (Kurdish)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    description_ar = models.TextField(_("description (Arabic)"), blank=True)
    description_ckb = models.TextField(_("description (Kurdish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    condition = models.JSONField(_("rule"))
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(default=0)
    rule_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    @property
    def description(self) -> str:
        return localized(self, "description")


class ReturneeCategory(models.Model):
    returnee = models.ForeignKey(Returnee, on_delete=models.CASCADE, related_name="categories")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    reasons = models.JSONField(default=list)
    rule_version = models.PositiveIntegerField(default=1)
    assigned_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["returnee", "category"], name="returnee_category_unique")
        ]
        indexes = [models.Index(fields=["category", "returnee"], name="returnee_category_idx")]

    def __str__(self) -> str:
        return f"{self.returnee_id}:{self.category_id}"


class CaseEvent(models.Model):
    """The case's timeline: everything that happened to it, with who and when."""

    returnee = models.ForeignKey(Returnee, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=30, choices=enums.CaseEventKind.choices)
    version = models.PositiveIntegerField(default=0)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["returnee", "-at"], name="case_event_timeline_idx")]

    def __str__(self) -> str:
        return self.kind


class DuplicateDecision(TimeStampedModel):
    """What a worker decided about a likely existing record shown at intake."""

    returnee = models.ForeignKey(Returnee, on_delete=models.CASCADE, related_name="duplicate_decisions")
    candidate = models.ForeignKey(Returnee, on_delete=models.CASCADE, related_name="+")
    decision = models.CharField(max_length=20, choices=enums.DuplicateDecisionKind.choices)
    score = models.FloatField(default=0)
    reasons = models.JSONField(default=list)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return self.decision


class IntakeDraft(PublicModel):
    """A registration in progress, saved step by step so that nothing is lost on a slow connection."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(default=dict)
    step = models.PositiveSmallIntegerField(default=1)
    returnee = models.ForeignKey(Returnee, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return str(self.uuid)


class CaseNumberCounter(models.Model):
    """The last case number given in a year; case numbers are unique across institutions."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}:{self.last}"


class FormDefinition(PublicModel):
    """One version of an institution's extra questions. Published versions never change; answers keep theirs."""

    STATUS_CHOICES = [("draft", _("Draft")), ("published", _("Published")), ("retired", _("Retired"))]

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="+", verbose_name=_("institution")
    )
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=10, choices=STATUS_CHOICES, default="draft")
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["institution", "-version"]
        constraints = [models.UniqueConstraint(fields=["institution", "version"], name="form_version_unique")]

    def __str__(self) -> str:
        return f"{self.institution_id} v{self.version}"


class FormQuestion(TranslatedNameMixin, TimeStampedModel):
    TYPE_CHOICES = [
        ("text", _("Text")),
        ("integer", _("Whole number")),
        ("decimal", _("Number")),
        ("date", _("Date")),
        ("select_one", _("One choice")),
        ("select_multiple", _("Several choices")),
        ("yes_no", _("Yes or no")),
    ]

    form = models.ForeignKey(FormDefinition, on_delete=models.CASCADE, related_name="questions")
    code = models.SlugField(_("code"), max_length=40)
    type = models.CharField(_("type"), max_length=20, choices=TYPE_CHOICES)
    name_ar = models.CharField(_("question (Arabic)"), max_length=255)
    name_ckb = models.CharField(_("question (Kurdish)"), max_length=255)
    name_en = models.CharField(_("question (English)"), max_length=255)
    required = models.BooleanField(_("required"), default=False)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    min_value = models.FloatField(_("minimum"), null=True, blank=True)
    max_value = models.FloatField(_("maximum"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["form", "code"], name="form_question_code_unique")]

    def as_spec(self) -> dict[str, object]:
        return {
            "code": self.code,
            "type": self.type,
            "required": self.required,
            "choices": self.choices,
            "min_value": self.min_value,
            "max_value": self.max_value,
            "label_ar": self.name_ar,
            "label_ckb": self.name_ckb,
            "label_en": self.name_en,
        }


class ExtraAnswers(TimeStampedModel):
    """A returnee's answers to one version of their institution's extra questions."""

    returnee = models.ForeignKey(Returnee, on_delete=models.CASCADE, related_name="extra_answers")
    form = models.ForeignKey(FormDefinition, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(default=dict)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["returnee", "form"], name="extra_answers_unique")]

    def __str__(self) -> str:
        return f"{self.returnee_id}:{self.form_id}"
