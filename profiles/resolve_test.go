package profiles

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aadx/aadx/flows"
	"github.com/zalando/go-keyring"
)

func TestResolve(t *testing.T) {
	t.Setenv("CONTOSO_SECRET", "from-env")
	t.Setenv("EMPTY_SECRET", "")
	t.Setenv(AllowSecretEnvVar, "CONTOSO_SECRET, EMPTY_SECRET") // confirmed by the user, outside the profiles file
	answer := func(v string) PromptFunc { return func(string) (string, error) { return v, nil } }
	tests := []struct {
		name    string
		src     SecretSource
		prompt  PromptFunc
		want    string
		wantErr error
		errText string
	}{
		{name: "none", src: SecretSource{}, want: ""},
		{name: "env", src: SecretSource{Kind: SecretEnv, Env: "CONTOSO_SECRET"}, want: "from-env"},
		{name: "empty env", src: SecretSource{Kind: SecretEnv, Env: "EMPTY_SECRET"}, wantErr: ErrNoSecret, errText: "EMPTY_SECRET is empty"},
		{name: "prompt", src: SecretSource{Kind: SecretPrompt}, prompt: answer(" typed \n"), want: "typed"},
		{name: "empty answer", src: SecretSource{Kind: SecretPrompt}, prompt: answer(""), wantErr: ErrNoSecret, errText: "nothing was entered"},
		{name: "no terminal", src: SecretSource{Kind: SecretPrompt}, wantErr: ErrNoSecret, errText: "--secret-env"},
		{name: "unknown kind", src: SecretSource{Kind: "file"}, errText: "not a secret source"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Resolve(context.Background(), "contoso", tt.src, tt.prompt)
			if tt.errText == "" {
				if err != nil || got != tt.want {
					t.Fatalf("Resolve = %q, %v; want %q", got, err, tt.want)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.errText) || (tt.wantErr != nil && !errors.Is(err, tt.wantErr)) {
				t.Fatalf("Resolve error = %v, want %v saying %q", err, tt.wantErr, tt.errText)
			}
		})
	}
}

func TestPromptLabelNamesTheProfile(t *testing.T) {
	var label string
	_, _ = Resolve(context.Background(), "contoso", SecretSource{Kind: SecretPrompt}, func(l string) (string, error) { label = l; return "s", nil })
	if !strings.Contains(label, "contoso") {
		t.Errorf("prompt label %q does not name the profile", label)
	}
}

func TestKeyringRoundTrip(t *testing.T) {
	keyring.MockInit()
	ctx := context.Background()
	src := SecretSource{Kind: SecretKeyring}
	if _, err := Resolve(ctx, "contoso", src, nil); !errors.Is(err, ErrNoSecret) || !strings.Contains(err.Error(), "aadx profiles secret contoso") {
		t.Fatalf("before storing: %v, want ErrNoSecret with the command to store one", err)
	}
	if err := StoreSecretInKeyring(ctx, "contoso", testSecret); err != nil {
		t.Fatal(err)
	}
	if got, _ := keyring.Get(KeyringService, "contoso"); got != testSecret {
		t.Errorf("keyring holds %q under service %s, account contoso", got, KeyringService)
	}
	if got, err := Resolve(ctx, "contoso", src, nil); err != nil || got != testSecret {
		t.Errorf("Resolve = %q, %v", got, err)
	}
	if err := DeleteSecretFromKeyring(ctx, "contoso"); err != nil {
		t.Fatal(err)
	}
	if err := DeleteSecretFromKeyring(ctx, "contoso"); err != nil {
		t.Errorf("deleting a missing entry: %v, want nil", err)
	}
	if err := StoreSecretInKeyring(ctx, "bad name", "s"); err == nil {
		t.Error("a bad profile name was accepted as a keyring account")
	}
}

func TestKeyringUnavailable(t *testing.T) {
	keyring.MockInitWithError(errors.New("The name org.freedesktop.secrets was not provided by any .service files"))
	ctx := context.Background()
	_, err := Resolve(ctx, "contoso", SecretSource{Kind: SecretKeyring}, nil)
	if !errors.Is(err, ErrKeyringUnavailable) || !strings.Contains(err.Error(), "--secret-env") {
		t.Errorf("Resolve = %v, want ErrKeyringUnavailable suggesting --secret-env", err)
	}
	if err := StoreSecretInKeyring(ctx, "contoso", "s"); !errors.Is(err, ErrKeyringUnavailable) {
		t.Errorf("StoreSecretInKeyring = %v, want ErrKeyringUnavailable", err)
	}
}

// TestKeyringNeverHangs: a keyring that never answers (D-Bus stuck) gives up at the timeout or when the
// context ends.
func TestKeyringNeverHangs(t *testing.T) {
	block := make(chan struct{})
	t.Cleanup(func() { close(block) })
	oldGet, oldTimeout := keyringGet, keyringTimeout
	t.Cleanup(func() { keyringGet, keyringTimeout = oldGet, oldTimeout })
	keyringGet = func(string, string) (string, error) { <-block; return "", nil }
	keyringTimeout = 50 * time.Millisecond

	_, err := Resolve(context.Background(), "contoso", SecretSource{Kind: SecretKeyring}, nil)
	if !errors.Is(err, ErrKeyringUnavailable) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("timeout: %v, want ErrKeyringUnavailable after the deadline", err)
	}

	keyringTimeout = time.Hour
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = Resolve(ctx, "contoso", SecretSource{Kind: SecretKeyring}, nil)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v, want context.Canceled", err)
	}
}

func TestCredential(t *testing.T) {
	certPath, _ := writeTestCert(t)
	t.Setenv("CONTOSO_SECRET", "from-env")
	t.Setenv(AllowSecretEnvVar, "CONTOSO_SECRET")
	p := contoso()
	tests := []struct {
		name       string
		profile    func() Profile
		given      flows.Settings
		wantSecret string
		wantCert   bool
		errText    string
	}{
		{name: "secret from the profile's source", profile: contoso, wantSecret: "from-env"},
		{name: "a secret already given wins", profile: contoso, given: flows.Settings{ClientSecret: "flag"}, wantSecret: "flag"},
		{name: "certificate from the profile", profile: func() Profile { q := contoso(); q.CertFile = certPath; return q }, wantCert: true},
		{name: "missing certificate file", profile: func() Profile { q := contoso(); q.CertFile = certPath + ".missing"; return q }, errText: "cert"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.given
			err := Credential(context.Background(), tt.profile(), &s, "", nil)
			if tt.errText != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errText) || !strings.Contains(err.Error(), p.Name) {
					t.Fatalf("Credential = %v, want an error naming the profile and %q", err, tt.errText)
				}
				return
			}
			if err != nil || s.ClientSecret != tt.wantSecret || (s.Certificate != nil) != tt.wantCert {
				t.Errorf("Credential: secret %q cert %v err %v", s.ClientSecret, s.Certificate != nil, err)
			}
		})
	}
}
