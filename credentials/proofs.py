"""Securing a credential, two ways, with the platform's Ed25519 keys.

- Embedded proof: a W3C Data Integrity proof with the ``eddsa-jcs-2022`` cryptosuite (Data
  Integrity EdDSA Cryptosuites v1.0). It canonicalizes with JCS (RFC 8785) rather than RDF
  (``eddsa-rdfc-2022``): RDF canonicalization must resolve every JSON-LD context at signing and at
  verifying, which an offline verifier cannot do without a copy of each; JCS needs nothing but
  the file, and the suite is the same W3C Recommendation, with the same keys.
- Enveloping proof: a compact JWS (``application/vc+jwt``, VC-JOSE-COSE) with ``alg: EdDSA``
  whose ``kid`` is the URL of the published key (also listed in the JWKS).
"""

import copy
import hashlib
import warnings

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, OKPKey
from joserfc.jws import extract_compact
from joserfc.util import to_bytes

from credentials.keys import SigningKey, base58btc_decode, base58btc_encode

CRYPTOSUITE = "eddsa-jcs-2022"
JWT_ALGORITHM = "EdDSA"
JWT_TYPE = "vc+jwt"


class ProofError(Exception):
    """The proof is missing, malformed, made with another suite, or does not match."""


def _hash_data(document: dict, proof_config: dict) -> bytes:
    return (
        hashlib.sha256(rfc8785.dumps(proof_config)).digest()
        + hashlib.sha256(rfc8785.dumps(document)).digest()
    )


def add_data_integrity_proof(
    document: dict, *, key: SigningKey, verification_method: str, created: str
) -> dict:
    """The document with an ``eddsa-jcs-2022`` proof (the suite's "Create Proof" algorithm)."""
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    proof_config = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
        "@context": unsecured["@context"],
    }
    signature = key.private.sign(_hash_data(unsecured, proof_config))
    proof = {k: v for k, v in proof_config.items() if k != "@context"}
    proof["proofValue"] = "z" + base58btc_encode(signature)
    return {**unsecured, "proof": proof}


def data_integrity_proof(document: dict) -> dict:
    """The single proof of a secured document, checked for shape (not yet for signature)."""
    proof = document.get("proof")
    if isinstance(proof, list) and len(proof) == 1:
        proof = proof[0]
    if not isinstance(proof, dict):
        raise ProofError("The credential carries no proof.")
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError("The proof is not an eddsa-jcs-2022 Data Integrity proof.")
    if proof.get("proofPurpose") != "assertionMethod":
        raise ProofError("The proof is not an assertion proof.")
    for name in ("verificationMethod", "proofValue", "created"):
        if not isinstance(proof.get(name), str):
            raise ProofError(f"The proof has no {name}.")
    return proof


def verify_data_integrity_proof(document: dict, public_key: Ed25519PublicKey) -> None:
    """Raise ProofError unless the proof was made over exactly this document by this key."""
    proof = data_integrity_proof(document)
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    proof_config = {k: v for k, v in proof.items() if k != "proofValue"}
    if "@context" in proof_config and proof_config["@context"] != unsecured.get("@context"):
        raise ProofError("The proof's context differs from the credential's.")
    proof_config["@context"] = unsecured.get("@context")
    value = proof["proofValue"]
    try:
        if not value.startswith("z"):
            raise ValueError("not base58btc multibase")
        signature = base58btc_decode(value[1:])
        public_key.verify(signature, _hash_data(unsecured, proof_config))
    except (ValueError, InvalidSignature, rfc8785.CanonicalizationError) as error:
        raise ProofError("The signature does not match the credential.") from error


def _okp(key_material, kid: str) -> OKPKey:
    return OKPKey.import_key(key_material, parameters={"kid": kid})


def encode_jwt(credential: dict, *, key: SigningKey, kid_url: str, claims: dict) -> str:
    """The credential as a compact JWS: payload = the credential plus JWT registered claims."""
    header = {"alg": JWT_ALGORITHM, "kid": kid_url, "typ": JWT_TYPE, "cty": "vc"}
    payload = {**copy.deepcopy(credential), **claims}
    with warnings.catch_warnings():
        # RFC 9864 prefers "Ed25519"; Open Badges verifiers and wallets expect "EdDSA".
        warnings.simplefilter("ignore")
        return jwt.encode(header, payload, _okp(key.private, kid_url), algorithms=[JWT_ALGORITHM])


def jwt_header(token: str) -> dict:
    try:
        return extract_compact(to_bytes(token)).protected
    except (JoseError, ValueError, TypeError) as error:
        raise ProofError("That is not a compact JWT.") from error


def decode_jwt(token: str, public_keys: dict[str, Ed25519PublicKey]) -> dict:
    """The verified payload; ``public_keys`` maps the ``kid`` URL of each known key to the key."""
    header = jwt_header(token)
    if header.get("alg") != JWT_ALGORITHM:
        raise ProofError("The JWT is not signed with EdDSA.")
    public = public_keys.get(header.get("kid"))
    if public is None:
        raise ProofError("The JWT was not signed with one of our published keys.")
    key_set = KeySet([_okp(public, header["kid"])])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            token_object = jwt.decode(token, key_set, algorithms=[JWT_ALGORITHM])
    except (JoseError, ValueError, TypeError) as error:
        raise ProofError("The signature does not match the credential.") from error
    if not isinstance(token_object.claims, dict):
        raise ProofError("The JWT holds no credential.")
    return token_object.claims
