"""(being written) Plan pages."""

from awda.referrals.views.referrals import _todo

plan_create = approvals = plan_page = plan_print = plan_step = _todo
