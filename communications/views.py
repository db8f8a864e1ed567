"""Web endpoints: provider webhooks, unsubscribe links, and the supervisors' strategy editor."""

import json

from django.conf import settings
from django.contrib.auth.decorators import login_required, user_passes_test
from django.core.signing import BadSignature
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator

from collections_app.selectors import clients_visible_to
from communications.forms import StepFormSetFactory, StrategyForm, VariantFormSetFactory
from communications.inbound import email_opt_out, inbound_email_receive, inbound_sms_receive, sms_status_update
from communications.models import Message, Strategy
from communications.rendering import unsubscribe_key
from communications.strategies import strategy_save, strategy_summaries

TWIML_EMPTY = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def _twilio_signed(request: HttpRequest) -> bool:
    """Twilio signs the URL it was configured with (our public base) plus the POSTed fields."""
    if not settings.TWILIO_AUTH_TOKEN:
        return False
    url = f"{settings.PUBLIC_BASE_URL}{request.get_full_path()}"
    params = {key: request.POST.get(key) for key in request.POST}
    return RequestValidator(settings.TWILIO_AUTH_TOKEN).validate(url, params,
                                                                 request.headers.get("X-Twilio-Signature", ""))


@csrf_exempt
@require_POST
def twilio_inbound(request: HttpRequest) -> HttpResponse:
    if not _twilio_signed(request):
        return HttpResponse("invalid signature", status=403)
    inbound_sms_receive(from_number=request.POST.get("From", ""), body=request.POST.get("Body", ""))
    return HttpResponse(TWIML_EMPTY, content_type="text/xml")


@csrf_exempt
@require_POST
def twilio_status(request: HttpRequest) -> HttpResponse:
    if not _twilio_signed(request):
        return HttpResponse("invalid signature", status=403)
    sms_status_update(provider_id=request.POST.get("MessageSid", ""), status=request.POST.get("MessageStatus", ""))
    return HttpResponse(status=204)


@csrf_exempt  # RFC 8058 one-click unsubscribe POSTs come from mail providers, without our CSRF token
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a confirmation button (link scanners must not opt people out); POST records it."""
    try:
        message = Message.objects.select_related("account__debtor").get(key=unsubscribe_key(token))
    except (BadSignature, Message.DoesNotExist):
        return render(request, "communications/unsubscribe.html", {"invalid": True}, status=404)
    done = False
    if request.method == "POST":
        email_opt_out(message=message)
        done = True
    return render(request, "communications/unsubscribe.html", {"done": done, "token": token,
                                                               "agency_name": settings.AGENCY_NAME})


@csrf_exempt
@require_POST
def inbound_email(request: HttpRequest) -> HttpResponse:
    """Replies and bounces, posted by the mail gateway as JSON with the shared secret header."""
    secret = settings.INBOUND_EMAIL_SECRET
    if not secret or not constant_time_compare(request.headers.get("X-Inbound-Secret", ""), secret):
        return JsonResponse({"detail": "invalid secret"}, status=403)
    try:
        body = json.loads(request.body)
        sender, subject = str(body["from"]), str(body.get("subject", ""))
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"from": ["required"]}, status=400)
    kind = inbound_email_receive(sender=sender, subject=subject, in_reply_to=str(body.get("in_reply_to", "")),
                                 references=str(body.get("references", "")), is_bounce=bool(body.get("bounce")))
    return JsonResponse({"result": kind})


def _is_supervisor(user) -> bool:  # type: ignore[no-untyped-def]
    return user.is_authenticated and user.is_supervisor


supervisor_required = user_passes_test(_is_supervisor)


@login_required
@supervisor_required
def strategy_list(request: HttpRequest) -> HttpResponse:
    return render(request, "communications/strategies/list.html", {"strategies": strategy_summaries()})


@login_required
@supervisor_required
def strategy_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    strategy = get_object_or_404(Strategy, pk=pk) if pk else Strategy()
    clients = clients_visible_to(request.user)
    form = StrategyForm(request.POST or None, instance=strategy, clients=clients)
    variants = VariantFormSetFactory(request.POST or None, instance=strategy, prefix="variants")
    if request.method == "POST" and form.is_valid() and variants.is_valid():
        with transaction.atomic():
            strategy = strategy_save(form, variants)
        return redirect("communications:strategy-edit", pk=strategy.pk)
    return render(request, "communications/strategies/edit.html",
                  {"strategy": strategy, "form": form, "variants": variants})


@login_required
@supervisor_required
def variant_steps(request: HttpRequest, pk: int, variant_pk: int) -> HttpResponse:
    strategy = get_object_or_404(Strategy, pk=pk)
    variant = get_object_or_404(strategy.variants, pk=variant_pk)
    steps = StepFormSetFactory(request.POST or None, instance=variant, prefix="steps")
    if request.method == "POST" and steps.is_valid():
        with transaction.atomic():
            strategy_save(None, steps, strategy=strategy)
        return redirect("communications:variant-steps", pk=strategy.pk, variant_pk=variant.pk)
    return render(request, "communications/strategies/steps.html",
                  {"strategy": strategy, "variant": variant, "steps": steps})
