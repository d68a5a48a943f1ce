"""Choices of the standard case form: stable stored values, translated labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class DatePrecision(models.TextChoices):
    EXACT = "exact", _("Exact date")
    MONTH = "month", _("Month and year only")
    YEAR = "year", _("Year only (approximate)")


class DocumentType(models.TextChoices):
    NATIONAL_CARD = "national_card", _("Unified national card")
    CIVIL_ID = "civil_id", _("Civil status ID")
    NATIONALITY_CERTIFICATE = "nationality_certificate", _("Nationality certificate")
    PASSPORT = "passport", _("Passport")
    RESIDENCE_CARD = "residence_card", _("Residence card")


class DocumentStatus(models.TextChoices):
    HELD = "held", _("Held")
    LOST = "lost", _("Lost")
    EXPIRED = "expired", _("Expired")
    OTHER_NAME = "other_name", _("Issued under another name")


class ReturnType(models.TextChoices):
    ASSISTED_VOLUNTARY = "assisted_voluntary", _("Assisted voluntary return")
    SPONTANEOUS_VOLUNTARY = "spontaneous_voluntary", _("Spontaneous voluntary return")
    FORCED = "forced", _("Forced return or deportation")
    EVACUATED = "evacuated", _("Evacuated by the government")
    INTERNAL_RETURN = "internal_return", _("Internal return of a displaced person")


class StatusAbroad(models.TextChoices):
    REJECTED_ASYLUM_SEEKER = "rejected_asylum_seeker", _("Rejected asylum seeker")
    ASYLUM_SEEKER = "asylum_seeker", _("Asylum seeker")
    REFUGEE = "refugee", _("Refugee")
    IRREGULAR = "irregular", _("Irregular migrant")
    WORKER = "worker", _("Migrant worker")
    STUDENT = "student", _("Student")
    OTHER = "other", _("Other")


class MigrationReason(models.TextChoices):
    SECURITY = "security", _("Insecurity or conflict")
    ECONOMIC = "economic", _("Economic reasons or lack of work")
    FAMILY = "family", _("Joining family")
    EDUCATION = "education", _("Education")
    PERSECUTION = "persecution", _("Persecution or threats")
    HEALTH = "health", _("Health care")
    OTHER = "other", _("Other")


class Intention(models.TextChoices):
    NO = "no", _("No")
    UNSURE = "unsure", _("Not sure")
    YES = "yes", _("Yes")


class Housing(models.TextChoices):
    OWN_HOME = "own_home", _("Own home")
    RENTED = "rented", _("Rented")
    WITH_RELATIVES = "with_relatives", _("With relatives or hosts")
    DAMAGED_HOME = "damaged_home", _("Own home, damaged")
    INFORMAL = "informal", _("Informal settlement or unfinished building")
    CAMP = "camp", _("Camp")
    NONE = "none", _("No shelter")


class LandProperty(models.TextChoices):
    NONE = "none", _("Owns no land or property")
    OWNED_INTACT = "owned_intact", _("Owns property in usable condition")
    OWNED_DAMAGED = "owned_damaged", _("Owns property that is damaged or destroyed")
    OCCUPIED = "occupied", _("Property occupied by others")
    NO_DOCUMENTS = "no_documents", _("Ownership documents lost")
    DISPUTE = "dispute", _("Ownership dispute")
    SOLD = "sold", _("Sold to pay for migration")


class EducationLevel(models.IntegerChoices):
    """ISCED 2011 levels."""

    NONE = 0, _("No schooling or early childhood only")
    PRIMARY = 1, _("Primary")
    LOWER_SECONDARY = 2, _("Lower secondary (intermediate)")
    UPPER_SECONDARY = 3, _("Upper secondary (preparatory)")
    POST_SECONDARY = 4, _("Post-secondary, non-tertiary")
    SHORT_TERTIARY = 5, _("Short-cycle tertiary (technical institute)")
    BACHELOR = 6, _("Bachelor's or equivalent")
    MASTER = 7, _("Master's or equivalent")
    DOCTORATE = 8, _("Doctorate")


class EmploymentStatus(models.TextChoices):
    EMPLOYED = "employed", _("Employed")
    SELF_EMPLOYED = "self_employed", _("Self-employed")
    UNEMPLOYED_SEEKING = "unemployed_seeking", _("Unemployed, looking for work")
    UNEMPLOYED_NOT_SEEKING = "unemployed_not_seeking", _("Unemployed, not looking")
    STUDENT = "student", _("Student")
    UNABLE_TO_WORK = "unable_to_work", _("Unable to work")
    RETIRED = "retired", _("Retired")


class IncomeSource(models.TextChoices):
    WAGES = "wages", _("Wages")
    OWN_BUSINESS = "own_business", _("Own business")
    AGRICULTURE = "agriculture", _("Farming or livestock")
    REMITTANCES = "remittances", _("Money from relatives abroad")
    GOVERNMENT = "government", _("Government assistance or pension")
    HUMANITARIAN = "humanitarian", _("Humanitarian aid")
    NONE = "none", _("No income")


class Vulnerability(models.TextChoices):
    FEMALE_HEAD_OF_HOUSEHOLD = "female_head_of_household", _("Female head of household")
    UNACCOMPANIED_CHILD = "unaccompanied_child", _("Unaccompanied child")
    SEPARATED_CHILD = "separated_child", _("Separated child")
    OLDER_PERSON = "older_person", _("Older person")
    DISABILITY = "disability", _("Person with a disability")
    CHRONIC_ILLNESS = "chronic_illness", _("Chronic illness")
    TRAFFICKING_SURVIVOR = "trafficking_survivor", _("Survivor of trafficking")
    VIOLENCE_SURVIVOR = "violence_survivor", _("Survivor of violence")
    PREGNANT_OR_LACTATING = "pregnant_or_lactating", _("Pregnant or breastfeeding")
    SINGLE_PARENT = "single_parent", _("Single parent")


class NeedCategory(models.TextChoices):
    LEGAL = "legal", _("Legal")
    DOCUMENTATION = "documentation", _("Documentation")
    HOUSING = "housing", _("Housing")
    EMPLOYMENT = "employment", _("Employment")
    VOCATIONAL_TRAINING = "vocational_training", _("Vocational training")
    BUSINESS_STARTUP = "business_startup", _("Business start-up")
    FINANCIAL = "financial", _("Financial")
    HEALTH = "health", _("Health")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial")
    EDUCATION = "education", _("Education")
    SOCIAL = "social", _("Social")


class NeedPriority(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class NeedUrgency(models.TextChoices):
    """How soon a need must be answered, beside how much it matters (its priority)."""

    IMMEDIATE = "immediate", _("Immediate: within days")
    SOON = "soon", _("Soon: within a month")
    ROUTINE = "routine", _("Can wait")


class SharedField(models.TextChoices):
    """The parts of a record a returnee may agree to share with another organisation (e.g. on a referral)."""

    IDENTITY = "identity", _("Name, sex and age")
    CONTACT = "contact", _("Phone numbers and address")
    PLACE = "place", _("Governorate, district and urban or rural")
    RETURN = "return", _("Return: date, type and country")
    NEEDS = "needs", _("Needs")
    DOCUMENTS = "documents", _("Identity documents")
    HOUSEHOLD = "household", _("Household")
    EDUCATION_WORK = "education_work", _("Education, work and skills")
    HEALTH = "health", _("Health and disability notes")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial notes")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")
    TRANSFERRED = "transferred", _("Transferred")


class ClosureReason(models.TextChoices):
    REINTEGRATION_ACHIEVED = (
        "reintegration_achieved",
        _("Reintegration achieved: no longer needs specific assistance"),
    )
    MIGRATED_AGAIN = "migrated_again", _("Migrated again")
    MOVED_AWAY = "moved_away", _("Moved out of the area")
    NO_LONGER_WANTS_SUPPORT = "no_longer_wants_support", _("No longer wants support")
    LOST_CONTACT = "lost_contact", _("Contact lost")
    DECEASED = "deceased", _("Deceased")
    DUPLICATE = "duplicate", _("Duplicate record")


class ConsentPurpose(models.TextChoices):
    REGISTRATION = "registration", _("Registration and case management")
    SHARING_INSTITUTION = "sharing_institution", _("Sharing with a named institution")
    SHARING_INSTITUTION_TYPE = "sharing_institution_type", _("Sharing with a kind of institution")
    FOLLOW_UP_CONTACT = "follow_up_contact", _("Follow-up contact")
    SHARING_EMPLOYERS = "sharing_employers", _("Sharing with employers")


class ConsentMethod(models.TextChoices):
    WRITTEN = "written", _("Signed form")
    VERBAL = "verbal", _("Verbal, witnessed")
    DIGITAL = "digital", _("Given online by the person")


class Relationship(models.TextChoices):
    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Son or daughter")
    PARENT = "parent", _("Father or mother")
    SIBLING = "sibling", _("Brother or sister")
    GRANDCHILD = "grandchild", _("Grandchild")
    OTHER_RELATIVE = "other_relative", _("Other relative")
    NOT_RELATED = "not_related", _("Not related")


class Schooling(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled in school")
    NOT_ENROLLED = "not_enrolled", _("Not enrolled")
    DROPPED_OUT = "dropped_out", _("Dropped out")
    NOT_SCHOOL_AGE = "not_school_age", _("Not of school age")


class CaseEventKind(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    UPDATED = "updated", _("Information updated")
    STATUS_CHANGED = "status_changed", _("Status changed")
    REASSIGNED = "reassigned", _("Case worker changed")
    CONSENT_GIVEN = "consent_given", _("Consent recorded")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
    CATEGORIES_CHANGED = "categories_changed", _("Categories changed")
    HOUSEHOLD_CHANGED = "household_changed", _("Household changed")
    DUPLICATE_DECISION = "duplicate_decision", _("Possible duplicate reviewed")
    NEED_RECORDED = "need_recorded", _("Need recorded")
    MERGED = "merged", _("Merged with a duplicate record")
    MERGE_UNDONE = "merge_undone", _("Merge undone")
    NEEDS_ASSESSED = "needs_assessed", _("Needs assessed")
    REFERRAL = "referral", _("Referral")
    TRANSFERRED = "transferred", _("Case transferred to another institution")
    PLAN = "plan", _("Reintegration plan")
    PLACEMENT = "placement", _("Job placement")


class DuplicateDecisionKind(models.TextChoices):
    NEW_PERSON = "new_person", _("Confirmed as a new person")
    LINKED = "linked", _("Linked to an existing record")
