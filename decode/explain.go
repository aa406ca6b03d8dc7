package decode

import (
	"fmt"
	"strings"
	"time"
)

// Explained is one header parameter or claim with its explanation.
type Explained struct {
	Part  string // "header" or "claims"
	Name  string
	Value string // the value as compact text, for display
	Text  string // what the name means, and what this value means
	Known bool   // the name is in the catalogue
}

// ExplainOption changes what Explain says.
type ExplainOption func(*explainConfig)

type explainConfig struct{ now time.Time }

// WithNow makes time claims also say how long ago or from now they are.
func WithNow(now time.Time) ExplainOption { return func(c *explainConfig) { c.now = now } }

// Explain explains every header parameter and claim of t, in the token's order: what the name means and,
// for claims whose value carries meaning (azpacr, ver, idtyp, amr, scp, roles, wids, tid, ...), what this
// value says.
func Explain(t *Token, opts ...ExplainOption) []Explained {
	var cfg explainConfig
	for _, o := range opts {
		o(&cfg)
	}
	out := make([]Explained, 0, len(t.Header)+len(t.Claims))
	for _, f := range t.Header {
		text, known := headerCatalogue[f.Name]
		out = append(out, Explained{Part: "header", Name: f.Name, Value: display(f.Value), Text: orUnknown(text, known, "header parameter"), Known: known})
	}
	for _, f := range t.Claims {
		text, known := claimCatalogue[f.Name]
		text = orUnknown(text, known, "claim")
		if detail := explainValue(t, f.Name, cfg); detail != "" {
			text += " " + detail
		}
		out = append(out, Explained{Part: "claims", Name: f.Name, Value: display(f.Value), Text: text, Known: known})
	}
	return out
}

func orUnknown(text string, known bool, what string) string {
	if known {
		return text
	}
	return "Not in the catalogue: a custom or undocumented " + what + "."
}

// display renders a raw JSON value as text: strings without quotes, everything else as compact JSON.
func display(raw []byte) string {
	if s, ok := jsonString(raw); ok {
		return s
	}
	return string(raw)
}

// isGUID reports whether s has the 8-4-4-4-12 hex form of a GUID (no regexp: it would be compiled at
// start-up by every aadx command).
func isGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range []byte(s) {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// explainValue says what a claim's value means; "" when the value says nothing beyond the catalogue.
func explainValue(t *Token, name string, cfg explainConfig) string {
	c := t.Claims
	str, _ := c.String(name)
	switch name {
	case "azpacr", "appidacr":
		return clientAuthMethod(str)
	case "ver":
		switch str {
		case "1.0":
			return "1.0: the v1 format, chosen by the resource (its manifest's accessTokenAcceptedVersion is null or 1), not by the endpoint the client used. v1 uses appid, upn and unique_name, and an issuer on sts.windows.net."
		case "2.0":
			return "2.0: the v2 format (azp, preferred_username, issuer on login.microsoftonline.com/{tid}/v2.0)."
		}
	case "idtyp":
		switch str {
		case "app":
			return "app: an app-only token (client credentials): no user is involved."
		case "user":
			return "user: a user is involved (delegated)."
		case "device":
			return "device: issued to a device."
		}
	case "amr":
		return listMeanings(c.Strings("amr"), amrMethods, "method")
	case "acr":
		switch str {
		case "0":
			return "0: the sign-in did not meet ISO/IEC 29115 requirements."
		case "1":
			return "1: the sign-in met ISO/IEC 29115 requirements."
		}
		if str != "" {
			return str + ": in Azure AD B2C this is the name of the user flow or policy."
		}
	case "scp":
		if str != "" {
			n := len(strings.Fields(str))
			return fmt.Sprintf("This is a delegated token: the app acts for a signed-in user with %d scope(s): %s.", n, strings.Join(strings.Fields(str), ", "))
		}
	case "roles":
		roles := c.Strings("roles")
		if c.Has("scp") {
			return fmt.Sprintf("With scp present, these are app roles assigned to the user: %s.", strings.Join(roles, ", "))
		}
		if t.Kind == KindID {
			return fmt.Sprintf("In an ID token these are app roles assigned to the user: %s.", strings.Join(roles, ", "))
		}
		return fmt.Sprintf("No scp: an app-only token, so these are application permissions: %s.", strings.Join(roles, ", "))
	case "wids":
		return listMeanings(c.Strings("wids"), builtinRoles, "role")
	case "tid":
		if str == consumerTenant {
			return "This is the consumer tenant: the user signed in with a personal Microsoft account (outlook.com, live.com), not a work or school account."
		}
		if str != "" && !isGUID(str) {
			return "This is not a GUID, which a real Entra tenant ID always is."
		}
	case "aud", "appid", "azp":
		if name, ok := wellKnownApps[str]; ok {
			return "This value is " + name + "."
		}
		if name == "aud" && t.Kind == KindAssertion {
			return "In a client assertion it must be the token endpoint of the tenant."
		}
	case "iss":
		return issuerKind(t, str)
	case "idp":
		if str == "live.com" || strings.Contains(str, consumerTenant) {
			return "This is the personal Microsoft account provider: a consumer account, here as a guest or in a multi-tenant app."
		}
	case "groups":
		return fmt.Sprintf("%d group(s). Tokens carry at most 200 (JWT); beyond that Entra sends an overage pointer instead.", len(c.Strings("groups")))
	case "_claim_names":
		var names []string
		for _, f := range mustObject(c, "_claim_names") {
			names = append(names, f.Name)
		}
		if len(names) > 0 {
			return "Left out: " + strings.Join(names, ", ") + ". For groups this is the overage case: ask Microsoft Graph (/me/memberOf or /users/{oid}/getMemberObjects) instead of the URL in _claim_sources, which may point at the retired Azure AD Graph."
		}
	case "xms_cc":
		for _, v := range c.Strings("xms_cc") {
			if v == "cp1" {
				return "cp1: the client handles claims challenges, so resources may send it Continuous Access Evaluation challenges and Entra may issue longer-lived tokens."
			}
		}
	case "acrs":
		if v := c.Strings("acrs"); len(v) > 0 {
			return "Satisfied: " + strings.Join(v, ", ") + ". An API can require one of these (c1..c99) for sensitive operations and send a claims challenge when it is missing."
		}
	case "iat", "nbf", "exp", "auth_time", "pwd_exp", "updated_at", "xms_tcdt":
		if v, ok := c.Number(name); ok && name != "pwd_exp" {
			at := time.Unix(int64(v), 0).UTC()
			s := at.Format(time.RFC3339)
			if !cfg.now.IsZero() {
				s += " (" + relative(at.Sub(cfg.now)) + ")"
			}
			return s + "."
		}
	}
	return ""
}

// issuerKind says which Microsoft identity service an issuer URL belongs to.
func issuerKind(t *Token, iss string) string {
	switch {
	case t.Kind == KindAssertion:
		return "In a client assertion it is the client ID, and must equal sub."
	case strings.HasPrefix(iss, "https://sts.windows.net/"):
		return "This is the v1 issuer form."
	case strings.Contains(iss, ".b2clogin.com/"):
		return "This is an Azure AD B2C issuer."
	case strings.Contains(iss, ".ciamlogin.com/"):
		return "This is a Microsoft Entra External ID (customer tenant) issuer."
	case strings.Contains(iss, consumerTenant):
		return "This is the issuer of personal Microsoft accounts."
	case strings.HasSuffix(iss, "/v2.0"):
		return "This is the v2 issuer form."
	}
	return ""
}

// clientAuthMethod explains azpacr/appidacr values.
func clientAuthMethod(v string) string {
	switch v {
	case "0":
		return "0: a public client (no secret or certificate: a desktop, mobile or single-page app)."
	case "1":
		return "1: a confidential client that used a client secret."
	case "2":
		return "2: a confidential client that used a certificate (or a federated credential)."
	}
	return ""
}

func listMeanings(values []string, meanings map[string]string, what string) string {
	if len(values) == 0 {
		return ""
	}
	parts := make([]string, 0, len(values))
	for _, v := range values {
		if m, ok := meanings[v]; ok {
			parts = append(parts, v+" = "+m)
		} else {
			parts = append(parts, v+" = (not one of the common "+what+"s aadx names)")
		}
	}
	return strings.Join(parts, "; ") + "."
}

func mustObject(c Fields, name string) Fields {
	raw, ok := c.Get(name)
	if !ok {
		return nil
	}
	fs, err := parseObject(raw)
	if err != nil {
		return nil
	}
	return fs
}
