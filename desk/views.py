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
from collections_app.constants import CallOutcome, Channel, ContactStatus, Direction, EventType
from collections_app.models import Account, Task
from collections_app.models.timeline import TaskKind
from collections_app.selectors import accounts_visible_to
from collections_app.services.events import event_record
from collections_app.services.notes import note_add
from collections_app.services.tasks import (
    accounts_reassign,
    callback_schedule,
    callbacks_due_close,
    escalation_decide,
    escalation_request,
)
from compliance.services import contact_check
from desk import forms
from desk.access import DeskRequest, desk_view
from desk.eligibility import ChannelStatus, channel_status
from desk.selectors import (
    TIMELINE_GROUPS,
    QueueFilters,
    account_for_desk,
    blocked_contacts,
    debtor_accounts,
    debtor_contact_points,
    debtor_timeline,
    escalations_waiting,
    next_account,
    open_tasks_for,
    queue_filter_options,
    queue_page,
    team_collectors,
)

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
               "reassign_to": collectors or [], "now": timezone.now()}
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
    return render(request, "desk/approvals.html", {"escalations": escalations_waiting(request.user)})


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
    """One gate answer per channel, for the best target of each (active, consented first)."""
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
    rows = []
    for channel, label in PANEL_CHANNELS:
        target = targets[channel]
        if target is None:
            rows.append(PanelRow(channel, label, "", "", None))
            continue
        status = channel_status(account, channel=channel, target=target[0], at=now)
        rows.append(PanelRow(channel, label, target[0], target[1], status))
    return rows


def _account_context(request: DeskRequest, account: Account) -> dict[str, Any]:
    now = timezone.now()
    group = request.GET.get("group", "")
    account_filter = request.GET.get("account")
    timeline = debtor_timeline(request.user, account.debtor, group=group,
                               account_id=int(account_filter) if account_filter and account_filter.isdigit() else None)
    accounts = debtor_accounts(request.user, account.debtor)
    return {
        "account": account,
        "accounts_total": sum((a.balance for a in accounts), Decimal("0.00")),
        "debtor": account.debtor,
        "now": now,
        "accounts": accounts,
        "contact_points": debtor_contact_points(account.debtor, now),
        "timeline": timeline,
        "timeline_groups": [(k, v[0]) for k, v in TIMELINE_GROUPS.items()],
        "panel": compliance_panel(account, now),
        "tasks": open_tasks_for(account.debtor),
        "can_write": request.user.has_role(*WRITE_ROLES),
        "actions": ACTION_MENU,
        "unavailable_actions": UNAVAILABLE_ACTIONS,
    }


@desk_view()
def account_page(request: DeskRequest, account_id: int) -> HttpResponse:
    account = account_for_desk(request.user, account_id)
    context = _account_context(request, account)
    if request.htmx and request.htmx.target == "timeline":
        return render(request, "desk/account.html#timeline", context)
    return render(request, "desk/account.html", context)


# --- actions: each parses a form, calls one service, and refreshes what changed -----------------


@dataclass(frozen=True)
class Action:
    title: str
    form: type[forms.AccountActionForm]
    run: Callable[[forms.AccountActionForm, Any], str]  # returns the confirmation message
    key: str = ""


def _log_call(form: forms.AccountActionForm, user: Any) -> str:
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
    with transaction.atomic():
        event_record(debtor=account.debtor, type=EventType.CALL_ATTEMPT, occurred_at=dialed_at,
                     account_ids=[account.id], direction=Direction.OUTBOUND, channel=Channel.CALL,
                     target=data["phone"], outcome=data["outcome"], data=evidence, created_by=user)
        if data["outcome"] == CallOutcome.RIGHT_PARTY_CONTACT:
            event_record(debtor=account.debtor, type=EventType.CONVERSATION, occurred_at=dialed_at,
                         account_ids=[account.id], direction=Direction.OUTBOUND, channel=Channel.CALL,
                         target=data["phone"], data=evidence, created_by=user)
        if data["note"].strip():
            note_add(account=account, body=data["note"], author=user)
        callbacks_due_close(account=account, now=timezone.now())
    return f"Call logged: {CallOutcome(data['outcome']).label}."


def _add_note(form: forms.AccountActionForm, user: Any) -> str:
    note_add(account=form.account, body=form.cleaned_data["body"], author=user)
    return "Note added."


def _dispute(form: forms.AccountActionForm, user: Any) -> str:
    data = form.cleaned_data
    payload = {"portion": data["portion"]}
    if data["portion"] == "partial":
        payload["amount"] = str(data["amount"])
    event_record(debtor=form.account.debtor, type=EventType.DISPUTE_RECEIVED, occurred_at=timezone.now(),
                 account_ids=[form.account.id], direction=Direction.INBOUND, channel=data["channel"],
                 written=data["written"], data=payload, created_by=user)
    return "Dispute recorded. Collection on this debt pauses until verification is sent."


def _cease(form: forms.AccountActionForm, user: Any) -> str:
    data = form.cleaned_data
    event_record(debtor=form.account.debtor, type=EventType.CEASE_NOTICE_RECEIVED, occurred_at=timezone.now(),
                 direction=Direction.INBOUND, channel=data["channel"], written=data["written"], created_by=user)
    return "Cease request recorded for every account of this debtor."


def _attorney(form: forms.AccountActionForm, user: Any) -> str:
    data = form.cleaned_data
    event_record(debtor=form.account.debtor, type=EventType.ATTORNEY_REPRESENTATION_NOTICE,
                 occurred_at=timezone.now(), data={"attorney": data["attorney"], "contact": data["contact"]},
                 created_by=user)
    return "Attorney representation recorded: contact the attorney, not the consumer."


def _callback(form: forms.AccountActionForm, user: Any) -> str:
    task = callback_schedule(account=form.account, due_at=form.due_at(),  # type: ignore[attr-defined]
                             created_by=user, title=form.cleaned_data["title"])
    return f"Callback scheduled for {task.due_at.astimezone(form.due_at().tzinfo):%a %b %-d, %-I:%M %p %Z}."  # type: ignore[attr-defined]


def _escalate(form: forms.AccountActionForm, user: Any) -> str:
    escalation_request(account=form.account, target=form.cleaned_data["target"],
                       reason=form.cleaned_data["reason"], created_by=user)
    return "Placement request sent to a supervisor for approval."


ACTIONS: dict[str, Action] = {
    "call": Action("Log call", forms.CallForm, _log_call, "c"),
    "note": Action("Add note", forms.NoteForm, _add_note, "a"),
    "callback": Action("Callback", forms.CallbackForm, _callback, "b"),
    "dispute": Action("Dispute", forms.DisputeForm, _dispute),
    "cease": Action("Cease request", forms.CeaseForm, _cease),
    "attorney": Action("Attorney notice", forms.AttorneyForm, _attorney),
    "escalate": Action("Escalate", forms.EscalateForm, _escalate),
}
# Money and messaging actions arrive with their services (payments, plans, promises, settlements,
# the outbound path); until then the page shows them disabled rather than pretending.
UNAVAILABLE_ACTIONS = ["Promise", "Take payment", "Plan / settlement", "Send message"]
ACTION_MENU = [(name, action.title, action.key) for name, action in ACTIONS.items()]


@desk_view(write=True)
def account_action(request: DeskRequest, account_id: int, name: str) -> HttpResponse:
    account = account_for_desk(request.user, account_id)
    action = ACTIONS.get(name)
    if action is None:
        return HttpResponse("Unknown action.", status=404)
    form = action.form(request.POST or None, account=account)
    context: dict[str, Any] = {"account": account, "action_name": name, "action": action, "form": form}
    if request.method == "POST":
        if form.is_valid():
            try:
                confirmation = action.run(form, request.user)
            except ValidationError as exc:
                for field_name, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field_name if field_name in form.fields else None, error)
            else:
                account.refresh_from_db()
                context = _account_context(request, account_for_desk(request.user, account_id))
                context["confirmation"] = confirmation
                return render(request, "desk/account.html#refresh", context)
        return render(request, "desk/account.html#action_form", context, status=400)
    return render(request, "desk/account.html#action_form", context)
