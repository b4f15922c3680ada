"""A fake LTI platform: its own RSA key, and a local HTTP server for its JWKS, token endpoint
and gradebook (scores), on 127.0.0.1 only."""

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import jwt as pyjwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from lti_tool.models import LtiDeployment, LtiRegistration

from lti import keys
from tests.certificates.conftest import gcp_course  # noqa: F401 - fixture

ISSUER = "https://lms.riverside-hospital.example"
CLIENT_ID = "tool-client-1"
DEPLOYMENT_ID = "deployment-1"
PLATFORM_KID = "platform-key-1"
CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"


def _rsa():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class Platform:
    """What the LMS holds: a key pair, a gradebook that can be down, and what it received."""

    def __init__(self):
        self.key = _rsa()
        self.scores: list[dict] = []
        self.token_requests: list[dict] = []
        self.down_for = 0  # answer 503 to this many gradebook or token requests
        self.delay = 0.0  # seconds before the keys endpoint answers
        self.tool_jwks: dict = {}
        self.base = ""

    def public_jwk(self) -> dict:
        jwk = json.loads(pyjwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {**jwk, "kid": PLATFORM_KID, "alg": "RS256", "use": "sig"}

    def private_pem(self, key=None) -> bytes:
        return (key or self.key).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    def id_token(self, *, nonce: str, key=None, **overrides) -> str:
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "aud": CLIENT_ID,
            "sub": "platform-user-42",
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            "email": "nurse.rivera@riverside-hospital.example",
            "name": "Sam Rivera",
            CLAIM + "deployment_id": DEPLOYMENT_ID,
            CLAIM + "message_type": "LtiResourceLinkRequest",
            CLAIM + "version": "1.3.0",
            CLAIM + "roles": ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"],
            CLAIM + "resource_link": {"id": "link-1", "title": "GCP refresher"},
            CLAIM + "target_link_uri": "http://127.0.0.1:8000/lti/launch/",
            CLAIM + "custom": {"course": "CTN-101"},
            "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint": {
                "scope": [
                    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly",
                    "https://purl.imsglobal.org/spec/lti-ags/scope/score",
                ],
                "lineitem": f"{self.base}/courses/7/lineitems/3/lineitem?type=course",
            },
        }
        claims.update(overrides)
        claims = {k: v for k, v in claims.items() if v is not None}
        return pyjwt.encode(
            claims, self.private_pem(key), algorithm="RS256", headers={"kid": PLATFORM_KID}
        )


def _handler(platform: Platform):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _json(self, status, body):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            try:
                self.wfile.write(data)
            except BrokenPipeError:  # the tool gave up waiting (the timeout test)
                pass

        def do_GET(self):
            if self.path == "/jwks":
                time.sleep(platform.delay)
                return self._json(200, {"keys": [platform.public_jwk()]})
            return self._json(404, {})

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
            if platform.down_for > 0:
                platform.down_for -= 1
                return self._json(503, {"error": "gradebook unavailable"})
            path = urlparse(self.path).path
            if path == "/token":
                form = {k: v[0] for k, v in parse_qs(body).items()}
                header = pyjwt.get_unverified_header(form["client_assertion"])
                jwk = next(k for k in platform.tool_jwks["keys"] if k["kid"] == header["kid"])
                assertion = pyjwt.decode(
                    form["client_assertion"],
                    pyjwt.PyJWK(jwk).key,
                    algorithms=["RS256"],
                    audience=f"{platform.base}/token",
                )
                platform.token_requests.append({**form, "assertion": assertion})
                return self._json(200, {"access_token": "granted", "token_type": "Bearer",
                                        "expires_in": 3600})  # fmt: skip
            if path == "/courses/7/lineitems/3/lineitem/scores":
                assert self.headers["Authorization"] == "Bearer granted"
                platform.scores.append(
                    {"query": urlparse(self.path).query,
                     "content_type": self.headers["Content-Type"], "body": json.loads(body)}
                )  # fmt: skip
                return self._json(200, {})
            return self._json(404, {})

    return Handler


@pytest.fixture
def platform(settings, tmp_path):
    settings.LTI_KEY_DIR = tmp_path / "lti-keys"
    platform = Platform()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(platform))
    server.daemon_threads = True
    platform.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    keys.signing_key()
    platform.tool_jwks = keys.jwks()
    yield platform
    server.shutdown()
    server.server_close()


@pytest.fixture
def registration(platform, db):
    registration = LtiRegistration.objects.create(
        name="Riverside Hospital Canvas",
        issuer=ISSUER,
        client_id=CLIENT_ID,
        auth_url=f"{platform.base}/auth",
        token_url=f"{platform.base}/token",
        keyset_url=f"{platform.base}/jwks",
    )
    LtiDeployment.objects.create(
        registration=registration, deployment_id=DEPLOYMENT_ID, is_active=True
    )
    return registration


def unique_hint() -> str:
    return uuid.uuid4().hex
