package emulator

// Description is what `aadx emulator --json` prints once listening (DESIGN.md §3): enough for any client to
// point at the emulator.
type Description struct {
	Authority    string `json:"authority"`
	TenantID     string `json:"tenant_id"`
	TenantDomain string `json:"tenant_domain"`
	CAFile       string `json:"ca_file,omitempty"`
	APIURL       string `json:"api_url"`   // the demo API's protected endpoint (GET with a token for the api app)
	GraphURL     string `json:"graph_url"` // the Graph-shaped API's base, as https://graph.microsoft.com/v1.0
	Users        []User `json:"users"`
	Apps         Apps   `json:"apps"`
	// Secretless credentials: managed identity endpoints and workload identity federation.
	ManagedIdentity  ManagedIdentities `json:"managed_identity"`
	WorkloadIdentity WorkloadIdentity  `json:"workload_identity"`
}

// User is a demo user's sign-in.
type User struct {
	Username string `json:"username"`
	Password string `json:"password"`
	OID      string `json:"oid"`
	Name     string `json:"name,omitempty"`
	Note     string `json:"note,omitempty"`
}

// App is what a client needs to use one demo application.
type App struct {
	ClientID     string `json:"client_id,omitempty"`
	ClientSecret string `json:"client_secret,omitempty"`
	RedirectURI  string `json:"redirect_uri,omitempty"`
	CertFile     string `json:"cert_file,omitempty"` // PEM: certificate and private key (0600)
	Scope        string `json:"scope,omitempty"`
	CertPEM      []byte `json:"-"` // the same PEM, for in-process use
}

// Apps are the demo tenant's applications.
type Apps struct {
	Web        App `json:"web"`
	SPA        App `json:"spa"`
	Public     App `json:"public"`
	Daemon     App `json:"daemon"`
	API        App `json:"api"`
	Downstream App `json:"downstream"`
}

// describe builds the Description; certFile and certPEM are the daemon's credential.
func (t *tenant) describe(authority, caFile, certFile string, certPEM []byte) Description {
	d := Description{Authority: authority, TenantID: t.ID, TenantDomain: t.Domain, CAFile: caFile,
		APIURL: authority + APIPath, GraphURL: authority + GraphPath}
	for _, u := range t.Users {
		d.Users = append(d.Users, User{Username: u.Username, Password: u.Password, OID: u.OID, Name: u.Name, Note: u.Note})
	}
	web, spa, public := t.appByID(webClientID), t.appByID(spaClientID), t.appByID(publicClientID)
	daemon, api := t.appByID(daemonClientID), t.appByID(apiClientID)
	d.Apps = Apps{
		Web:    App{ClientID: web.ClientID, ClientSecret: web.Secret, RedirectURI: web.Redirects[0].URI},
		SPA:    App{ClientID: spa.ClientID, RedirectURI: spa.Redirects[0].URI},
		Public: App{ClientID: public.ClientID, RedirectURI: public.Redirects[0].URI},
		Daemon: App{ClientID: daemon.ClientID, ClientSecret: daemon.Secret, CertFile: certFile, CertPEM: certPEM,
			Scope: api.Resource.URI + "/.default"},
		API:        App{ClientID: api.ClientID, ClientSecret: api.Secret, Scope: api.Resource.URI + "/access_as_user"},
		Downstream: App{Scope: "api://" + downstreamClientID + "/.default"},
	}
	return d
}
