from django.urls import path

from desk import views

app_name = "desk"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("next/", views.next_account_view, name="next"),
    path("team/", views.team_queue, name="team"),
    path("team/reassign/", views.reassign, name="reassign"),
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/<int:task_id>/", views.approval_decide, name="approval_decide"),
    path("approvals/settlements/<int:settlement_id>/", views.settlement_decide, name="settlement_decide"),
    path("blocked/", views.blocked, name="blocked"),
    path("accounts/<int:account_id>/", views.account_page, name="account"),
    path("accounts/<int:account_id>/act/<slug:name>/", views.account_action, name="action"),
    path("accounts/<int:account_id>/plan-preview/", views.plan_preview_view, name="plan_preview"),
    path("plans/<int:plan_id>/activate/", views.plan_activate_view, name="plan_activate"),
    path("plans/<int:plan_id>/agreement.pdf", views.plan_agreement, name="plan_agreement"),
]
