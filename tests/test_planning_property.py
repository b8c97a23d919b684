"""Properties of planning under random use: risks rated and moved at random keep their
ratings, levels, history and trail consistent; KPI figures never collide."""

from __future__ import annotations

import datetime
import itertools
from collections import Counter
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from hoshin.core import roles, tally, trail
from hoshin.core.actor import acting_as
from hoshin.core.models import Action, TrailAction, TrailEvent, User
from hoshin.core.workflow import TransitionError
from hoshin.planning import periods
from hoshin.planning.models import Kpi, Measurement, Risk, RiskScale
from hoshin.planning.workflow import RISK_WORKFLOW
from tests.conftest import PASSWORD, make_user

_names = itertools.count()
# What the random runs did, over all runs: each kind must happen, or the test proves nothing.
OUTCOMES: Counter[str] = Counter()
RATING = st.one_of(st.none(), st.integers(min_value=-1, max_value=7))


class RiskLife(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        n = next(_names)
        self.owner = make_user(f"risk-owner-{n}", roles.PROCESS_OWNER)
        self.quality = make_user(f"risk-quality-{n}", roles.QUALITY_MANAGER)
        self.employee = make_user(f"risk-employee-{n}", roles.EMPLOYEE)
        self.risk: Risk | None = None
        self.accepted = 0

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    @initialize()
    def identify(self) -> None:
        with acting_as(self.owner):
            self.risk = Risk(
                title="Key supplier", description="One source.", source="process", owner=self.owner
            )
            self.risk.save()

    @rule(li=RATING, im=RATING, residual=st.booleans())
    def rate(self, li: int | None, im: int | None, residual: bool) -> None:
        risk = self.risk
        assert risk is not None
        risk.refresh_from_db()
        prefix = "residual" if residual else "inherent"
        setattr(risk, f"{prefix}_likelihood", li)
        setattr(risk, f"{prefix}_impact", im)
        valid = (li is None) == (im is None) and all(v is None or 1 <= v <= 5 for v in (li, im))
        try:
            risk.full_clean(exclude=["reference", "status"])
        except ValidationError as exc:
            assert not valid, exc.message_dict
            # Refused on the very fields rated, and only on them.
            assert set(exc.message_dict) <= {f"{prefix}_likelihood", f"{prefix}_impact"}
            assert exc.message_dict, "a refusal names its field"
            OUTCOMES["refused"] += 1
            return
        assert valid
        with acting_as(self.owner):
            risk.save()
        OUTCOMES["saved"] += 1

    @rule(
        name=st.sampled_from([t.name for t in RISK_WORKFLOW.transitions]),
        who=st.sampled_from(["owner", "quality", "employee"]),
        comment=st.sampled_from(["", "Changed"]),
    )
    def move(self, name: str, who: str, comment: str) -> None:
        risk = self.risk
        assert risk is not None
        risk.refresh_from_db()
        user = getattr(self, who)
        with acting_as(user):
            if name == "plan_treatment" and not risk.actions().exists():
                risk.treatment, risk.treatment_plan = "reduce", "Second source."
                risk.save()
                action = Action(
                    description="Qualify B",
                    owner=user,
                    due_date=timezone.localdate(),
                    kind="treatment",
                )
                action.link_to(risk)
                action.save()
            if name == "treat":
                for action in risk.actions():
                    action.status, action.evidence = "done", "Report"
                    action.completed_on = timezone.localdate()
                    action.save()
            if name == "review":
                risk.refresh_from_db()
                risk.effectiveness, risk.effectiveness_notes = "effective", "Works."
                if risk.residual_likelihood is None:
                    risk.residual_likelihood, risk.residual_impact = 1, 2
                risk.save()
        risk.refresh_from_db()
        before = risk.status
        try:
            RISK_WORKFLOW.perform(risk, name, user, comment=comment, password=PASSWORD)
        except TransitionError as exc:
            assert exc.status in (400, 403, 409)
            assert exc.problems, "a refusal says why"
            risk.refresh_from_db()
            assert risk.status == before
            OUTCOMES["denied"] += 1
            return
        self.accepted += 1
        OUTCOMES["accepted"] += 1
        risk.refresh_from_db()
        assert risk.status == RISK_WORKFLOW.transition(name).target

    @invariant()
    def the_tallies_agree_with_a_recount(self) -> None:
        # The home page's figures, kept current by every save, never drift.
        assert tally.mismatches() == []

    @invariant()
    def ratings_and_levels_follow_the_matrix(self) -> None:
        if self.risk is None:
            return
        risk = Risk.objects.get(pk=self.risk.pk)
        scale = RiskScale.current()
        for prefix in ("inherent", "residual"):
            li, im = getattr(risk, f"{prefix}_likelihood"), getattr(risk, f"{prefix}_impact")
            rating = getattr(risk, f"{prefix}_rating")
            assert rating == (li * im if li and im else None)
            assert getattr(risk, f"{prefix}_level") == scale.level(rating)
        last = risk.assessments.order_by("at", "id").last()
        if risk.inherent_rating or risk.residual_rating:
            assert last is not None
            assert (last.inherent_rating, last.residual_rating) == (
                risk.inherent_rating,
                risk.residual_rating,
            )

    @invariant()
    def the_trail_is_whole(self) -> None:
        _checked, problem = trail.verify()
        assert problem is None, str(problem)
        if self.risk is not None:
            transitions = TrailEvent.objects.filter(
                reference=self.risk.reference, action=TrailAction.TRANSITION
            )
            assert transitions.count() == self.accepted


@pytest.mark.django_db
def test_random_risk_work_keeps_ratings_history_and_trail_consistent() -> None:
    """GIVEN one risk WHEN random people rate it (in and out of range) and try random steps
    THEN ratings are likelihood times impact, levels follow the matrix, the last assessment
    matches, refusals change nothing, and the trail verifies with one event per step."""
    OUTCOMES.clear()
    run_state_machine_as_test(
        RiskLife,
        settings=settings(
            max_examples=20,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
    assert {"saved", "refused", "accepted", "denied"} <= set(OUTCOMES), OUTCOMES


@pytest.mark.django_db
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(days=st.lists(st.integers(min_value=0, max_value=400), min_size=1, max_size=12))
@example(days=[3, 3, 40, 400])  # a second figure for a period, always tried
def test_one_figure_per_period_whatever_days_are_typed(owner: User, days: list[int]) -> None:
    """Any days typed fall into their period; a second figure for a period is refused."""
    with transaction.atomic():
        with acting_as(owner):
            kpi = Kpi(title="OTD", description="x", unit="%", target=Decimal(95), owner=owner)
            kpi.save()
        seen = set()
        for day in days:
            when = timezone.localdate() - datetime.timedelta(days=day)
            m = Measurement(kpi=kpi, period=when, value=Decimal(1))
            period = periods.start_of(when, "monthly")
            try:
                m.full_clean()
            except ValidationError as exc:
                assert period in seen, exc.message_dict
                assert list(exc.message_dict) == ["period"]
                assert "already has a figure" in exc.message_dict["period"][0]
                continue
            assert period not in seen and m.period == period
            m.save()
            seen.add(period)
        assert kpi.measurements.count() == len(seen)
        today = timezone.localdate()
        typed = {periods.start_of(today - datetime.timedelta(days=d), "monthly") for d in days}
        assert seen == typed  # every period typed has its one figure
        transaction.set_rollback(True)
