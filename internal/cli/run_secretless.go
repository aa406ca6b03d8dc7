package cli

import (
	"errors"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/aadx/aadx/flows"
	"github.com/aadx/aadx/internal/demo"
)

// secretlessFlags are `aadx run`'s flags for the managed-identity and workload-identity flows. Where a flag is
// not given, the environment fills it the way Azure's SDKs read it: IDENTITY_ENDPOINT and IDENTITY_HEADER
// (App Service, Functions), AZURE_FEDERATED_TOKEN_FILE (Kubernetes workload identity), and GitHub Actions'
// ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN.
type secretlessFlags struct {
	miSource, miEndpoint, identityHeader, resource string
	miClientID, miObjectID, miResourceID           string
	miAPIVersion                                   string
	tokenFile, tokenURL, audience                  string
	ficIssuer, ficSubject, ficAudience             string
	externalIssuer                                 string
}

func (f *secretlessFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.miSource, "mi-source", "", "managed identity: imds or app-service (default: app-service when IDENTITY_ENDPOINT and IDENTITY_HEADER are set)")
	fs.StringVar(&f.miEndpoint, "mi-endpoint", "", "managed identity: token URL (default IDENTITY_ENDPOINT, else "+flows.IMDSEndpoint+")")
	fs.StringVar(&f.identityHeader, "identity-header", "", "managed identity: App Service's IDENTITY_HEADER (avoid: prefer the variable)")
	fs.StringVar(&f.resource, "resource", "", "managed identity: the resource (App ID URI) the token is for (default "+flows.DefaultMIResource+")")
	fs.StringVar(&f.miClientID, "mi-client-id", "", "managed identity: a user-assigned identity's client ID")
	fs.StringVar(&f.miObjectID, "mi-object-id", "", "managed identity: a user-assigned identity's object (principal) ID")
	fs.StringVar(&f.miResourceID, "mi-resource-id", "", "managed identity: a user-assigned identity's Azure resource ID")
	fs.StringVar(&f.miAPIVersion, "mi-api-version", "", "managed identity: api-version (default 2018-02-01 for IMDS, 2019-08-01 for App Service)")
	fs.StringVar(&f.tokenFile, "federated-token-file", "", "workload identity: file with the external token, - for stdin (default AZURE_FEDERATED_TOKEN_FILE)")
	fs.StringVar(&f.tokenURL, "federated-token-url", "", "workload identity: an issuer URL answering {\"value\": token} (default ACTIONS_ID_TOKEN_REQUEST_URL)")
	fs.StringVar(&f.audience, "audience", "", "workload identity: audience asked of --federated-token-url (default "+flows.FederatedAudience+")")
	fs.StringVar(&f.ficIssuer, "fic-issuer", "", "workload identity: the federated credential's issuer, compared with the token before sending")
	fs.StringVar(&f.ficSubject, "fic-subject", "", "workload identity: the federated credential's subject, compared with the token before sending")
	fs.StringVar(&f.ficAudience, "fic-audience", "", "workload identity: the federated credential's audience (default "+flows.FederatedAudience+")")
	fs.StringVar(&f.externalIssuer, "external-issuer", "", "with --demo, workload identity: the emulator's issuer the token comes from: github or kubernetes")
}

// apply fills the secretless settings of s from the flags, then the environment.
func (f *secretlessFlags) apply(cmd *cobra.Command, s *flows.Settings) error {
	m := &s.ManagedIdentity
	endpoint, header := os.Getenv("IDENTITY_ENDPOINT"), os.Getenv("IDENTITY_HEADER")
	if f.miSource != "" {
		src, err := flows.ParseMISource(f.miSource)
		if err != nil {
			return usageErrorf("--%s", err.Error())
		}
		m.Source = src
	} else if m.Source == "" && endpoint != "" && header != "" {
		m.Source = flows.MISourceAppService // as MSAL Go's GetSource picks App Service
	}
	if m.Source == flows.MISourceAppService {
		m.Endpoint, m.IdentityHeader = firstNonEmpty(f.miEndpoint, m.Endpoint, endpoint), firstNonEmpty(f.identityHeader, m.IdentityHeader, header)
	} else {
		m.Endpoint = firstNonEmpty(f.miEndpoint, m.Endpoint)
	}
	if f.identityHeader != "" {
		newTracer(cmd.ErrOrStderr()).warn("--identity-header is visible to other users of this machine; App Service sets IDENTITY_HEADER for you")
	}
	m.Resource = firstNonEmpty(f.resource, m.Resource)
	m.ClientID = firstNonEmpty(f.miClientID, m.ClientID)
	m.ObjectID, m.ResourceID, m.APIVersion = firstNonEmpty(f.miObjectID, m.ObjectID), firstNonEmpty(f.miResourceID, m.ResourceID), firstNonEmpty(f.miAPIVersion, m.APIVersion)

	w := &s.Workload
	if err := f.readToken(cmd, w); err != nil {
		return err
	}
	w.Audience = firstNonEmpty(f.audience, w.Audience)
	if f.ficIssuer != "" || f.ficSubject != "" || f.ficAudience != "" {
		c := flows.FederatedCredential{Name: "given", Issuer: f.ficIssuer, Subject: f.ficSubject, Audience: f.ficAudience}
		if len(w.Credentials) > 0 { // a flag corrects one field of the credential the demo tenant has
			best := w.Credentials[0]
			for _, k := range w.Credentials {
				if k.Issuer == f.ficIssuer || k.Subject == f.ficSubject {
					best = k
				}
			}
			c = flows.FederatedCredential{Name: "given", Issuer: firstNonEmpty(f.ficIssuer, best.Issuer),
				Subject: firstNonEmpty(f.ficSubject, best.Subject), Audience: firstNonEmpty(f.ficAudience, best.Audience)}
		}
		w.Credentials = []flows.FederatedCredential{c}
	}
	return nil
}

// readToken takes the external token from --federated-token-file (or stdin), --federated-token-url, or, as
// azidentity does, AZURE_FEDERATED_TOKEN_FILE, then GitHub Actions' token request variables.
func (f *secretlessFlags) readToken(cmd *cobra.Command, w *flows.WorkloadSettings) error {
	file := f.tokenFile
	if file == "" && f.tokenURL == "" && w.TokenURL == "" {
		file = os.Getenv("AZURE_FEDERATED_TOKEN_FILE")
	}
	switch {
	case file == "-":
		v, err := readLimited(cmd.InOrStdin(), 64<<10)
		if errors.Is(err, errTooLong) {
			return usageErrorf("--federated-token-file -: stdin %v; pipe in the token alone", err)
		}
		if err != nil || strings.TrimSpace(v) == "" {
			return usageErrorf("--federated-token-file -: nothing could be read from stdin; pipe the token in")
		}
		w.Token, w.TokenURL = strings.TrimSpace(v), ""
	case file != "":
		b, err := readLimitedFile(file)
		if err != nil {
			return usageErrorf("--federated-token-file %s: %v", file, err)
		}
		// azidentity sends the file verbatim; a trailing newline is the one thing editors add, so it goes.
		w.Token, w.TokenURL = strings.TrimSpace(string(b)), ""
	case f.tokenURL != "":
		w.TokenURL = f.tokenURL
	case w.TokenURL == "" && os.Getenv("ACTIONS_ID_TOKEN_REQUEST_URL") != "":
		w.TokenURL, w.TokenRequestToken = os.Getenv("ACTIONS_ID_TOKEN_REQUEST_URL"), os.Getenv("ACTIONS_ID_TOKEN_REQUEST_TOKEN")
	}
	return nil
}

// demoOptions are the choices among the demo tenant's secretless endpoints.
func (f *secretlessFlags) demoOptions(o *demo.Options) error {
	if f.miSource != "" {
		src, err := flows.ParseMISource(f.miSource)
		if err != nil {
			return usageErrorf("--%s", err.Error())
		}
		o.MISource = src
	}
	switch strings.ToLower(f.externalIssuer) {
	case "", demo.IssuerGitHub:
		o.ExternalIssuer = demo.IssuerGitHub
	case demo.IssuerKubernetes, "k8s", "aks":
		o.ExternalIssuer = demo.IssuerKubernetes
	default:
		return usageErrorf("--external-issuer %q is not one of the emulator's issuers: use github or kubernetes", f.externalIssuer)
	}
	return nil
}
