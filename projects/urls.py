from django.urls import path

from .views import graduates, projects, recruitment, referrals

app_name = "projects"

urlpatterns = [
    # Recruitment: public rounds and the application form, the graduate's own pages
    path("rounds/", recruitment.round_list, name="round_list"),
    path("rounds/<int:pk>/apply/", recruitment.apply, name="apply"),
    path(
        "rounds/<int:pk>/applications/", recruitment.round_applications, name="round_applications"
    ),
    path("applications/", recruitment.my_applications, name="my_applications"),
    path("applications/<int:pk>/", recruitment.application_detail, name="application_detail"),
    path("applications/<int:pk>/accept/", recruitment.offer_accept, name="offer_accept"),
    path("applications/<int:pk>/decline/", recruitment.offer_decline, name="offer_decline"),
    path(
        "applications/<int:pk>/withdraw/",
        recruitment.application_withdraw,
        name="application_withdraw",
    ),
    path(
        "applications/<int:pk>/resume/", recruitment.application_resume, name="application_resume"
    ),
    path(
        "applications/<int:pk>/certificate/",
        recruitment.application_certificate,
        name="application_certificate",
    ),
    path(
        "applications/<int:pk>/screen/", recruitment.application_screen, name="application_screen"
    ),
    path("applications/<int:pk>/score/", recruitment.application_score, name="application_score"),
    path("applications/<int:pk>/offer/", recruitment.application_offer, name="application_offer"),
    path(
        "applications/<int:pk>/reject/", recruitment.application_reject, name="application_reject"
    ),
    # After selection (staff): agreement, completion, follow-up, training and attendance
    path("applications/<int:pk>/agreement/", graduates.agreement_sign, name="agreement_sign"),
    path(
        "applications/<int:pk>/complete/",
        graduates.application_complete,
        name="application_complete",
    ),
    path("applications/<int:pk>/follow-up/", graduates.follow_up_create, name="follow_up_create"),
    path("programmes/<int:pk>/training/", graduates.training_list, name="training_list"),
    path("training/<int:pk>/attendance/", graduates.attendance_take, name="attendance_take"),
    # Start-up grants: apply (team), review, decide, milestones (staff); finance pays
    path("<int:pk>/grants/", graduates.grant_list, name="grant_list"),
    path("grants/<int:pk>/review/", graduates.grant_review, name="grant_review"),
    path("grants/<int:pk>/decide/", graduates.grant_decide, name="grant_decide"),
    path("milestones/<int:pk>/achieve/", graduates.milestone_achieve, name="milestone_achieve"),
    path("milestones/<int:pk>/pay/", graduates.milestone_pay, name="milestone_pay"),
    path("bases/<int:pk>/", graduates.base_detail, name="base_detail"),
    # Projects, teams, activities, mentors, aggregates
    path("", projects.project_list, name="project_list"),
    path("<int:pk>/", projects.project_detail, name="project_detail"),
    path("steps/<int:pk>/", projects.step_update, name="step_update"),
    path("<int:pk>/activities/", projects.activity_list, name="activity_list"),
    path("<int:pk>/activities/new/", projects.activity_create, name="activity_create"),
    path("photos/<int:pk>/", projects.activity_photo, name="activity_photo"),
    path("mentor/", projects.mentor_home, name="mentor_home"),
    path("mentor/<int:pk>/assess/", projects.assessment_create, name="assessment_create"),
    path("programmes/", projects.programme_list, name="programme_list"),
    path("programmes/<int:pk>/", projects.programme_detail, name="programme_detail"),
    path("bases/", projects.base_list, name="base_list"),
    # The expert pool and court referrals
    path("experts/", referrals.expert_list, name="expert_list"),
    path("assignments/", referrals.assignment_list, name="assignment_list"),
    path("assignments/<int:pk>/respond/", referrals.assignment_respond, name="assignment_respond"),
    path("assignments/<int:pk>/sessions/", referrals.session_create, name="session_create"),
    path("referrals/", referrals.referral_list, name="referral_list"),
    path("referrals/new/", referrals.referral_create, name="referral_create"),
    path("referrals/<int:pk>/", referrals.referral_detail, name="referral_detail"),
    path("referrals/<int:pk>/letter/", referrals.referral_letter, name="referral_letter"),
    path("referrals/<int:pk>/assign/", referrals.referral_assign, name="referral_assign"),
    path("referrals/<int:pk>/seal/", referrals.referral_seal, name="referral_seal"),
    path("referrals/<int:pk>/consent/", referrals.consent_create, name="consent_create"),
    path("referrals/<int:pk>/close/", referrals.referral_close, name="referral_close"),
    path("referrals/<int:pk>/report/", referrals.report_edit, name="report_edit"),
    path("referrals/<int:pk>/report/pdf/", referrals.report_pdf, name="report_pdf"),
    path("referrals/<int:pk>/report/deliver/", referrals.report_deliver, name="report_deliver"),
]
