"""The collector desk: the work queue, the account page and its actions, and supervisor views.

Views parse, call one service, render. An htmx request gets only the fragment that changed (a
template partial of the same template that renders the full page).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.constants import WRITE_ROLES
from collections_app.constants import (
    CallOutcome,
    Channel,
    ContactStatus,
    Direction,
    EventType,
    PlanStatus,
    PromiseSource,
    SettlementStatus,
)
from collections_app.models import Account, Settlement, Task
from collections_app.models.timeline import TaskKind
from collections_app.selectors import accounts_visible_to, clients_visible_to, plans_visible_to
from collections_app.services.events import event_record
from collections_app.services.notes import note_add
from collections_app.services.payments import payment_post
from collections_app.services.plan_agreement import plan_agreement_pdf
from collections_app.services.plans import plan_activate, plan_preview, plan_propose
from collections_app.services.promises import promise_make
from collections_app.services.settlements import (
    settlement_approve,
    settlement_offer,
    settlement_reject,
    settlement_terms,
)
from collections_app.services.tasks import (
    accounts_reassign,
    callback_schedule,
    callbacks_due_close,
    escalation_decide,
    escalation_request,
)
from communications.constants import MessageStatus, Source
from communications.services import message_request
from compliance.services import contact_check
from desk import forms
from desk.access import DeskRequest, desk_view
from desk.eligibility import ChannelStatus, channel_statuses
from desk.formatting import day_and_clock, debtor_zone, money
from desk.selectors import (
    QueueFilters,
    account_for_desk,
    blocked_contacts,
    debtor_accounts,
    debtor_arrangements,
    debtor_contact_points,
    debtor_outbox,
    escalations_waiting,
    message_templates,
    next_account,
    open_tasks_for,
    queue_filter_options,
    queue_page,
    settlements_waiting,
    team_collectors,
)
from desk.timeline import DECISIONS_GROUP, TIMELINE_GROUPS, debtor_timeline

# --- queues -------------------------------------------------------------------------------------


def _queue(request: DeskRequest, *, team: bool) -> HttpResponse:
    options = queue_filter_options(request.user)
    collectors = team_collectors(request.user) if team else None
    form = forms.QueueFilterForm(request.GET or None, options=options, collectors=collectors)
    filters = form.filters() if request.GET else QueueFilters()
    try:
        page_number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page_number = 1
    page = queue_page(request.user, filters, page_number, team=team)
    context = {"form": form, "page": page, "team": team, "collectors": collectors,
               "reassign_to": collectors or [], "now": timezone.now(),
               "account_url": reverse("desk:account", args=[0]).removesuffix("0/")}  # + id + "/", per row
    template = "desk/queue.html"
    if request.htmx and request.htmx.target == "queue-results":
        template += "#results"
    return render(request, template, context)


@desk_view()
def queue(request: DeskRequest) -> HttpResponse:
    return _queue(request, team=False)


@desk_view(supervisor=True)
def team_queue(request: DeskRequest) -> HttpResponse:
    return _queue(request, team=True)


@desk_view()
def next_account_view(request: DeskRequest) -> HttpResponse:
    """Open the next account to work (after ``?after=<id>`` when coming from an account)."""
    after = None
    if request.GET.get("after", "").isdigit():
        after = accounts_visible_to(request.user).filter(pk=int(request.GET["after"])).first()
    account = next_account(request.user, QueueFilters(), after=after)
    if account is None:
        messages.info(request, "Your queue is empty. Nice work.")
        return redirect("desk:queue")
    url = reverse("desk:account", args=[account.id])
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Location"] = url
        return response
    return redirect(url)


@desk_view(write=True, supervisor=True)
def reassign(request: DeskRequest) -> HttpResponse:
    if request.method != "POST":
        return redirect("desk:team")
    form = forms.ReassignForm(request.POST, collectors=team_collectors(request.user))
    if form.is_valid():
        try:
            moved = accounts_reassign(accounts=accounts_visible_to(request.user),
                                      account_ids=form.cleaned_data["accounts"], to=form.target())
        except ValidationError as exc:
            for errors in exc.message_dict.values():
                for error in errors:
                    messages.error(request, error)
        else:
            to = form.target()
            messages.success(request, f"Reassigned {moved} account{'s' if moved != 1 else ''} to "
                                      f"{to.username if to else 'nobody (unassigned)'}.")
    else:
        messages.error(request, "Choose the accounts and who should work them.")
    return redirect(request.POST.get("back") or reverse("desk:team"))


@desk_view(supervisor=True)
def approvals(request: DeskRequest) -> HttpResponse:
    return render(request, "desk/approvals.html", {"escalations": escalations_waiting(request.user),
                                                   "settlements": settlements_waiting(request.user)})


@desk_view(write=True, supervisor=True)
def approval_decide(request: DeskRequest, task_id: int) -> HttpResponse:
    task = get_object_or_404(Task.objects.filter(account__in=accounts_visible_to(request.user),
                                                 kind=TaskKind.ESCALATION), pk=task_id)
    if request.method == "POST":
        approve = request.POST.get("decision") == "approve"
        try:
            escalation_decide(task=task, approve=approve, decided_by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{'Approved' if approve else 'Declined'}: {task.title}")
    return redirect("desk:approvals")


@desk_view(write=True, supervisor=True)
def settlement_decide(request: DeskRequest, settlement_id: int) -> HttpResponse:
    settlement = get_object_or_404(Settlement.objects.filter(client__in=clients_visible_to(request.user)),
                                   pk=settlement_id)
    if request.method == "POST":
        approve = request.POST.get("decision") == "approve"
        note = request.POST.get("note", "").strip()[:500]
        try:
            if approve:
                settlement_approve(settlement, decided_by=request.user, note=note)
            else:
                settlement_reject(settlement, decided_by=request.user, note=note)
        except ValidationError as exc:
            messages.error(request, f"Settlement {settlement.pk}: {' '.join(exc.messages)}")
        else:
            messages.success(request, f"Settlement {settlement.pk} {'approved' if approve else 'rejected'}: "
                                      f"{money(settlement.amount)} ({settlement.discount_pct}% off).")
    return redirect("desk:approvals")


@desk_view(supervisor=True)
def blocked(request: DeskRequest) -> HttpResponse:
    return render(request, "desk/blocked.html", {"summary": blocked_contacts(request.user)})


# --- the account page ---------------------------------------------------------------------------

PANEL_CHANNELS = (
    (Channel.CALL, "Call"),
    (Channel.SMS, "Text"),
    (Channel.EMAIL, "E-mail"),
    (Channel.LETTER, "Letter"),
)


@dataclass
class PanelRow:
    channel: str
    label: str
    target: str
    target_label: str
    status: ChannelStatus | None


def compliance_panel(account: Account, now: dt.datetime) -> list[PanelRow]:
    """One gate answer per channel, for the best target of each (active, consented first), asked together."""
    debtor = account.debtor
    phones = sorted((p for p in debtor.phones.all() if p.status == ContactStatus.ACTIVE),
                    key=lambda p: (p.kind != "mobile", p.id))
    sms_phones = sorted(phones, key=lambda p: (not p.sms_consent, p.kind != "mobile", p.id))
    emails = sorted((e for e in debtor.emails.all() if e.status == ContactStatus.ACTIVE),
                    key=lambda e: (not e.consent, e.employer_provided, e.id))
    addresses = sorted((a for a in debtor.addresses.all() if a.status == ContactStatus.ACTIVE),
                       key=lambda a: (a.kind != "home", a.id))
    targets = {
        Channel.CALL: (phones[0].number, phones[0].number) if phones else None,
        Channel.SMS: (sms_phones[0].number, sms_phones[0].number) if sms_phones else None,
        Channel.EMAIL: (emails[0].address, emails[0].address) if emails else None,
        Channel.LETTER: (f"address:{addresses[0].id}", f"{addresses[0].city}, {addresses[0].state}")
        if addresses else None,
    }
    asked = [(channel, t[0]) for channel, _label in PANEL_CHANNELS if (t := targets[channel]) is not None]
    answers = dict(zip((c for c, _t in asked), channel_statuses(account, asked, at=now), strict=True))
    rows = []
    for channel, label in PANEL_CHANNELS:
        target = targets[channel]
        if target is None:
            rows.append(PanelRow(channel, label, "", "", None))
        else:
            rows.append(PanelRow(channel, label, target[0], target[1], answers[channel]))
    return rows


def dial_statuses(account: Account, now: dt.datetime) -> list[tuple[str, ChannelStatus]]:
    """May each of the debtor's active phones be called now? Shown on the call form before the
    collector dials (display only: the dial itself is checked again, and stored, when logged)."""
    numbers = [p.number for p in account.debtor.phones.all() if p.status == ContactStatus.ACTIVE]
    return list(zip(numbers, channel_statuses(account, [(Channel.CALL, n) for n in numbers], at=now), strict=True))


# Each fragment of the account page, what it needs, and how to compute it. A full page computes all
# of them; an action recomputes and re-renders only the ones it changed (swapped out of band).
FRAGMENTS = ("timeline", "compliance", "contacts", "tasks", "accounts", "arrangements", "outbox")


def _account_context(request: DeskRequest, account: Account,
                     fragments: tuple[str, ...] = FRAGMENTS) -> dict[str, Any]:
    now = timezone.now()
    context: dict[str, Any] = {"account": account, "debtor": account.debtor, "now": now, "fragments": fragments,
                               "can_write": request.user.has_role(*WRITE_ROLES)}
    if "timeline" in fragments:
        group = request.GET.get("group", "")
        account_filter = request.GET.get("account")
        context["timeline"] = debtor_timeline(
            request.user, account.debtor, group=group,
            account_id=int(account_filter) if account_filter and account_filter.isdigit() else None)
        context["timeline_groups"] = [(k, v[0]) for k, v in TIMELINE_GROUPS.items()] + [DECISIONS_GROUP]
    if "accounts" in fragments:
        accounts = debtor_accounts(request.user, account.debtor)
        context["accounts"] = accounts
        context["accounts_total"] = sum((a.balance for a in accounts), Decimal("0.00"))
    if "contacts" in fragments:
        context["contact_points"] = debtor_contact_points(account.debtor, now)
    if "compliance" in fragments:
        context["panel"] = compliance_panel(account, now)
    if "tasks" in fragments:
        context["tasks"] = open_tasks_for(account.debtor)
    if "arrangements" in fragments:
        context["arrangements"] = debtor_arrangements(account.debtor)
    if "outbox" in fragments:
        context["outbox"] = debtor_outbox(account.debtor)
    if fragments == FRAGMENTS:
        context["actions"] = ACTION_MENU
    return context


def _render_account(request: DeskRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    """Render (part of) an account page: every instant on it is in the debtor's local time, with its
    zone's abbreviation (their first zone; UTC when none is known), like the clocks in its header."""
    with timezone.override(debtor_zone(context["account"].debtor.timezones)):
        return render(request, template, context, status=status)


@desk_view()
def account_page(request: DeskRequest, account_id: int) -> HttpResponse:
    account = account_for_desk(request.user, account_id)
    if request.htmx and request.htmx.target == "timeline":
        return _render_account(request, "desk/account.html#timeline", _account_context(request, account, ("timeline",)))
    return _render_account(request, "desk/account.html", _account_context(request, account))


@desk_view()
def plan_agreement(request: DeskRequest, plan_id: int) -> HttpResponse:
    """The plan's agreement as a PDF (for the debtor to sign, or to mail with the welcome letter)."""
    plan = get_object_or_404(plans_visible_to(request.user).select_related("client", "debtor"), pk=plan_id)
    response = HttpResponse(plan_agreement_pdf(plan), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="plan-{plan.pk}-agreement.pdf"'
    return response


# --- actions: each parses a form, calls one service, and refreshes what changed -----------------


@dataclass(frozen=True)
class Confirmation:
    text: str
    tone: str = "success"  # or "warning": done, but not what the collector hoped (blocked, awaiting approval)


@dataclass(frozen=True)
class Action:
    title: str
    form: type[forms.AccountActionForm]
    run: Callable[[Any, Any], "str | Confirmation"]  # (form, user) → what the collector is told
    key: str = ""
    refresh: tuple[str, ...] = ("timeline",)  # the fragments the action changes
    form_kwargs: Callable[[Account], dict[str, Any]] | None = None


def _log_call(form: forms.CallForm, user: Any) -> str:
    """The dial is a contact: the gate judges it (and keeps its decision) before anything is logged."""
    data = form.cleaned_data
    account = form.account
    dialed_at = data["dialed_at"]
    decision = contact_check(account=account, channel=Channel.CALL, target=data["phone"], at=dialed_at,
                             store=True, actor=user, source="desk")
    if not decision.allowed:
        reasons = "; ".join(r.message for r in decision.reasons)
        raise ValidationError({"__all__": [f"This call was not allowed when you dialled ({reasons}). "
                                           "Nothing was logged."]})
    evidence = {"decision": decision.decision_id}
    promise = None
    with transaction.atomic():
        event_record(debtor=account.debtor, type=EventType.CALL_ATTEMPT, occurred_at=dialed_at,
                     account_ids=[account.id], direction=Direction.OUTBOUND, channel=Channel.CALL,
                     target=data["phone"], outcome=data["outcome"], data=evidence, created_by=user)
        if data["outcome"] == CallOutcome.RIGHT_PARTY_CONTACT:
            event_record(debtor=account.debtor, type=EventType.CONVERSATION, occurred_at=dialed_at,
                         account_ids=[account.id], direction=Direction.OUTBOUND, channel=Channel.CALL,
                         target=data["phone"], data=evidence, created_by=user)
        if data["promise_amount"] is not None:
            try:
                promise = promise_make(account=account, amount=data["promise_amount"], due_date=data["promise_date"],
                                       source=PromiseSource.CALL, created_by=user)
            except ValidationError as exc:  # nothing of the call is kept: the collector fixes the promise
                raise ValidationError({PROMISE_FIELDS.get(k, "__all__"): v for k, v in exc.message_dict.items()})
        if data["note"].strip():
            note_add(account=account, body=data["note"], author=user)
        callbacks_due_close(account=account, now=timezone.now())
    text = f"Call logged: {CallOutcome(data['outcome']).label}."
    if promise is not None:
        text += f" Promise to pay {money(promise.amount)} by {promise.due_date:%a %b %-d} recorded."
    return text


PROMISE_FIELDS = {"amount": "promise_amount", "due_date": "promise_date"}


def _promise(form: forms.PromiseForm, user: Any) -> str:
    promise = promise_make(account=form.account, amount=form.cleaned_data["amount"],
                           due_date=form.cleaned_data["due_date"], source=PromiseSource.CALL, created_by=user)
    return f"Promise to pay {money(promise.amount)} by {promise.due_date:%a %b %-d} recorded."


def _take_payment(form: forms.PaymentForm, user: Any) -> str | Confirmation:
    result = payment_post(account=form.account, amount=form.cleaned_data["amount"], received_at=timezone.now(),
                          method=form.cleaned_data["method"], external_id=form.external_id(), created_by=user)
    payment = result.payment
    if not result.created:
        return Confirmation(f"This payment was already recorded ({money(payment.amount)} on "
                            f"{payment.received_at:%b %-d}); nothing was posted twice.", "warning")
    form.account.refresh_from_db(fields=["principal_balance", "interest_balance", "fees_balance", "balance",
                                         "status"])
    return f"Payment of {money(payment.amount)} posted. Balance now {money(form.account.balance)}."


def _plan(form: forms.PlanForm, user: Any) -> str | Confirmation:
    data = form.cleaned_data
    if data["kind"] == "settlement":
        settlement = settlement_offer(offered_by=user, **form.settlement_arguments())
        terms = f"{money(settlement.amount)} ({settlement.discount_pct}% off {money(settlement.balance)})"
        if settlement.status == SettlementStatus.PENDING_APPROVAL:
            return Confirmation(f"Settlement for {terms} is above your limit: sent to a supervisor for approval.",
                                "warning")
        return f"Settlement for {terms} approved; first payment due {settlement.due_date:%a %b %-d}."
    with transaction.atomic():
        plan = plan_propose(created_by=user, **form.plan_arguments())
        if data["activate"]:
            plan = plan_activate(plan, signed_by_name=data["signed_by_name"], created_by=user)
    count = plan.installments.count()
    verb = "activated" if plan.status == PlanStatus.ACTIVE else "proposed (activate it when the debtor agrees to it)"
    return f"Plan {verb}: {count} payment{'s' if count != 1 else ''}, {money(plan.total)} in all."


def _send_message(form: forms.MessageForm, user: Any) -> str | Confirmation:
    data = form.cleaned_data
    message = message_request(account=form.account, channel=data["channel"], target=data["target"] or None,
                              template_code=data["template"], source=Source.COLLECTOR, actor=user)
    channel = message.get_channel_display()
    reasons = "; ".join(r["message"] for r in message.decision.get("reasons", []))
    if message.status == MessageStatus.QUEUED:
        return f"{channel} queued for delivery to {message.target}."
    if message.status == MessageStatus.SCHEDULED and message.scheduled_for:
        held_until = day_and_clock(message.scheduled_for, debtor_zone(form.account.debtor.timezones))
        return Confirmation(f"{channel} held until {held_until} (their time): {reasons}.", "warning")
    return Confirmation(f"{channel} not sent: {reasons or message.get_status_display()}.", "warning")


def _message_form_kwargs(account: Account) -> dict[str, Any]:
    return {"templates": message_templates()}


def _add_note(form: forms.NoteForm, user: Any) -> str:
    note_add(account=form.account, body=form.cleaned_data["body"], author=user)
    return "Note added."


def _dispute(form: forms.DisputeForm, user: Any) -> str:
    data = form.cleaned_data
    payload = {"portion": data["portion"]}
    if data["portion"] == "partial":
        payload["amount"] = str(data["amount"])
    event_record(debtor=form.account.debtor, type=EventType.DISPUTE_RECEIVED, occurred_at=timezone.now(),
                 account_ids=[form.account.id], direction=Direction.INBOUND, channel=data["channel"],
                 written=data["written"], data=payload, created_by=user)
    return "Dispute recorded. Collection on this debt pauses until verification is sent."


def _cease(form: forms.CeaseForm, user: Any) -> str:
    data = form.cleaned_data
    event_record(debtor=form.account.debtor, type=EventType.CEASE_NOTICE_RECEIVED, occurred_at=timezone.now(),
                 direction=Direction.INBOUND, channel=data["channel"], written=data["written"], created_by=user)
    return "Cease request recorded for every account of this debtor."


def _attorney(form: forms.AttorneyForm, user: Any) -> str:
    data = form.cleaned_data
    event_record(debtor=form.account.debtor, type=EventType.ATTORNEY_REPRESENTATION_NOTICE,
                 occurred_at=timezone.now(), data={"attorney": data["attorney"], "contact": data["contact"]},
                 created_by=user)
    return "Attorney representation recorded: contact the attorney, not the consumer."


def _callback(form: forms.CallbackForm, user: Any) -> str:
    task = callback_schedule(account=form.account, due_at=form.due_at(), created_by=user,
                             title=form.cleaned_data["title"])
    return f"Callback scheduled for {task.due_at.astimezone(form.due_at().tzinfo):%a %b %-d, %-I:%M %p %Z}."


def _escalate(form: forms.EscalateForm, user: Any) -> str:
    escalation_request(account=form.account, target=form.cleaned_data["target"],
                       reason=form.cleaned_data["reason"], created_by=user)
    return "Placement request sent to a supervisor for approval."


ACTIONS: dict[str, Action] = {
    "call": Action("Log call", forms.CallForm, _log_call, "c",
                   ("timeline", "compliance", "contacts", "tasks", "arrangements")),
    "promise": Action("Promise", forms.PromiseForm, _promise, "p", ("timeline", "arrangements")),
    "payment": Action("Take payment", forms.PaymentForm, _take_payment, "t",
                      ("timeline", "accounts", "arrangements", "compliance")),
    "plan": Action("Plan / settlement", forms.PlanForm, _plan, "s",
                   ("timeline", "accounts", "arrangements", "tasks")),
    "message": Action("Send message", forms.MessageForm, _send_message, "m", ("outbox", "compliance"),
                      _message_form_kwargs),
    "note": Action("Add note", forms.NoteForm, _add_note, "a"),
    "callback": Action("Callback", forms.CallbackForm, _callback, "b", ("tasks",)),
    "dispute": Action("Dispute", forms.DisputeForm, _dispute, "", ("timeline", "compliance", "accounts")),
    "cease": Action("Cease request", forms.CeaseForm, _cease, "", ("timeline", "compliance")),
    "attorney": Action("Attorney notice", forms.AttorneyForm, _attorney, "", ("timeline", "compliance")),
    "escalate": Action("Escalate", forms.EscalateForm, _escalate, "", ("tasks",)),
}
ACTION_MENU = [(name, action.title, action.key) for name, action in ACTIONS.items()]


def _action_form(action: Action, request: DeskRequest, account: Account) -> forms.AccountActionForm:
    kwargs = action.form_kwargs(account) if action.form_kwargs else {}
    return action.form(request.POST or None, account=account, **kwargs)


@desk_view(write=True)
def account_action(request: DeskRequest, account_id: int, name: str) -> HttpResponse:
    account = account_for_desk(request.user, account_id)
    action = ACTIONS.get(name)
    if action is None:
        return HttpResponse("Unknown action.", status=404)
    form = _action_form(action, request, account)
    context: dict[str, Any] = {"account": account, "action_name": name, "action": action, "form": form}
    if request.method == "POST":
        if form.is_valid():
            try:
                outcome = action.run(form, request.user)
            except ValidationError as exc:
                for field_name, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field_name if field_name in form.fields else None, error)
            else:
                context = _account_context(request, account_for_desk(request.user, account_id), action.refresh)
                context["confirmation"] = outcome if isinstance(outcome, Confirmation) else Confirmation(outcome)
                return _render_account(request, "desk/account.html#refresh", context)
        form.mark_errors()
    if name == "call":
        context["dial_statuses"] = dial_statuses(account, timezone.now())
    status = 400 if request.method == "POST" else 200
    return _render_account(request, "desk/account.html#action_form", context, status=status)


@desk_view(write=True)
def plan_activate_view(request: DeskRequest, plan_id: int) -> HttpResponse:
    """The debtor agreed to a proposed plan (on a later call): activate it, refresh what changed."""
    plan = get_object_or_404(plans_visible_to(request.user), pk=plan_id)
    account_id = int(request.POST.get("account", "0") or 0)
    account = account_for_desk(request.user, account_id)
    if request.method != "POST" or account.debtor_id != plan.debtor_id:
        return HttpResponse("Activate a plan from its debtor's account page.", status=400)
    try:
        plan = plan_activate(plan, signed_by_name=request.POST.get("signed_by_name", "")[:200], created_by=request.user)
    except ValidationError as exc:
        outcome = Confirmation(f"The plan was not activated: {' '.join(exc.messages)}", "danger")
    else:
        outcome = Confirmation(f"Plan activated: {money(plan.total)} over {plan.installments.count()} payments.")
    refresh = ("timeline", "accounts", "arrangements")
    context = _account_context(request, account_for_desk(request.user, account_id), refresh)
    context["confirmation"] = outcome
    return _render_account(request, "desk/account.html#refresh", context)


@desk_view(write=True)
def plan_preview_view(request: DeskRequest, account_id: int) -> HttpResponse:
    """The schedule the plan form would create, as the collector types; writes nothing."""
    account = account_for_desk(request.user, account_id)
    form = forms.PlanForm(request.POST or None, account=account)
    context: dict[str, Any] = {"account": account, "errors": [], "lines": [], "terms": None, "total": None}
    if not form.is_valid():
        context["errors"] = [e for errors in form.errors.values() for e in errors]
    else:
        try:
            if form.cleaned_data["kind"] == "settlement":
                terms = settlement_terms(offered_by=request.user, **form.settlement_arguments())
                context.update(terms=terms, lines=terms.lines, total=terms.amount)
            else:
                total, lines = plan_preview(**form.plan_arguments())
                context.update(total=total, lines=lines)
        except ValidationError as exc:
            context["errors"] = [f"{k.replace('_', ' ')}: {m}" if k != "__all__" else m
                                 for k, ms in exc.message_dict.items() for m in ms]
    return _render_account(request, "desk/account.html#plan_preview", context)
