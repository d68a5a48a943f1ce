"""(being written) Case pages of referrals."""

from awda.referrals.views.referrals import _todo

needs_assessment = refer = transfer = proposal_decide = _todo
