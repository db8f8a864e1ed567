"""Every seeded template carries its required disclosures, as the gate's content rules read them."""

import pytest

from communications.defaults import DEFAULT_TEMPLATES
from communications.models import MessageTemplate
from communications.rendering import message_context, render
from communications.services import gate_message
from compliance.services import contact_check
from tests.communications.conftest import DAYTIME

pytestmark = pytest.mark.django_db
CONTENT_RULES = {"REGF-1006.18e-mini-miranda", "REGF-1006.6e-electronic-opt-out-notice", "REGF-1006.26b-time-barred"}
SENT = [(t["code"], t["channel"], t["language"]) for t in DEFAULT_TEMPLATES if t["channel"] != "call"]


@pytest.mark.parametrize(("code", "channel", "language"), SENT)
def test_each_default_template_passes_the_gates_content_rules(account, code, channel, language):
    template = MessageTemplate.objects.get(code=code, channel=channel, language=language, version=1)
    context = message_context(account, at=DAYTIME, key="k", language=language,
                              target_address=account.debtor.addresses.first())
    rendered = render(template, context)
    assert "{{" not in rendered.text and "{{" not in rendered.subject
    target = {"email": "jane@example.com", "sms": "+13125550101",
              "letter": f"address:{account.debtor.addresses.first().pk}"}[channel]
    decision = contact_check(account=account, channel=channel, target=target, at=DAYTIME,
                             message=gate_message(rendered, template.purpose), store=False)
    assert not CONTENT_RULES & set(decision.rules), decision.reasons


def test_editing_a_template_adds_a_version_used_by_new_messages_only(account):
    from communications.services import message_request

    first = message_request(account=account, channel="sms", template_code="payment_reminder")
    current = MessageTemplate.objects.get(code="payment_reminder", channel="sms", language="en", version=1)
    MessageTemplate.objects.create(code="payment_reminder", channel="sms", language="en", version=2,
                                   purpose=current.purpose, body="NEW " + current.body)
    second = message_request(account=account, channel="sms", template_code="payment_reminder")
    assert first.template.version == 1 and not first.text.startswith("NEW")
    assert second.template.version == 2 and second.text.startswith("NEW")
