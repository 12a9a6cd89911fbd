"""allauth's German texts in the portal's voice.

allauth's German catalogue addresses people as "du" ("Du hast dich abgemeldet.") and spells
"E-Mailadresse" beside "E-Mail-Adresse"; the portal says "Sie" and "E-Mail-Adresse" everywhere.
The portal's catalogue (``locale/de``, first in ``LOCALE_PATHS``) translates the msgids below
anew; naming them here keeps them in it, since ``make messages`` only keeps msgids found in our
sources. Every allauth text that says "du" is here, including those of allauth's parts the
portal does not use (third-party login, OpenID provider), so no later setting can bring one
back; tests/accounts/test_one_voice.py checks every allauth text the way a user sees it.

The msgids must match allauth's (django-allauth 65) character for character, line breaks and
double spaces included.
"""

from django.utils.translation import gettext_noop

ALLAUTH_MSGIDS = [
    gettext_noop("You cannot remove your primary email address."),  # account/adapter.py
    gettext_noop("Please type your current password."),  # account/adapter.py
    gettext_noop("You cannot add more than %d email addresses."),  # account/adapter.py
    gettext_noop("Too many failed login attempts. Try again later."),  # account/adapter.py
    gettext_noop("Your primary email address must be verified."),  # account/adapter.py
    gettext_noop("Username can not be used. Please use other username."),  # account/adapter.py
    gettext_noop("Please select only one."),  # account/adapter.py
    gettext_noop("The new value must be different from the current one."),  # account/adapter.py
    gettext_noop("Be patient, you are sending too many requests."),  # account/adapter.py
    gettext_noop("Marked {email} as verified."),  # account/admin.py
    gettext_noop("You must type the same password each time."),  # account/forms.py
    gettext_noop("You must type the same email each time."),  # account/forms.py
    gettext_noop("View your user ID"),  # idp/oidc/adapter.py
    gettext_noop("View your email address"),  # idp/oidc/adapter.py
    gettext_noop("View your basic profile information"),  # idp/oidc/adapter.py
    # idp/oidc/models.py
    gettext_noop(
        "The scope(s) the client is allowed to request. Provide one value per line, e.g.: "
        "openid(ENTER)profile(ENTER)email(ENTER)"
    ),
    # idp/oidc/models.py
    gettext_noop(
        "In case the client does not specify any scope, these default scopes are used. Provide "
        "one value per line, e.g.: openid(ENTER)profile(ENTER)email(ENTER)"
    ),
    # idp/oidc/models.py
    gettext_noop(
        "A list of allowed grant types. Provide one value per line, e.g.: "
        "authorization_code(ENTER)client_credentials(ENTER)refresh_token(ENTER)"
    ),
    # idp/oidc/models.py
    gettext_noop(
        "A list of allowed response types. Provide one value per line, e.g.: "
        "code(ENTER)id_token token(ENTER)"
    ),
    gettext_noop("Recovery codes"),  # mfa/models.py
    # socialaccount/adapter.py
    gettext_noop(
        "An account already exists with this email address. Please sign in to that account "
        "first, then connect your %s account."
    ),
    gettext_noop("Your account has no password set up."),  # socialaccount/adapter.py
    gettext_noop("Your account has no verified email address."),  # socialaccount/adapter.py
    gettext_noop("Enter Password Reset Code"),  # templates/account/confirm_password_reset_code.html
    gettext_noop("Re-send Verification"),  # templates/account/email.html
    # templates/account/email.html
    gettext_noop("Do you really want to remove the selected email address?"),
    # templates/account/email/account_already_exists_message.txt
    gettext_noop(
        "You are receiving this email because you or someone else tried to signup for an\n"
        "account using email address:\n\n%(email)s\n\nHowever, an account using that email "
        "address already exists.  In case you have\nforgotten about this, please use the "
        "password forgotten procedure to recover\nyour account:\n\n%(password_reset_url)s"
    ),
    # templates/account/email/base_message.txt
    gettext_noop("Thank you for using %(site_name)s!\n%(site_domain)s"),
    # templates/account/email/email_changed_message.txt
    gettext_noop("Your email has been changed from %(from_email)s to %(to_email)s."),
    # templates/account/email/email_confirm_message.txt
    gettext_noop("Your email has been confirmed."),
    # templates/account/email/email_confirmation_subject.txt
    gettext_noop("Please Confirm Your Email Address"),
    # templates/account/email/password_changed_message.txt
    gettext_noop("Your password has been changed."),
    # templates/account/email/password_reset_code_message.txt
    gettext_noop(
        "Your password reset code is listed below. Please enter it in your open browser window."
    ),
    gettext_noop("Password Reset Code"),  # templates/account/email/password_reset_code_subject.txt
    # templates/account/email/password_reset_key_message.txt
    gettext_noop(
        "You're receiving this email because you or someone else has requested a password "
        "reset for your user account.\nIt can be safely ignored if you did not request a "
        "password reset. Click the link below to reset your password."
    ),
    # templates/account/email/password_reset_key_message.txt
    gettext_noop("In case you forgot, your username is %(username)s."),
    gettext_noop("Email Address"),  # templates/account/email_change.html
    # templates/account/email_change.html
    gettext_noop("Your email address is still pending verification."),
    gettext_noop("Change Email"),  # templates/account/email_change.html
    # templates/account/email_confirm.html
    gettext_noop(
        'Please confirm that <a href="mailto:%(email)s">%(email)s</a> is an email address for '
        "user %(user_display)s."
    ),
    # templates/account/email_confirm.html
    gettext_noop(
        "This email confirmation link expired or is invalid. Please <a "
        'href="%(email_url)s">issue a new email confirmation request</a>.'
    ),
    # templates/account/login.html
    gettext_noop(
        "If you have not created an account yet, then please %(link)ssign up%(end_link)s first."
    ),
    gettext_noop("Are you sure you want to sign out?"),  # templates/account/logout.html
    # templates/account/messages/cannot_delete_primary_email.txt
    gettext_noop("You cannot remove your primary email address (%(email)s)."),
    gettext_noop("You have confirmed %(email)s."),  # templates/account/messages/email_confirmed.txt
    # templates/account/messages/email_deleted.txt
    gettext_noop("Removed email address %(email)s."),
    gettext_noop("You have signed out."),  # templates/account/messages/logged_out.txt
    gettext_noop("Primary email address set."),  # templates/account/messages/primary_email_set.txt
    # templates/account/password_reset.html
    gettext_noop(
        "Forgotten your password? Enter your email address below, and we'll send you an email "
        "allowing you to reset it."
    ),
    # templates/account/password_reset.html
    gettext_noop("Please contact us if you have any trouble resetting your password."),
    # templates/account/password_reset_done.html
    gettext_noop(
        "We have sent you an email. If you have not received it please check your spam folder. "
        "Otherwise contact us if you do not receive it in a few minutes."
    ),
    # templates/account/password_reset_from_key.html
    gettext_noop(
        "The password reset link was invalid, possibly because it has already been used.  "
        'Please request a <a href="%(passwd_reset_url)s">new password reset</a>.'
    ),
    # templates/account/password_reset_from_key_done.html
    gettext_noop("Your password is now changed."),
    # templates/account/phone_change.html
    gettext_noop("Your phone number is still pending verification."),
    # templates/account/signup.html
    gettext_noop("Already have an account? Then please %(link)ssign in%(end_link)s."),
    # templates/account/snippets/already_logged_in.html
    gettext_noop("You are already logged in as %(user_display)s."),
    # templates/account/snippets/warn_no_email.html
    gettext_noop(
        "You currently do not have any email address set up. You should really add an email "
        "address so you can receive notifications, reset your password, etc."
    ),
    gettext_noop("Verify Your Email Address"),  # templates/account/verification_sent.html
    # templates/account/verification_sent.html
    gettext_noop(
        "We have sent an email to you for verification. Follow the link provided to finalize "
        "the signup process. If you do not see the verification email in your main inbox, "
        "check your spam folder. Please contact us if you do not receive the verification "
        "email within a few minutes."
    ),
    # templates/account/verified_email_required.html
    gettext_noop(
        "This part of the site requires us to verify that\nyou are who you claim to be. For "
        "this purpose, we require that you\nverify ownership of your email address. "
    ),
    # templates/account/verified_email_required.html
    gettext_noop(
        "We have sent an email to you for\nverification. Please click on the link inside that "
        "email. If you do not see the verification email in your main inbox, check your spam "
        "folder. Otherwise\ncontact us if you do not receive it within a few minutes."
    ),
    # templates/account/verified_email_required.html
    gettext_noop(
        '<strong>Note:</strong> you can still <a href="%(email_url)s">change your email '
        "address</a>."
    ),
    # templates/idp/oidc/authorization_form.html
    gettext_noop("%(client_name)s wants to access your %(site_name)s account."),
    # templates/idp/oidc/device_authorization_code_form.html
    gettext_noop("Enter the code displayed on your device."),
    # templates/idp/oidc/device_authorization_confirm_form.html
    gettext_noop("Please confirm the code shown on your %(client_name)s to authorize this device."),
    # templates/idp/oidc/device_authorization_confirmed.html
    gettext_noop("You successfully authorized your %(client_name)s device."),
    # templates/idp/oidc/device_authorization_denied.html
    gettext_noop("Authorization for your %(client_name)s device has been denied."),
    gettext_noop("Recovery Codes"),  # templates/mfa/index.html
    # templates/mfa/recovery_codes/generate.html
    gettext_noop("You are about to generate a new set of recovery codes for your account."),
    # templates/mfa/totp/deactivate_form.html
    gettext_noop(
        "You are about to deactivate authenticator app based authentication. Are you sure?"
    ),
    gettext_noop("Added on %(created_at)s"),  # templates/mfa/webauthn/authenticator_list.html
    gettext_noop("Last used %(last_used)s"),  # templates/mfa/webauthn/authenticator_list.html
    # templates/socialaccount/login.html
    gettext_noop("You are about to connect a new third-party account from %(provider)s."),
    # templates/socialaccount/login.html
    gettext_noop("You are about to sign in using a third-party account from %(provider)s."),
    # templates/socialaccount/login_cancelled.html
    gettext_noop(
        "You decided to cancel logging in to our site using one of your existing accounts. If "
        'this was a mistake, please proceed to <a href="%(login_url)s">sign in</a>.'
    ),
    # templates/socialaccount/signup.html
    gettext_noop(
        "You are about to use your %(provider_name)s account to login to\n%(site_name)s. As a "
        "final step, please complete the following form:"
    ),
    gettext_noop("Started At"),  # templates/usersessions/usersession_list.html
    gettext_noop("Last seen at"),  # templates/usersessions/usersession_list.html
]
