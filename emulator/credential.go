package emulator

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// daemonCredential is the certificate registered for the daemon app, with the PEM (certificate + private key)
// handed to clients through Description.Apps.Daemon.
type daemonCredential struct {
	*rsaCert
	pem  []byte
	file string
}

func newDaemonCredential(dir string, now time.Time) (*daemonCredential, error) {
	c, err := newRSACert("aadx-demo-daemon", now)
	if err != nil {
		return nil, err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(c.key)
	if err != nil {
		return nil, fmt.Errorf("encode daemon key: %w", err)
	}
	data := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.cert.Raw}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})...)
	file := filepath.Join(dir, "daemon.pem")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		return nil, fmt.Errorf("write daemon certificate: %w", err)
	}
	return &daemonCredential{rsaCert: c, pem: data, file: file}, nil
}
