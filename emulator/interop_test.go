package emulator

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/confidential"
	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/public"
	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// claimsOf decodes a JWT payload without verifying it (tests verify signatures through go-oidc).
func claimsOf(t *testing.T, jwt string) map[string]any {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", jwt)
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var c map[string]any
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestMSALConfidentialClientCredentials(t *testing.T) {
	s := newTestServer(t, Options{TLS: true})
	d := s.Description()
	authority := s.URL() + "/" + d.TenantID
	pem, err := os.ReadFile(d.Apps.Daemon.CertFile)
	if err != nil {
		t.Fatal(err)
	}
	certs, key, err := confidential.CertFromPEM(pem, "")
	if err != nil {
		t.Fatal(err)
	}
	certCred, err := confidential.NewCredFromCert(certs, key)
	if err != nil {
		t.Fatal(err)
	}
	secretCred, _ := confidential.NewCredFromSecret(d.Apps.Daemon.ClientSecret)
	for name, cred := range map[string]confidential.Credential{"secret": secretCred, "certificate": certCred} {
		t.Run(name, func(t *testing.T) {
			app, err := confidential.New(authority, d.Apps.Daemon.ClientID, cred,
				confidential.WithHTTPClient(s.HTTPClient()), confidential.WithInstanceDiscovery(false))
			if err != nil {
				t.Fatal(err)
			}
			res, err := app.AcquireTokenByCredential(testContext(t), []string{d.Apps.Daemon.Scope})
			if err != nil {
				t.Fatalf("AcquireTokenByCredential: %v", err)
			}
			c := claimsOf(t, res.AccessToken)
			wantACR := map[string]string{"secret": "1", "certificate": "2"}[name]
			if c["aud"] != apiClientID || c["azp"] != d.Apps.Daemon.ClientID || c["azpacr"] != wantACR || c["ver"] != "2.0" {
				t.Errorf("claims = %v", c)
			}
			if roles, _ := c["roles"].([]any); len(roles) != 1 || roles[0] != "Tasks.Read.All" {
				t.Errorf("roles = %v, want [Tasks.Read.All]", c["roles"])
			}
		})
	}
}

func TestAzidentityCredentials(t *testing.T) {
	s := newTestServer(t, Options{TLS: true})
	d := s.Description()
	opts := azcore.ClientOptions{Cloud: cloud.Configuration{ActiveDirectoryAuthorityHost: s.URL() + "/"}, Transport: s.HTTPClient()}
	pem, _ := os.ReadFile(d.Apps.Daemon.CertFile)
	certs, key, err := azidentity.ParseCertificates(pem, nil)
	if err != nil {
		t.Fatal(err)
	}
	secret, err := azidentity.NewClientSecretCredential(d.TenantID, d.Apps.Daemon.ClientID, d.Apps.Daemon.ClientSecret,
		&azidentity.ClientSecretCredentialOptions{ClientOptions: opts, DisableInstanceDiscovery: true})
	if err != nil {
		t.Fatal(err)
	}
	cert, err := azidentity.NewClientCertificateCredential(d.TenantID, d.Apps.Daemon.ClientID, certs, key,
		&azidentity.ClientCertificateCredentialOptions{ClientOptions: opts, DisableInstanceDiscovery: true})
	if err != nil {
		t.Fatal(err)
	}
	for name, cred := range map[string]azcore.TokenCredential{"secret": secret, "certificate": cert} {
		t.Run(name, func(t *testing.T) {
			tok, err := cred.GetToken(testContext(t), policy.TokenRequestOptions{Scopes: []string{d.Apps.Downstream.Scope}})
			if err != nil {
				t.Fatalf("GetToken: %v", err)
			}
			if c := claimsOf(t, tok.Token); c["aud"] != downstreamClientID || time.Until(tok.ExpiresOn) < 50*time.Minute {
				t.Errorf("aud = %v, expires %v", c["aud"], tok.ExpiresOn)
			}
		})
	}
}

func TestMSALPublicDeviceCode(t *testing.T) {
	s := newTestServer(t, Options{TLS: true, AutoApprove: true})
	d := s.Description()
	app, err := public.New(d.Apps.Public.ClientID, public.WithAuthority(s.URL()+"/"+d.TenantDomain),
		public.WithHTTPClient(s.HTTPClient()), public.WithInstanceDiscovery(false))
	if err != nil {
		t.Fatal(err)
	}
	ctx := testContext(t)
	dc, err := app.AcquireTokenByDeviceCode(ctx, []string{d.Apps.API.Scope})
	if err != nil {
		t.Fatalf("AcquireTokenByDeviceCode: %v", err)
	}
	if !strings.HasPrefix(dc.Result.VerificationURL, s.URL()+"/devicelogin") || len(dc.Result.UserCode) != 9 {
		t.Errorf("device code = %+v", dc.Result)
	}
	res, err := dc.AuthenticationResult(ctx)
	if err != nil {
		t.Fatalf("AuthenticationResult: %v", err)
	}
	if res.Account.PreferredUsername != d.Users[0].Username || res.IDToken.Oid != d.Users[0].OID {
		t.Errorf("account = %+v", res.Account)
	}
	c := claimsOf(t, res.AccessToken)
	if c["scp"] != "access_as_user" || c["aud"] != apiClientID || c["azpacr"] != "0" {
		t.Errorf("claims = %v", c)
	}
	// The refresh token MSAL cached must work silently.
	accounts, _ := app.Accounts(ctx)
	if _, err := app.AcquireTokenSilent(ctx, []string{"User.Read"}, public.WithSilentAccount(accounts[0])); err != nil {
		t.Errorf("AcquireTokenSilent (refresh to Graph): %v", err)
	}
}

// TestMSALInteractiveAndOBO signs in through MSAL's loopback listener (form_post), then has the middle-tier
// API exchange the user's token on-behalf-of the user for the downstream API.
func TestMSALInteractiveAndOBO(t *testing.T) {
	s := newTestServer(t, Options{TLS: true})
	d := s.Description()
	app, err := public.New(d.Apps.Public.ClientID, public.WithAuthority(s.URL()+"/"+d.TenantID),
		public.WithHTTPClient(s.HTTPClient()), public.WithInstanceDiscovery(false))
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, s, d.Users[0].Username, d.Users[0].Password)
	openURL := func(u string) error {
		go func() {
			r := b.open(u)
			if r.action == "" {
				t.Errorf("want a form_post page, got redirect %q", r.redirect)
				return
			}
			resp, err := http.PostForm(r.action, r.fields) // MSAL's loopback listener
			if err == nil {
				resp.Body.Close()
			}
		}()
		return nil
	}
	ctx := testContext(t)
	res, err := app.AcquireTokenInteractive(ctx, []string{d.Apps.API.Scope}, public.WithOpenURL(openURL))
	if err != nil {
		t.Fatalf("AcquireTokenInteractive: %v", err)
	}
	if c := claimsOf(t, res.AccessToken); c["aud"] != apiClientID || c["scp"] != "access_as_user" {
		t.Fatalf("claims = %v", c)
	}

	cred, _ := confidential.NewCredFromSecret(d.Apps.API.ClientSecret)
	api, err := confidential.New(s.URL()+"/"+d.TenantID, d.Apps.API.ClientID, cred,
		confidential.WithHTTPClient(s.HTTPClient()), confidential.WithInstanceDiscovery(false))
	if err != nil {
		t.Fatal(err)
	}
	obo, err := api.AcquireTokenOnBehalfOf(ctx, res.AccessToken, []string{d.Apps.Downstream.Scope})
	if err != nil {
		t.Fatalf("AcquireTokenOnBehalfOf: %v", err)
	}
	c := claimsOf(t, obo.AccessToken)
	if c["aud"] != downstreamClientID || c["azp"] != apiClientID || c["oid"] != d.Users[0].OID || c["scp"] != "Data.Read" {
		t.Errorf("OBO claims = %v", c)
	}
}

func oauth2Config(s *Server, a App, scopes ...string) *oauth2.Config {
	base := s.URL() + "/" + demoTenantID + "/oauth2/v2.0"
	return &oauth2.Config{ClientID: a.ClientID, ClientSecret: a.ClientSecret, RedirectURL: a.RedirectURI, Scopes: scopes,
		Endpoint: oauth2.Endpoint{AuthURL: base + "/authorize", TokenURL: base + "/token", DeviceAuthURL: base + "/devicecode",
			AuthStyle: oauth2.AuthStyleInParams}}
}

func TestOAuth2AuthCodePKCERefreshAndOIDC(t *testing.T) {
	s := newTestServer(t, Options{TLS: true})
	d := s.Description()
	ctx := context.WithValue(testContext(t), oauth2.HTTPClient, s.HTTPClient())
	conf := oauth2Config(s, d.Apps.Web, "openid", "profile", "offline_access", d.Apps.API.Scope)
	verifier := oauth2.GenerateVerifier()
	r := newBrowser(t, s, d.Users[2].Username, d.Users[2].Password).open(
		conf.AuthCodeURL("st4te", oauth2.S256ChallengeOption(verifier), oidc.Nonce("n0nce")))
	u, err := url.Parse(r.redirect)
	if err != nil || u.Query().Get("state") != "st4te" || !strings.HasPrefix(r.redirect, "http://localhost/callback?") {
		t.Fatalf("redirect = %q", r.redirect)
	}
	tok, err := conf.Exchange(ctx, u.Query().Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("Exchange: %v", err)
	}
	provider, err := oidc.NewProvider(oidc.ClientContext(ctx, s.HTTPClient()), s.URL()+"/"+d.TenantID+"/v2.0")
	if err != nil {
		t.Fatalf("NewProvider: %v", err)
	}
	idToken, err := provider.Verifier(&oidc.Config{ClientID: d.Apps.Web.ClientID}).Verify(ctx, tok.Extra("id_token").(string))
	if err != nil {
		t.Fatalf("Verify id_token: %v", err)
	}
	if idToken.Nonce != "n0nce" {
		t.Errorf("nonce = %q", idToken.Nonce)
	}
	// Sam is in 250 groups: the access token carries the overage indirection instead.
	if c := claimsOf(t, tok.AccessToken); c["groups"] != nil || c["_claim_names"] == nil {
		t.Errorf("overage claims = %v / %v", c["groups"], c["_claim_names"])
	}
	tok.Expiry = time.Now().Add(-time.Minute)
	fresh, err := conf.TokenSource(ctx, tok).Token()
	if err != nil {
		t.Fatalf("refresh: %v", err)
	}
	if fresh.RefreshToken == "" || fresh.RefreshToken == tok.RefreshToken || fresh.AccessToken == tok.AccessToken {
		t.Errorf("refresh did not rotate tokens")
	}
}

func TestOAuth2DeviceFlow(t *testing.T) {
	s := newTestServer(t, Options{TLS: true, DeviceInterval: time.Millisecond})
	d := s.Description()
	ctx := context.WithValue(testContext(t), oauth2.HTTPClient, s.HTTPClient())
	conf := oauth2Config(s, d.Apps.Public, "openid", "offline_access", "User.Read")
	da, err := conf.DeviceAuth(ctx)
	if err != nil {
		t.Fatalf("DeviceAuth: %v", err)
	}
	// A person enters the code on the device login page.
	b := newBrowser(t, s, d.Users[0].Username, d.Users[0].Password)
	resp := b.do(http.MethodGet, da.VerificationURI, nil)
	action, fields := parseForm(t, readAll(t, resp))
	fields.Set("otc", da.UserCode)
	action, fields = parseForm(t, readAll(t, b.do(http.MethodPost, action, fields)))
	fields.Set("login", d.Users[0].Username)
	fields.Set("passwd", d.Users[0].Password)
	action, fields = parseForm(t, readAll(t, b.do(http.MethodPost, action, fields)))
	fields.Set("accept", "yes")
	if page := readAll(t, b.do(http.MethodPost, action, fields)); !strings.Contains(page, "close this window") {
		t.Fatalf("final page: %s", page)
	}
	tok, err := conf.DeviceAccessToken(ctx, da)
	if err != nil {
		t.Fatalf("DeviceAccessToken: %v", err)
	}
	if c := claimsOf(t, tok.AccessToken); c["aud"] != graphURI || c["ver"] != "1.0" || c["upn"] != d.Users[0].Username {
		t.Errorf("graph token claims = %v", c)
	}
}
