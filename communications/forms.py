"""Forms of the strategy editor."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseInlineFormSet, inlineformset_factory

from collections_app.constants import AccountStatus
from communications.constants import PLAN_REMINDER_ANCHORS
from communications.models import MessageTemplate, Strategy, StrategyStep, StrategyVariant


class StrategyForm(forms.ModelForm):
    class Meta:
        model = Strategy
        fields = ["name", "description", "is_active", "priority", "clients", "segments", "min_balance", "max_balance"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2}), "clients": forms.CheckboxSelectMultiple}
        help_texts = {"segments": "Comma-separated account segments; empty takes every segment."}

    def __init__(self, *args, clients=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        if clients is not None:
            self.fields["clients"].queryset = clients  # type: ignore[attr-defined]

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean() or {}
        low, high = data.get("min_balance"), data.get("max_balance")
        if low is not None and high is not None and low > high:
            raise ValidationError({"max_balance": "must be at least the minimum balance."})
        return data


class VariantFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        live = [f.cleaned_data for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not live:
            raise ValidationError("A strategy needs at least one variant (the champion).")
        if sum(d.get("weight") or 0 for d in live) <= 0:
            raise ValidationError("The variants' weights must add up to more than zero.")


VariantFormSetFactory: type[BaseInlineFormSet] = inlineformset_factory(
    Strategy, StrategyVariant, formset=VariantFormSet, fields=["name", "weight", "is_holdout"], extra=1,
    can_delete=True,
)


class StepForm(forms.ModelForm):
    statuses = forms.MultipleChoiceField(choices=AccountStatus.choices, required=False,
                                         widget=forms.CheckboxSelectMultiple,
                                         help_text="Empty: open or in plan.")

    class Meta:
        model = StrategyStep
        fields = ["order", "day_offset", "anchor", "channel", "template_code", "segments", "min_balance",
                  "max_balance", "statuses"]

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean() or {}
        code, channel = data.get("template_code"), data.get("channel")
        if code and channel and not MessageTemplate.objects.filter(code=code, channel=channel, is_active=True).exists():
            raise ValidationError({"template_code": f"no active {channel} template {code!r}."})
        if data.get("anchor") in PLAN_REMINDER_ANCHORS and channel == "call":
            raise ValidationError({"channel": "a plan reminder is an email, text or letter."})
        return data


StepFormSetFactory: type[BaseInlineFormSet] = inlineformset_factory(StrategyVariant, StrategyStep, form=StepForm, extra=1, can_delete=True)
