"""The seeded default templates (version 1 of each), English and Spanish.

Every collection template carries the §1006.18(e) statement in full (it may be the initial
communication) and every email and text the §1006.6(e) opt-out instructions; the gate's content
rules check both on the rendered text. Spanish templates repeat the disclosures in English too:
the notices are bilingual, and the statement must appear in every language the message uses.

Context variables: see ``communications.rendering.message_context``.
"""

MINI_MIRANDA_EN = (
    "This communication is from a debt collector. This is an attempt to collect a debt and any "
    "information obtained will be used for that purpose."
)
MINI_MIRANDA_ES = (
    "Esta comunicación proviene de un cobrador de deudas. Este es un intento de cobrar una deuda y "
    "cualquier información obtenida se utilizará para ese propósito."
)
EMAIL_OPT_OUT_EN = "To opt out of further emails to this address, unsubscribe here: {{ unsubscribe_url }}"
EMAIL_OPT_OUT_ES = (
    "Para no recibir más correos en esta dirección, cancele la suscripción aquí "
    "(to opt out / unsubscribe): {{ unsubscribe_url }}"
)
SMS_OPT_OUT_EN = "Reply STOP to stop texts to this number."
SMS_OPT_OUT_ES = "Responda ALTO para no recibir más mensajes. Reply STOP to opt out."
SIGNATURE = "{{ agency_name }}, {{ agency_address }}, {{ agency_phone }}"

EN_FOOTER = f"{MINI_MIRANDA_EN}\n\n{SIGNATURE}"
ES_FOOTER = f"{MINI_MIRANDA_ES}\n{MINI_MIRANDA_EN}\n\n{SIGNATURE}"


def _email(code: str, purpose: str, subject: tuple[str, str], body: tuple[str, str]) -> list[dict]:
    return [
        {"code": code, "channel": "email", "language": "en", "purpose": purpose, "subject": subject[0],
         "body": f"{body[0]}\n\n{EN_FOOTER}\n\n{EMAIL_OPT_OUT_EN}"},
        {"code": code, "channel": "email", "language": "es", "purpose": purpose, "subject": subject[1],
         "body": f"{body[1]}\n\n{ES_FOOTER}\n\n{EMAIL_OPT_OUT_ES}"},
    ]


def _sms(code: str, purpose: str, body: tuple[str, str]) -> list[dict]:
    return [
        {"code": code, "channel": "sms", "language": "en", "purpose": purpose, "subject": "",
         "body": f"{body[0]} {MINI_MIRANDA_EN} {SMS_OPT_OUT_EN}"},
        {"code": code, "channel": "sms", "language": "es", "purpose": purpose, "subject": "",
         "body": f"{body[1]} {MINI_MIRANDA_ES} {MINI_MIRANDA_EN} {SMS_OPT_OUT_ES}"},
    ]


def _letter(code: str, purpose: str, subject: tuple[str, str], body: tuple[str, str], html: str = "") -> list[dict]:
    return [
        {"code": code, "channel": "letter", "language": "en", "purpose": purpose, "subject": subject[0],
         "body": f"{body[0]}\n\n{EN_FOOTER}", "html": html},
        {"code": code, "channel": "letter", "language": "es", "purpose": purpose, "subject": subject[1],
         "body": f"{body[1]}\n\n{ES_FOOTER}", "html": html},
    ]


REMINDER = (
    "Dear {{ debtor_name }},\n\nThe balance of your {{ creditor }} account ending {{ account_last4 }} is "
    "${{ balance }}. Pay or set up a plan at {{ portal_url }} or call us at {{ agency_phone }}.",
    "Estimado/a {{ debtor_name }}:\n\nEl saldo de su cuenta de {{ creditor }} que termina en {{ account_last4 }} "
    "es de ${{ balance }}. Pague o establezca un plan en {{ portal_url }} o llámenos al {{ agency_phone }}.",
)
SETTLEMENT = (
    "Dear {{ debtor_name }},\n\nWe can accept ${{ settlement_amount }} to settle your {{ creditor }} account "
    "ending {{ account_last4 }} (balance ${{ balance }}) if we receive it by {{ settlement_deadline }}. "
    "Reply or call {{ agency_phone }} to accept.",
    "Estimado/a {{ debtor_name }}:\n\nPodemos aceptar ${{ settlement_amount }} para liquidar su cuenta de "
    "{{ creditor }} que termina en {{ account_last4 }} (saldo ${{ balance }}) si lo recibimos antes del "
    "{{ settlement_deadline }}. Responda o llame al {{ agency_phone }} para aceptar.",
)
INSTALLMENT_DUE = (
    "Your payment plan installment of ${{ installment_amount }} for account ending {{ account_last4 }} is due "
    "on {{ installment_due }}. Pay at {{ portal_url }}.",
    "Su cuota del plan de pagos de ${{ installment_amount }} para la cuenta que termina en {{ account_last4 }} "
    "vence el {{ installment_due }}. Pague en {{ portal_url }}.",
)
INSTALLMENT_MISSED = (
    "We did not receive your installment of ${{ installment_amount }} due {{ installment_due }} for account "
    "ending {{ account_last4 }}. Please pay at {{ portal_url }} or call {{ agency_phone }} to keep your plan.",
    "No recibimos su cuota de ${{ installment_amount }} con vencimiento el {{ installment_due }} para la cuenta "
    "que termina en {{ account_last4 }}. Pague en {{ portal_url }} o llame al {{ agency_phone }} para mantener "
    "su plan.",
)

VALIDATION_BODY = (
    "{{ agency_name }} is a debt collector. We are trying to collect a debt that you owe to {{ creditor }}. "
    "We will use any information you give us to help collect the debt.\n\n"
    "Our information shows: you had a {{ product }} from {{ original_creditor }} with account number "
    "{{ account_number_masked }}.\n"
    "As of {{ itemization_date }}, you owed: ${{ itemization_amount }}\n"
    "Between {{ itemization_date }} and today:\n"
    "You were charged this amount in interest: + ${{ interest_since }}\n"
    "You were charged this amount in fees: + ${{ fees_since }}\n"
    "You paid or were credited this amount toward the debt: - ${{ payments_since }}\n"
    "Total amount of the debt now: ${{ balance }}\n\n"
    "How can you dispute the debt? Call or write to us by {{ validation_period_end }} to dispute all or part "
    "of the debt. If you do not, we will assume that our information is correct. If you write to us by "
    "{{ validation_period_end }}, we must stop collection on any amount you dispute until we send you "
    "information that shows you owe the debt. You may use the form below or write to us without the form. "
    "You may also include supporting documents. We accept disputes electronically at {{ agency_email }}.\n\n"
    "What else can you do? Write to ask for the name and address of the original creditor, if different from "
    "the current creditor. If you write by {{ validation_period_end }}, we must stop collection until we send "
    "you that information. Go to www.cfpb.gov/debt-collection to learn more about your rights under federal "
    "law. Contact us about your payment options.",
    "{{ agency_name }} es un cobrador de deudas. Estamos tratando de cobrar una deuda que usted le debe a "
    "{{ creditor }}. Utilizaremos cualquier información que usted nos dé para ayudar a cobrar la deuda.\n\n"
    "Nuestra información indica: usted tenía un/a {{ product }} de {{ original_creditor }} con el número de "
    "cuenta {{ account_number_masked }}.\n"
    "Al {{ itemization_date }}, usted debía: ${{ itemization_amount }}\n"
    "Entre el {{ itemization_date }} y hoy:\n"
    "Se le cobró esta cantidad en intereses: + ${{ interest_since }}\n"
    "Se le cobró esta cantidad en cargos: + ${{ fees_since }}\n"
    "Pagó o se le acreditó esta cantidad a la deuda: - ${{ payments_since }}\n"
    "Cantidad total de la deuda ahora: ${{ balance }}\n\n"
    "¿Cómo puede disputar la deuda? Llámenos o escríbanos a más tardar el {{ validation_period_end }} para "
    "disputar toda o parte de la deuda. Si no lo hace, asumiremos que nuestra información es correcta. Si nos "
    "escribe a más tardar el {{ validation_period_end }}, debemos dejar de cobrar cualquier cantidad que usted "
    "dispute hasta que le enviemos información que demuestre que usted debe la deuda. Aceptamos disputas "
    "electrónicamente en {{ agency_email }}.\n\n"
    "¿Qué más puede hacer? Escríbanos para pedir el nombre y la dirección del acreedor original, si es "
    "diferente del acreedor actual. Visite www.cfpb.gov/debt-collection para obtener más información sobre sus "
    "derechos según la ley federal. Comuníquese con nosotros acerca de sus opciones de pago.",
)
# The Model Form B-1 consumer-response section, printed below the notice.
VALIDATION_RESPONSE_HTML = """
<section class="response">
  <h2>How do you want to respond? / ¿Cómo desea responder?</h2>
  <p>Check all that apply:</p>
  <p>I want to dispute the debt because I think:</p>
  <ul class="checks">
    <li>This is not my debt.</li>
    <li>The amount is wrong.</li>
    <li>Other (please describe on reverse or attach additional information).</li>
  </ul>
  <ul class="checks"><li>I want you to send me the name and address of the original creditor.</li>
  <li>I enclosed this amount: $________</li></ul>
  <p>Mail this form to: {{ agency_name }}, {{ agency_address }}</p>
  <p>{{ debtor_name }}<br>{{ debtor_address }}</p>
  <p class="ref">Reference {{ account_reference }} · Validation period ends {{ validation_period_end }}</p>
</section>
"""

DEFAULT_TEMPLATES: list[dict] = [
    *_email("payment_reminder", "collection",
            ("Your {{ creditor }} account ending {{ account_last4 }}",
             "Su cuenta de {{ creditor }} que termina en {{ account_last4 }}"), REMINDER),
    *_sms("payment_reminder", "collection", (
        "{{ agency_name }}: your {{ creditor }} balance is ${{ balance }}. Pay at {{ portal_url }}.",
        "{{ agency_name }}: su saldo con {{ creditor }} es ${{ balance }}. Pague en {{ portal_url }}.",
    )),
    *_letter("payment_reminder", "collection",
             ("Payment reminder", "Recordatorio de pago"), REMINDER),
    *_letter("validation_notice", "validation_notice",
             ("Notice about your debt", "Aviso sobre su deuda"), VALIDATION_BODY, VALIDATION_RESPONSE_HTML),
    *_email("validation_notice", "validation_notice",
            ("Notice about your debt", "Aviso sobre su deuda"), VALIDATION_BODY),
    *_email("settlement_offer", "collection",
            ("A settlement offer for your {{ creditor }} account", "Una oferta de liquidación de su cuenta"),
            SETTLEMENT),
    *_letter("settlement_offer", "collection", ("Settlement offer", "Oferta de liquidación"), SETTLEMENT),
    *_email("plan_installment_due", "collection",
            ("Your installment is due {{ installment_due }}", "Su cuota vence el {{ installment_due }}"),
            INSTALLMENT_DUE),
    *_sms("plan_installment_due", "collection", INSTALLMENT_DUE),
    *_email("plan_installment_missed", "collection",
            ("We did not receive your installment", "No recibimos su cuota"), INSTALLMENT_MISSED),
    *_sms("plan_installment_missed", "collection", INSTALLMENT_MISSED),
    # 1006.14(h)(2)(i): the one confirmation holds only the confirmation and that it will be honored.
    {"code": "opt_out_confirmation", "channel": "sms", "language": "en", "purpose": "opt_out_confirmation",
     "subject": "", "body": "{{ agency_name }}: you will receive no more texts at this number. We will honor "
                            "your request."},
    {"code": "opt_out_confirmation", "channel": "sms", "language": "es", "purpose": "opt_out_confirmation",
     "subject": "", "body": "{{ agency_name }}: no recibirá más mensajes de texto en este número. Respetaremos "
                            "su solicitud."},
    {"code": "opt_out_confirmation", "channel": "email", "language": "en", "purpose": "opt_out_confirmation",
     "subject": "You are unsubscribed", "body": "You will receive no more emails from {{ agency_name }} at this "
                                                "address. We will honor your request."},
    {"code": "opt_out_confirmation", "channel": "email", "language": "es", "purpose": "opt_out_confirmation",
     "subject": "Suscripción cancelada", "body": "No recibirá más correos de {{ agency_name }} en esta "
                                                 "dirección. Respetaremos su solicitud."},
    *_sms("help_reply", "collection", (
        "{{ agency_name }} help: call {{ agency_phone }} or visit {{ portal_url }}.",
        "Ayuda de {{ agency_name }}: llame al {{ agency_phone }} o visite {{ portal_url }}.",
    )),
    # A collector call step: the script shown on the desk task.
    {"code": "collector_call", "channel": "call", "language": "en", "purpose": "collection", "subject":
        "Call {{ debtor_name }} about {{ account_reference }}",
     "body": f"Verify identity, then: \"My name is ___ with {{{{ agency_name }}}}. {MINI_MIRANDA_EN}\" Balance "
             "${{ balance }}; offer a plan or settlement within policy."},
    {"code": "collector_call", "channel": "call", "language": "es", "purpose": "collection", "subject":
        "Llamar a {{ debtor_name }} por {{ account_reference }}",
     "body": f"Verifique la identidad, luego: \"Mi nombre es ___ de {{{{ agency_name }}}}. {MINI_MIRANDA_ES}\" "
             "Saldo ${{ balance }}; ofrezca un plan o una liquidación dentro de la política."},
]
