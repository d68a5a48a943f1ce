"""What each role's home page says the role is for (from DESIGN.md's table of users)."""

from django.utils.translation import gettext_lazy as _

from awda.accounts.enums import Role

ROLE_PURPOSE = {
    Role.CASE_WORKER: _(
        "You register returnees, assess their needs, refer them to services, plan their reintegration and follow them up. You see the cases of your institution in your office's area, and cases referred to you."
    ),
    Role.SUPERVISOR: _(
        "You oversee your unit: its cases, the assignment of work, approvals and the unit's reports. You also manage the accounts of your office."
    ),
    Role.SERVICE_PROVIDER: _(
        "You receive referrals addressed to your organisation, with only the information the returnee agreed to share, and record the services delivered and their outcome."
    ),
    Role.EMPLOYER: _(
        "You publish your offers of jobs, internships and training. You see anonymous candidate profiles, and names only after a returnee agrees."
    ),
    Role.ANALYST: _(
        "You see aggregated statistics and indicators, never a personal record. Small numbers are hidden to protect people."
    ),
    Role.COMMITTEE_SECRETARIAT: _(
        "You keep the action plan, the committee's meetings, decisions and action items."
    ),
    Role.DATA_STEWARD: _(
        "You import data from other registries, review possible matches, watch data quality and prepare exports for other ministries under data-sharing agreements."
    ),
    Role.ADMINISTRATOR: _(
        "You run the platform: institutions, offices, user accounts, roles, configuration, and the audit log."
    ),
    Role.RETURNEE: _("You can see your own information and your referrals, and tell us what to correct."),
}
