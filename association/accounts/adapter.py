"""allauth glue: closed signup, mobile numbers on the user, codes by SMS."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.utils.translation import gettext as _

from .models import User
from .sms import send_sms


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Accounts are created by the application flows (joining as a member, applying
        # to a programme), never by an open signup form.
        return False

    def send_verification_code_sms(self, user, phone, code, **kwargs):
        send_sms(
            phone, _("【许昌市社会工作行业协会】验证码 %(code)s,15分钟内有效。") % {"code": code}
        )

    def get_phone(self, user):
        if user.mobile:
            return user.mobile, user.mobile_verified
        return None

    def set_phone(self, user, phone, verified):
        user.mobile = phone
        user.mobile_verified = verified
        user.save(update_fields=["mobile", "mobile_verified"])

    def set_phone_verified(self, user, phone):
        self.set_phone(user, phone, True)

    def get_user_by_phone(self, phone):
        return User.objects.filter(mobile=phone, is_active=True).first()

    def phone_form_field(self, **kwargs):
        from django import forms

        from .models import mobile_validator

        return forms.CharField(
            label=_("手机号码"), max_length=11, validators=[mobile_validator], **kwargs
        )


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator):
        # Staff, officers and experts cannot switch their second factor off themselves: a lost
        # authenticator is reset by another staff member (accounts.services.mfa_reset).
        from .services import requires_mfa

        return not requires_mfa(authenticator.user)
