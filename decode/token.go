package decode

// Kind is a guess at what a token is for, from its claims; it is a reading aid, never a security decision.
type Kind string

// Kinds of token.
const (
	KindAccess    Kind = "access"
	KindID        Kind = "id"
	KindAssertion Kind = "assertion" // a client assertion (private_key_jwt, RFC 7523 §2.2)
	KindUnknown   Kind = "unknown"
)

// Token is a decoded, UNVERIFIED token. Nothing in it may be trusted until [Verify] says the signature is
// valid and the claims were checked.
type Token struct {
	Raw       string // the compact token as given, surrounding whitespace and a "Bearer " prefix removed
	Header    Fields // JOSE header, in original order
	Claims    Fields // payload claims, in original order; empty for an encrypted token
	Kind      Kind
	Encrypted bool   // a five-part JWE (RFC 7516): only the header can be read without the key
	Padded    bool   // some segment carried '=' padding, which compact JWS forbids (RFC 7515 §2)
	Signature []byte // the decoded signature; secret-adjacent for assertions, never display it
}

// Alg returns the header's alg parameter.
func (t *Token) Alg() string {
	alg, _ := t.Header.String("alg")
	return alg
}

// KeyID returns the header's kid parameter.
func (t *Token) KeyID() string {
	kid, _ := t.Header.String("kid")
	return kid
}

// Redacted returns the token with its signature replaced, safe for logs and exports: for a client assertion
// the signature is the credential itself.
func (t *Token) Redacted() string {
	i := len(t.Raw)
	for j := len(t.Raw) - 1; j >= 0; j-- {
		if t.Raw[j] == '.' {
			i = j
			break
		}
	}
	if t.Encrypted {
		return t.Raw // a JWE reveals nothing without its key
	}
	return t.Raw[:i] + ".REDACTED"
}

// guessKind reads the claims the way a person would: scopes and the client id mean an access token, a nonce
// or OIDC hashes mean an ID token, iss = sub with a token-endpoint audience means a client assertion.
func guessKind(h, c Fields) Kind {
	if typ, _ := h.String("typ"); typ == "at+jwt" || typ == "application/at+jwt" {
		return KindAccess // RFC 9068 §2.1
	}
	iss, _ := c.String("iss")
	sub, _ := c.String("sub")
	if iss != "" && iss == sub && c.Has("jti") && !c.Has("tid") {
		return KindAssertion
	}
	for _, name := range []string{"scp", "azp", "appid", "azpacr", "appidacr", "wids"} {
		if c.Has(name) {
			return KindAccess
		}
	}
	for _, name := range []string{"nonce", "at_hash", "c_hash", "auth_time"} {
		if c.Has(name) {
			return KindID
		}
	}
	if c.Has("roles") && c.Has("oid") {
		return KindAccess // app-only tokens carry roles but no scp
	}
	return KindUnknown
}
