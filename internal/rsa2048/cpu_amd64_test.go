//go:build !purego

package rsa2048

import (
	"testing"

	"golang.org/x/sys/cpu"
)

// The package's own CPUID check (made on first use, to keep it off every command's start) agrees with
// golang.org/x/sys/cpu's, which checks the same at package initialisation.
func TestIFMADetectionAgreesWithXSysCPU(t *testing.T) {
	want := cpu.X86.HasAVX512F && cpu.X86.HasAVX512IFMA
	for range 2 {
		if got := haveIFMA(); got != want {
			t.Fatalf("haveIFMA() = %v, golang.org/x/sys/cpu says %v", got, want)
		}
	}
}
