"""pylti1p3's view of our registrations: only what an administrator registered, never more.

django-lti's own configuration creates a deployment row for any deployment id a platform sends
and signs with keys kept in the database; this one refuses unknown or inactive deployments and
signs with the tool keys from ``LTI_KEY_DIR``.
"""

from lti_tool.models import LtiDeployment, LtiRegistration
from pylti1p3.deployment import Deployment
from pylti1p3.registration import Registration
from pylti1p3.tool_config.abstract import ToolConfAbstract

from lti import keys


def to_registration(lti_registration: LtiRegistration) -> Registration:
    tool_key = keys.signing_key()
    registration = Registration()
    registration.set_auth_login_url(lti_registration.auth_url)
    registration.set_auth_token_url(lti_registration.token_url)
    registration.set_client_id(lti_registration.client_id)
    registration.set_key_set_url(lti_registration.keyset_url)
    registration.set_issuer(lti_registration.issuer)
    if lti_registration.audience:
        registration.set_auth_audience(lti_registration.audience)
    registration.set_tool_private_key(tool_key.private_pem)
    registration.set_tool_public_key(tool_key.public_pem)
    return registration


class LmsToolConfig(ToolConfAbstract):
    """Registrations by issuer and client id; deployments only if registered and active."""

    def __init__(self):
        super().__init__()
        self.lti_registration: LtiRegistration | None = None
        self.lti_deployment: LtiDeployment | None = None

    def check_iss_has_one_client(self, iss):
        return False

    def check_iss_has_many_clients(self, iss):
        return True

    def find_registration_by_issuer(self, iss, *args, **kwargs):
        return None  # every lookup names the client id too

    def find_registration_by_params(self, iss, client_id, *args, **kwargs):
        self.lti_registration = (
            LtiRegistration.objects.active().filter(issuer=iss, client_id=client_id).first()
        )
        return to_registration(self.lti_registration) if self.lti_registration else None

    def find_deployment(self, iss, deployment_id):
        return None

    def find_deployment_by_params(self, iss, deployment_id, client_id, *args, **kwargs):
        self.lti_deployment = (
            LtiDeployment.objects.select_related("registration")
            .filter(
                registration__issuer=iss,
                registration__client_id=client_id,
                registration__is_active=True,
                deployment_id=deployment_id,
                is_active=True,
            )
            .first()
        )
        if self.lti_deployment is None:
            return None
        return Deployment().set_deployment_id(self.lti_deployment.deployment_id)
