package decode

import (
	"slices"
	"strings"
)

// scpOrRoles is Microsoft.Identity.Web's OnTokenValidated rule: a token with neither scp nor roles is refused.
func (c checker) scpOrRoles() Check {
	if c.t.Claims.Has("scp") || c.t.Claims.Has("roles") || c.t.Claims.Has("scope") || c.t.Claims.Has("role") {
		return pass(RuleScpOrRoles, "the token carries "+c.permissionsText())
	}
	fix := "Entra puts scp in a delegated token only for scopes the API exposes, and roles in an app-only token only for app roles granted to the caller. Expose a scope (Expose an API) and have the client request it, or define an app role and grant it to the calling app (API permissions → Application permissions → admin consent)."
	if c.t.Kind == KindID {
		fix = "This is an ID token: it tells the client who signed in and is not meant for APIs. Send the access token from the same response, requested for the API's scope."
	}
	return fail(RuleScpOrRoles, 401, "IDW10201", "IDW10201: Neither scope nor roles claim was found in the bearer token. Authentication scheme used: 'Bearer'. ", fix)
}

// permission applies [RequiredScope] / [RequiredScopeOrAppPermission]: any one listed scope or role.
func (c checker) permission() Check {
	scopes := strings.Fields(c.stringClaim("scp"))
	roles := c.t.Claims.Strings("roles")
	for _, s := range c.api.Scopes {
		if slices.Contains(scopes, s) {
			return pass(RulePermission, "scp contains "+s)
		}
	}
	for _, r := range c.api.Roles {
		if slices.Contains(roles, r) {
			return pass(RulePermission, "roles contains "+r)
		}
	}
	if len(c.api.Scopes) > 0 {
		msg := "IDW10203: The 'scope' or 'scp' claim does not contain scopes '" + strings.Join(c.api.Scopes, ",") + "' or was not found. "
		if len(c.api.Roles) > 0 {
			msg += "Nor does the 'roles' claim contain roles '" + strings.Join(c.api.Roles, ",") + "'."
		}
		return fail(RulePermission, 403, "403", msg, c.scopeFix(scopes))
	}
	return fail(RulePermission, 403, "403", "IDW10202: The 'roles' or 'role' claim does not contain roles '"+strings.Join(c.api.Roles, ",")+"' or was not found. ", c.roleFix(roles))
}

func (c checker) scopeFix(scopes []string) string {
	if c.appOnly() {
		fix := "This is an app-only token (client credentials): it never carries scp, only the app roles granted to the app"
		if len(c.api.Roles) == 0 {
			return fix + ". Define an app role on the API, grant it to the calling app (API permissions → Application permissions → admin consent), and have the API accept that role ([RequiredScopeOrAppPermission])."
		}
		return fix + ". Grant the app one of the roles " + strings.Join(c.api.Roles, ", ") + " (API permissions → Application permissions → Grant admin consent) and get a new token."
	}
	have := "no scopes"
	if len(scopes) > 0 {
		have = "scp " + strings.Join(scopes, " ")
	}
	return "The token carries " + have + "; the API requires one of " + strings.Join(c.api.Scopes, ", ") + ". The client must request it (scope api://<API>/" + c.api.Scopes[0] + "), the user or an admin must consent to it, and the API must expose it (Expose an API → Add a scope). Scopes consented later need a new token."
}

func (c checker) roleFix(roles []string) string {
	have := "no roles"
	if len(roles) > 0 {
		have = "roles " + strings.Join(roles, ", ")
	}
	if c.appOnly() {
		return "The token carries " + have + "; the API requires one of " + strings.Join(c.api.Roles, ", ") + ". Add that application permission to the calling app (API permissions → Add a permission → My APIs → Application permissions), grant admin consent, then get a new token: roles are fixed when the token is issued."
	}
	return "The token carries " + have + "; the API requires one of " + strings.Join(c.api.Roles, ", ") + ". Assign the user (or a group) to that app role on the API's enterprise application (Users and groups → Add user/group), then sign in again."
}

// group applies a policy on the groups claim. With group overage (more groups than a token carries) the
// claim is replaced by _claim_names/_claim_sources, and an API that reads only the claim refuses a member.
func (c checker) group() Check {
	groups := c.t.Claims.Strings("groups")
	for _, g := range c.api.Groups {
		for _, have := range groups {
			if strings.EqualFold(g, have) {
				return pass(RuleGroup, "groups contains "+g)
			}
		}
	}
	msg := "The groups claim does not contain any of '" + strings.Join(c.api.Groups, ", ") + "'."
	names := mustObject(c.t.Claims, "_claim_names")
	overage := names.Has("groups")
	if b, ok := c.t.Claims.Get("hasgroups"); ok && string(b) == "true" {
		overage = true
	}
	switch {
	case overage:
		return fail(RuleGroup, 403, "403", msg+" The token has no groups claim: group overage (_claim_names/_claim_sources).",
			"The user is in more groups than a token carries (200 in a JWT), so Entra left the groups out and points to a lookup instead. The API must resolve membership itself: POST https://graph.microsoft.com/v1.0/me/getMemberObjects (or checkMemberGroups with these group IDs) on-behalf-of the user — Microsoft.Identity.Web can do it — or emit only the groups assigned to the application (groupMembershipClaims ApplicationGroup), or authorize with app roles instead of groups.")
	case !c.t.Claims.Has("groups"):
		return fail(RuleGroup, 403, "403", msg+" The token carries no groups claim.",
			"Entra emits groups only when the API's app registration asks for them: Token configuration → Add groups claim (groupMembershipClaims in the manifest: SecurityGroup, or ApplicationGroup for the groups assigned to the app).")
	}
	return fail(RuleGroup, 403, "403", msg, "The user is not a member of the group the API requires: add them (directly; nested groups are emitted transitively only for security groups), sign in again for a new token.")
}

// clientApp checks the calling application against the API's allow list (azp in v2, appid in v1).
func (c checker) clientApp() Check {
	id := c.clientAppID()
	claim := "azp"
	if !c.t.Claims.Has("azp") {
		claim = "appid"
	}
	for _, allowed := range c.api.ClientApps {
		if strings.EqualFold(allowed, id) {
			return pass(RuleClientApp, claim+" "+id+" is an allowed client application")
		}
	}
	if id == "" {
		return fail(RuleClientApp, 403, "403", "The token names no calling application (neither azp nor appid).",
			"Only access tokens name the calling application: send an access token issued for the API.")
	}
	return fail(RuleClientApp, 403, "403", "The calling application "+claim+" '"+id+"' is not one of the API's allowed client applications ('"+strings.Join(c.api.ClientApps, ", ")+"').",
		"Add "+id+" to the API's allowed client applications if it may call. To enforce the same in Entra, turn on Assignment required on the API's enterprise application and assign the client app an app role; pre-authorizing a client (Expose an API → Authorized client applications) only skips consent.")
}

func (c checker) stringClaim(name string) string {
	s, _ := c.t.Claims.String(name)
	return s
}

func (c checker) permissionsText() string {
	var parts []string
	if scp := c.stringClaim("scp"); scp != "" {
		parts = append(parts, "scp "+scp)
	}
	if roles := c.t.Claims.Strings("roles"); len(roles) > 0 {
		parts = append(parts, "roles "+strings.Join(roles, ", "))
	}
	if len(parts) == 0 {
		return "scp or roles"
	}
	return strings.Join(parts, " and ")
}

// challenge is the WWW-Authenticate header JwtBearer sends for this failure (reference §3.7): the
// exception's description, or none (e.g. IDW10201).
func (c Check) challenge() string {
	if c.desc == "" {
		return `Bearer error="invalid_token"`
	}
	return `Bearer error="invalid_token", error_description="` + c.desc + `"`
}
