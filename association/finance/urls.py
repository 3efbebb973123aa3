from django.urls import path

from . import views

app_name = "finance"

urlpatterns = [
    path("", views.index, name="index"),
    path("vouchers/", views.voucher_list, name="voucher_list"),
    path("vouchers/new/", views.voucher_create, name="voucher_create"),
    path("vouchers/<int:pk>/", views.voucher_detail, name="voucher_detail"),
    path("vouchers/<int:pk>/post/", views.voucher_post, name="voucher_post"),
    path("vouchers/<int:pk>/reverse/", views.voucher_reverse, name="voucher_reverse"),
    path("vouchers/<int:pk>/delete/", views.voucher_delete, name="voucher_delete"),
    path("vouchers/<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("periods/", views.period_list, name="period_list"),
    path("periods/<int:pk>/close/", views.period_close, name="period_close"),
    path("periods/year-end/", views.year_close, name="year_close"),
    path("opening-balances/", views.opening_balances, name="opening_balances"),
    path("funds/", views.fund_list, name="fund_list"),
    path("statements/", views.statement, name="statement"),
    path("statements/xlsx/", views.statement_xlsx, name="statement_xlsx"),
    path("statements/pdf/", views.statement_pdf, name="statement_pdf"),
    path("claims/", views.claim_list, name="claim_list"),
    path("claims/new/", views.claim_create, name="claim_create"),
    path("claims/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("claims/<int:pk>/approve/", views.claim_approve, name="claim_approve"),
    path("claims/<int:pk>/reject/", views.claim_reject, name="claim_reject"),
    path("claims/<int:pk>/pay/", views.claim_pay, name="claim_pay"),
    path("claims/<int:pk>/withdraw/", views.claim_withdraw, name="claim_withdraw"),
    path("claim-attachments/<int:pk>/", views.claim_attachment, name="claim_attachment"),
    path("budgets/", views.budget_list, name="budget_list"),
    path("budgets/<int:pk>/", views.budget_detail, name="budget_detail"),
    path("grants/", views.grant_list, name="grant_list"),
    path("grants/<int:pk>/", views.grant_detail, name="grant_detail"),
    path("tranches/<int:pk>/settle/", views.tranche_settle, name="tranche_settle"),
    path("dues/disclosure/", views.dues_disclosure, name="dues_disclosure"),
    path("dues/mine/", views.my_dues, name="my_dues"),
]
