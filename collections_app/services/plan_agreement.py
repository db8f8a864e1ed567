"""The signed payment-plan agreement: an itemized schedule rendered to PDF with WeasyPrint."""

from django.template.loader import render_to_string
from django.utils import timezone

from collections_app.models import Plan
from collections_app.models.accounts import ZERO


def plan_agreement_pdf(plan: Plan) -> bytes:
    from weasyprint import HTML  # heavy import, only when a PDF is asked for

    accounts = list(plan.accounts.order_by("id"))
    installments = list(plan.installments.order_by("seq"))
    html = render_to_string("letters/plan_agreement.html", {
        "plan": plan,
        "client": plan.client,
        "debtor": plan.debtor,
        "accounts": accounts,
        "installments": installments,
        "balance": sum((a.balance for a in accounts), ZERO),
        "paid": sum((i.paid_amount for i in installments), ZERO),
        "generated_at": timezone.now(),
    })
    return HTML(string=html).write_pdf()
