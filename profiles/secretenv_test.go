package profiles

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A shared or hand-edited profiles file cannot make aadx send any variable as a client secret: only AZURE_*,
// AADX_* and the variables the user confirms in AADX_SECRET_ENVS are read. An unknown secret kind is refused when
// the file loads, not read as "none".
func TestProfileSecretEnvMustBeChosenForSecrets(t *testing.T) {
	t.Setenv("GITHUB_TOKEN", "ghp_not-a-client-secret")
	t.Setenv("AZURE_CLIENT_SECRET", "azure-secret")
	t.Setenv(AllowSecretEnvVar, "")
	for attempt := 0; attempt < 2; attempt++ {
		_, err := Resolve(context.Background(), "hostile", SecretSource{Kind: SecretEnv, Env: "GITHUB_TOKEN"}, nil)
		if !errors.Is(err, ErrNoSecret) || !strings.Contains(err.Error(), "AADX_SECRET_ENVS=GITHUB_TOKEN") || strings.Contains(err.Error(), "ghp_") {
			t.Fatalf("Resolve(GITHUB_TOKEN) = %v; want a refusal saying how to confirm it", err)
		}
	}
	if v, err := Resolve(context.Background(), "p", SecretSource{Kind: SecretEnv, Env: "AZURE_CLIENT_SECRET"}, nil); err != nil || v != "azure-secret" {
		t.Fatalf("Resolve(AZURE_CLIENT_SECRET) = %q, %v", v, err)
	}
	t.Setenv(AllowSecretEnvVar, "OTHER,GITHUB_TOKEN")
	if v, err := Resolve(context.Background(), "p", SecretSource{Kind: SecretEnv, Env: "GITHUB_TOKEN"}, nil); err != nil || v == "" {
		t.Fatalf("a confirmed variable is refused: %q, %v", v, err)
	}

	dir := t.TempDir()
	data := `{"version":1,"profiles":[{"name":"p","tenant":"contoso.onmicrosoft.com","client_id":"00000000-0000-0000-0000-0000000000aa","secret":{"kind":"shell","env":"X"}}]}`
	if err := os.WriteFile(filepath.Join(dir, FileName), []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err := NewStore(dir).List()
	var ce *CorruptError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), `"shell" is not a secret source`) {
		t.Fatalf("List of a file with an unknown secret kind = %v", err)
	}
}
