package emulator

import (
	"encoding/json"
	"net/http"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// The emulator hosts two external OpenID issuers, stand-ins for GitHub Actions and an AKS cluster: discovery,
// a JWKS and a token endpoint that mints subject tokens shaped like theirs [GH-OIDC], [K8S-SA]. Entra trusts them
// only through the workload app's federated credentials.

// secretlessState is what the managed identity and federation endpoints keep per server.
type secretlessState struct {
	identityHeader string // App Service's IDENTITY_HEADER for this run
	externalKey    func() (*externalKey, error)
}

// externalKey signs subject tokens; generated on first use so that a server that never mints pays nothing.
type externalKey struct {
	*rsaCert
	github, k8s jose.Signer
}

func newSecretlessState(keyCache string, now time.Time) *secretlessState {
	return &secretlessState{identityHeader: randomID(24), externalKey: sync.OnceValues(func() (*externalKey, error) {
		c, err := cachedRSACert(keyCache, "external-issuer", "aadx emulator external issuer", now)
		if err != nil {
			return nil, err
		}
		jwk := jose.JSONWebKey{Key: c.key, KeyID: c.x5t}
		// GitHub's header carries typ JWT, x5t and kid [GH-OIDC-REF]; a Kubernetes token's only alg and kid.
		gh, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jwk},
			(&jose.SignerOptions{}).WithType("JWT").WithHeader("x5t", c.x5t))
		if err != nil {
			return nil, err
		}
		k8s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jwk}, nil)
		if err != nil {
			return nil, err
		}
		return &externalKey{rsaCert: c, github: gh, k8s: k8s}, nil
	})}
}

// externalIssuer is one hosted issuer.
type externalIssuer struct {
	kind string // "github" or "kubernetes"
	path string // issuer path below the emulator's URL (the AKS one ends in "/")
}

var externalIssuers = []externalIssuer{{"github", githubIssuerPath}, {"kubernetes", k8sIssuerPath}}

// endpoint joins a path to an issuer the way its discovery document does (no double slash).
func (e externalIssuer) endpoint(base, rest string) string {
	p := e.path
	if p[len(p)-1] != '/' {
		p += "/"
	}
	return base + p + rest
}

func (s *Server) externalRoutes(mux *http.ServeMux) {
	for _, e := range externalIssuers {
		mux.HandleFunc("GET "+e.endpoint("", ".well-known/openid-configuration"), func(w http.ResponseWriter, r *http.Request) {
			s.serveExternalDiscovery(w, e)
		})
		mux.HandleFunc("GET "+e.endpoint("", ".well-known/jwks"), s.serveExternalJWKS)
		mux.HandleFunc("GET "+e.endpoint("", "token"), func(w http.ResponseWriter, r *http.Request) {
			s.serveMint(w, r, e)
		})
	}
}

func (s *Server) serveExternalDiscovery(w http.ResponseWriter, e externalIssuer) {
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer": s.url + e.path, "jwks_uri": e.endpoint(s.url, ".well-known/jwks"),
		"subject_types_supported": []string{"public"}, "response_types_supported": []string{"id_token"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"claims_supported":                      []string{"sub", "aud", "exp", "iat", "iss", "jti", "nbf"},
	})
}

func (s *Server) serveExternalJWKS(w http.ResponseWriter, _ *http.Request) {
	k, err := s.secretless.externalKey()
	if err != nil {
		http.Error(w, "key generation failed", http.StatusInternalServerError)
		return
	}
	pub := jose.JSONWebKey{Key: &k.key.PublicKey, KeyID: k.x5t, Algorithm: "RS256", Use: "sig"}
	writeJSON(w, http.StatusOK, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{pub}})
}

// mintResponse is GitHub's ID-token response shape: {"value": "<jwt>"}.
type mintResponse struct {
	Value string `json:"value"`
}

// serveMint mints a subject token. Query: audience (GitHub's default is the owner URL, as on GitHub; the
// Kubernetes default is api://AzureADTokenExchange, as Azure's webhook projects); GitHub: environment (default
// production; empty for none), ref, event; Kubernetes: namespace, serviceaccount. Scenarios bend the result.
func (s *Server) serveMint(w http.ResponseWriter, r *http.Request, e externalIssuer) {
	q := r.URL.Query()
	k, err := s.secretless.externalKey()
	if err != nil {
		http.Error(w, "key generation failed", http.StatusInternalServerError)
		return
	}
	now := s.now()
	var c map[string]any
	var signer jose.Signer
	if e.kind == "github" {
		c, signer = s.githubClaims(q.Get("audience"), q), k.github
	} else {
		c, signer = s.k8sClaims(q.Get("audience"), q), k.k8s
	}
	if s.scenarios.on(scenarioFICExpired) {
		now = now.Add(-2 * time.Hour) // minted long ago: expired an hour or more before it is presented
	}
	ttl := map[string]time.Duration{"github": 5 * time.Minute, "kubernetes": time.Hour}[e.kind]
	c["iat"], c["exp"], c["jti"] = now.Unix(), now.Add(ttl).Unix(), newGUID()
	c["nbf"] = now.Unix()
	if e.kind == "github" {
		c["nbf"] = now.Add(-10 * time.Minute).Unix() // GitHub's example: nbf = iat − 600 [GH-OIDC]
	} else {
		k8sInfo := c["kubernetes.io"].(map[string]any)
		k8sInfo["warnafter"] = now.Add(ttl * 8 / 10).Unix()
	}
	tok, err := signClaims(signer, c)
	if err != nil {
		http.Error(w, "signing failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, mintResponse{Value: tok})
}

// githubClaims follows GitHub's rules for sub: environment, else pull_request, else the ref [GH-OIDC].
func (s *Server) githubClaims(aud string, q map[string][]string) map[string]any {
	get := func(k, def string) string {
		if v, ok := q[k]; ok {
			return v[0]
		}
		return def
	}
	owner, repo := "octo-org", githubRepo
	env, ref, event := get("environment", "production"), get("ref", "refs/heads/main"), get("event", "push")
	if aud == "" || s.scenarios.on(scenarioFICAudience) {
		aud = "https://github.com/" + owner // GitHub's default audience, which Entra does not accept
	}
	if s.scenarios.on(scenarioFICSubjectBranch) {
		env = "" // a job without the environment the credential names
	}
	repoForSub := repo
	if s.scenarios.on(scenarioFICSubjectCase) {
		repoForSub = "Octo-Org/octo-repo" // the organisation as its display name is cased
	}
	sub := "repo:" + repoForSub + ":ref:" + ref
	switch {
	case env != "":
		sub = "repo:" + repoForSub + ":environment:" + env
	case event == "pull_request":
		sub = "repo:" + repoForSub + ":pull_request"
	}
	c := map[string]any{
		"iss": s.url + githubIssuerPath, "sub": sub, "aud": aud, "ref": ref, "sha": "e5c1f9a27b3d4c8e0f61a2b7c9d3e5f10a4b6c8d",
		"repository": repo, "repository_owner": owner, "repository_owner_id": "65432178", "repository_id": "123456789",
		"repository_visibility": "private", "actor": "octocat", "actor_id": "583231", "run_id": "9876543210",
		"run_number": "42", "run_attempt": "1", "runner_environment": "github-hosted", "workflow": "deploy",
		"event_name": event, "ref_type": "branch", "head_ref": "", "base_ref": "",
		"job_workflow_ref": repo + "/.github/workflows/deploy.yml@" + ref,
	}
	if env != "" {
		c["environment"] = env
	}
	return c
}

// k8sClaims are a projected service-account token's [K8S-SA].
func (s *Server) k8sClaims(aud string, q map[string][]string) map[string]any {
	get := func(k, def string) string {
		if v := q[k]; len(v) > 0 && v[0] != "" {
			return v[0]
		}
		return def
	}
	if aud == "" {
		aud = federatedAudience
	}
	if s.scenarios.on(scenarioFICAudience) {
		aud = "https://kubernetes.default.svc.cluster.local" // the API server's own audience
	}
	ns, sa := get("namespace", k8sNamespace), get("serviceaccount", k8sAccount)
	iss := s.url + k8sIssuerPath
	if s.scenarios.on(scenarioFICIssuerSlash) {
		iss = iss[:len(iss)-1] // the cluster's issuer written without its trailing slash
	}
	if s.scenarios.on(scenarioFICSubjectCase) {
		sa = "Worker"
	}
	return map[string]any{
		"iss": iss, "aud": []string{aud}, "sub": "system:serviceaccount:" + ns + ":" + sa,
		"kubernetes.io": map[string]any{
			"namespace":      ns,
			"pod":            map[string]string{"name": sa + "-7d9f8c6b5-x2k4q", "uid": "0d6b1f3e-8a42-4c97-b5e1-2f9a7c3d6e84"},
			"serviceaccount": map[string]string{"name": sa, "uid": "5f2e8a1c-3d7b-4e96-a0c4-9b1d6f3e2a75"},
			"node":           map[string]string{"name": "aks-nodepool1-12345678-vmss000000", "uid": "9c3a7e1f-2b6d-4f85-8e0a-4d1c7b9f3e62"},
		},
	}
}

// verifyExternal checks a subject token's signature with the hosted issuers' key; ok is false for a token not
// signed by it. kid names the key the token asked for.
func (s *Server) verifyExternal(raw string) (payload []byte, kid string, ok bool) {
	jws, err := jose.ParseSignedCompact(raw, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil || len(jws.Signatures) != 1 {
		return nil, "", false
	}
	kid = jws.Signatures[0].Header.KeyID
	k, err := s.secretless.externalKey()
	if err != nil || kid != k.x5t {
		return nil, kid, false
	}
	payload, err = jws.Verify(&k.key.PublicKey)
	return payload, kid, err == nil
}

// externalClaims are the claims Entra compares with a federated credential.
type externalClaims struct {
	Iss string   `json:"iss"`
	Sub string   `json:"sub"`
	Aud audience `json:"aud"`
	Exp *float64 `json:"exp"`
	Nbf *float64 `json:"nbf"`
}

func parseExternalClaims(payload []byte) (externalClaims, error) {
	var c externalClaims
	err := json.Unmarshal(payload, &c)
	return c, err
}

func unixFloat(f *float64, def time.Time) time.Time {
	if f == nil {
		return def
	}
	return time.Unix(int64(*f), 0)
}
