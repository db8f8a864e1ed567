from django.urls import path

from communications import views

app_name = "communications"

urlpatterns = [
    path("communications/twilio/inbound/", views.twilio_inbound, name="twilio-inbound"),
    path("communications/twilio/status/", views.twilio_status, name="twilio-status"),
    path("communications/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("communications/inbound/email/", views.inbound_email, name="inbound-email"),
    path("strategies/", views.strategy_list, name="strategy-list"),
    path("strategies/new/", views.strategy_edit, name="strategy-new"),
    path("strategies/<int:pk>/", views.strategy_edit, name="strategy-edit"),
    path("strategies/<int:pk>/variants/<int:variant_pk>/steps/", views.variant_steps, name="variant-steps"),
]
