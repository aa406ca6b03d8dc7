package cli

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Input longer than aadx reads is refused, never sent cut short; misleading messages say what is wrong.
func TestRunInputsAreWholeOrRefused(t *testing.T) {
	isolateProfiles(t)
	dir := t.TempDir()
	bigSecret := filepath.Join(dir, "secret.txt")
	if err := os.WriteFile(bigSecret, []byte(strings.Repeat("s", 16<<10+1)), 0o600); err != nil {
		t.Fatal(err)
	}
	ecCert := filepath.Join(dir, "ec.pem")
	writeECCert(t, ecCert)
	client := []string{"--client-id=00000000-0000-0000-0000-0000000000aa", "--tenant", "contoso.onmicrosoft.com", "--scope", "api://x/.default"}
	bigToken := strings.Repeat("t", 64<<10+1)
	tests := []struct {
		stdin   string
		args    []string
		message string
	}{
		{bigToken, []string{"run", "refresh", "--demo", "--refresh-token", "-"}, "--refresh-token -: stdin is longer than aadx reads (64 KiB at most)"},
		{bigToken, []string{"run", "obo", "--demo", "--assertion", "-"}, "--assertion -: stdin is longer than aadx reads (64 KiB at most)"},
		{"", append([]string{"run", "client-credentials", "--client-secret-file", bigSecret}, client...), "is longer than aadx reads (16 KiB at most)"},
		{"", append([]string{"run", "client-credentials", "--client-secret-file", dir}, client...), "is a directory"},
		{"", append([]string{"run", "client-credentials", "--cert", dir}, client...), "is a directory"},
		{"", append([]string{"run", "client-credentials", "--cert", ecCert}, client...), "holds an EC (elliptic curve) private key"},
	}
	for _, tt := range tests {
		for attempt := 0; attempt < 2; attempt++ {
			code, _, errOut := cli(t, tt.stdin, tt.args...)
			if code != exitUsage || !strings.Contains(errOut, tt.message) || strings.Count(errOut, "\n") != 1 {
				t.Errorf("aadx %s: exit %d, stderr %q; want exit 2 and one line saying %q", strings.Join(tt.args, " "), code, errOut, tt.message)
			}
		}
	}
}

func writeECCert(t *testing.T, path string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "ec"}, NotBefore: time.Unix(0, 0), NotAfter: time.Unix(4e9, 0)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	out := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	out = append(out, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})...)
	if err := os.WriteFile(path, out, 0o600); err != nil {
		t.Fatal(err)
	}
}
