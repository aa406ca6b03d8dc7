package emulator

import (
	"fmt"
	"strings"
)

// The demo tenant: fictional names and GUIDs, fixed so that documentation and profiles stay valid across runs.
const (
	demoTenantID     = "7c1e5a9d-3b2f-4e86-9d41-6a0b2c8f5e13"
	demoTenantDomain = "aadxdemo.onmicrosoft.com"
	demoTenantName   = "aadx Demo"
	consumersTenant  = "9188040d-6c67-4c5b-b112-36a304b66dad" // fixed MSA tenant [AT]
	graphAppID       = "00000003-0000-0000-c000-000000000000" // Microsoft Graph's well-known app id
	graphURI         = "https://graph.microsoft.com"
	overageGroups    = 250 // more than the 200 a JWT carries [ATC]
	groupClaimLimit  = 200
)

// user is a demo directory member.
type user struct {
	OID, Username, Password, Name, Note string
	MFA                                 bool     // a per-user MFA policy challenges this user
	Groups                              []string // group object ids
}

// redirectKind is the platform a redirect URI is registered under; it drives the SPA Origin rules.
type redirectKind int

const (
	redirectWeb redirectKind = iota
	redirectSPA
	redirectPublic
)

type redirect struct {
	URI  string
	Kind redirectKind
}

// resource is an API that tokens can be issued for.
type resource struct {
	AppID       string
	URI         string   // application ID URI, e.g. api://<id>
	Scopes      []string // delegated permissions it exposes
	Roles       []string // application permissions (app roles) it defines
	TokenV1     bool     // accessTokenAcceptedVersion null/1 (Graph) vs 2 [AT]
	GroupClaims bool     // groupMembershipClaims configured
}

// permission is an API permission configured on a client ("required resource access"): what .default means.
type permission struct {
	Resource  string // resource app id
	Delegated []string
	Roles     []string
}

// app is a registered application.
type app struct {
	ClientID, Name string
	Secret         string // empty for public clients
	Public         bool   // public client (no credential allowed)
	Redirects      []redirect
	Permissions    []permission
	Resource       *resource // set when the app exposes an API
}

type tenant struct {
	ID, Domain, Name string
	Users            []*user
	Apps             []*app
	Resources        []*resource
}

// Client ids of the demo applications.
const (
	webClientID        = "3f0c7d2e-8a14-4b6f-b5e9-1d2a7c4e9f30"
	spaClientID        = "9a6e1b4c-2d7f-4c83-8e15-7b3d0f6a2c91"
	publicClientID     = "c4d8a2f6-5e19-4b07-a3c6-8f1e2d9b7a45"
	daemonClientID     = "e2b7f4a9-6c3d-4f18-9b52-0a8d3c1e6f74"
	apiClientID        = "6b9d3e1f-4a27-4c5e-8f03-2e7a9b1d4c68"
	downstreamClientID = "d1a5c8e3-7f26-4b94-a0e7-5c3b8d2f1a96"
)

func newDemoTenant() *tenant {
	graph := &resource{AppID: graphAppID, URI: graphURI, TokenV1: true,
		Scopes: []string{"User.Read", "User.ReadBasic.All", "Mail.Read"}, Roles: []string{"User.Read.All"}}
	api := &resource{AppID: apiClientID, URI: "api://" + apiClientID, GroupClaims: true,
		Scopes: []string{"access_as_user", "Tasks.Read"}, Roles: []string{"Tasks.Read.All", "Tasks.ReadWrite.All"}}
	downstream := &resource{AppID: downstreamClientID, URI: "api://" + downstreamClientID,
		Scopes: []string{"Data.Read"}, Roles: []string{"Data.Read.All"}}
	userPerms := []permission{
		{Resource: graphAppID, Delegated: []string{"User.Read"}},
		{Resource: apiClientID, Delegated: []string{"access_as_user"}},
	}
	t := &tenant{ID: demoTenantID, Domain: demoTenantDomain, Name: demoTenantName,
		Resources: []*resource{graph, api, downstream}}
	t.Apps = []*app{
		{ClientID: webClientID, Name: "aadx demo web app", Secret: "web~Demo.Secret-4f7Q2xLk9pRt",
			Redirects: []redirect{{"http://localhost/callback", redirectWeb}}, Permissions: userPerms},
		{ClientID: spaClientID, Name: "aadx demo single-page app", Public: true,
			Redirects: []redirect{{"http://localhost/spa", redirectSPA}}, Permissions: userPerms},
		{ClientID: publicClientID, Name: "aadx demo desktop app", Public: true,
			Redirects: []redirect{{"http://localhost", redirectPublic}, {"http://127.0.0.1", redirectPublic},
				{"https://login.microsoftonline.com/common/oauth2/nativeclient", redirectPublic}},
			Permissions: userPerms},
		{ClientID: daemonClientID, Name: "aadx demo daemon", Secret: "daemon~Demo.Secret-8hN3vWq6sZc",
			Permissions: []permission{
				{Resource: apiClientID, Roles: []string{"Tasks.Read.All"}},
				{Resource: downstreamClientID, Roles: []string{"Data.Read.All"}},
				{Resource: graphAppID, Roles: []string{"User.Read.All"}},
			}},
		{ClientID: apiClientID, Name: "aadx demo middle-tier API", Secret: "api~Demo.Secret-2mB7kYp4dTg",
			Resource: api, Permissions: []permission{
				{Resource: downstreamClientID, Delegated: []string{"Data.Read"}},
				{Resource: graphAppID, Delegated: []string{"User.Read"}},
			}},
		{ClientID: downstreamClientID, Name: "aadx demo downstream API", Secret: "downstream~Demo.Secret-6rJ1cXe5", Resource: downstream},
		workloadApp(),
	}
	t.Users = []*user{
		{OID: "4a7d2c9e-1b36-4f58-8e0a-3c6f9b2d5e71", Username: "alex@" + demoTenantDomain, Password: "Alex-Demo-2026!",
			Name: "Alex Rivera", Note: "plain user", Groups: groupIDs(0x1a, 3)},
		{OID: "8e3b6f1a-5c72-4d09-b4e8-7a2d1c9f3b56", Username: "morgan@" + demoTenantDomain, Password: "Morgan-Demo-2026!",
			Name: "Morgan Lee", Note: "an MFA policy challenges this user", MFA: true, Groups: groupIDs(0x2b, 2)},
		{OID: "2c9f5a3d-8e61-4b27-9d14-6f0a3e8b1c92", Username: "sam@" + demoTenantDomain, Password: "Sam-Demo-2026!",
			Name: "Sam Patel", Note: "member of more groups than a token carries (overage)", Groups: groupIDs(0x3c, overageGroups)},
	}
	return t
}

// groupIDs makes n stable fictional group object ids.
func groupIDs(seed, n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("%08x-6a1e-4c3b-9f2d-%012x", seed<<24|i, i)
	}
	return ids
}

// isOwn reports whether a tenant path segment names the demo tenant (GUID or domain, case-insensitive).
func (t *tenant) isOwn(segment string) bool {
	return strings.EqualFold(segment, t.ID) || strings.EqualFold(segment, t.Domain)
}

func (t *tenant) appByID(id string) *app {
	for _, a := range t.Apps {
		if strings.EqualFold(a.ClientID, id) {
			return a
		}
	}
	return nil
}

func (t *tenant) userByName(name string) *user {
	for _, u := range t.Users {
		if strings.EqualFold(u.Username, name) {
			return u
		}
	}
	return nil
}

func (t *tenant) userByOID(oid string) *user {
	for _, u := range t.Users {
		if u.OID == oid {
			return u
		}
	}
	return nil
}

// resourceFor finds a resource by app id, application ID URI (case-insensitive, trailing slash tolerated).
func (t *tenant) resourceFor(id string) *resource {
	id = strings.TrimSuffix(id, "/")
	for _, r := range t.Resources {
		if strings.EqualFold(r.AppID, id) || strings.EqualFold(r.URI, id) {
			return r
		}
	}
	return nil
}

func (a *app) permissionFor(resourceID string) permission {
	for _, p := range a.Permissions {
		if p.Resource == resourceID {
			return p
		}
	}
	return permission{Resource: resourceID}
}

// redirectFor finds the registered redirect URI that uri matches (Entra rules, see redirectMatches).
func (a *app) redirectFor(uri string) (redirect, bool) {
	for _, r := range a.Redirects {
		if redirectMatches(r.URI, uri) {
			return r, true
		}
	}
	return redirect{}, false
}
