package cli

import (
	"os/exec"
	"path/filepath"
	"testing"
)

// BenchmarkRunClientCredentialsDemoProcess measures the whole process: exec of the built binary, in-process
// emulator start (key generation included), one client credentials run and the --json output.
func BenchmarkRunClientCredentialsDemoProcess(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "aadx")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/aadx/aadx").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	b.ResetTimer()
	for b.Loop() {
		if out, err := exec.Command(bin, "run", "client-credentials", "--demo", "--json").CombinedOutput(); err != nil {
			b.Fatalf("%v\n%s", err, out)
		}
	}
}
