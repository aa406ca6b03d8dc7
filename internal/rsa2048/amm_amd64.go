//go:build !purego

package rsa2048

import "sync"

// Written in amm_amd64.s; amm52x20x2 and select16 need AVX-512 F and IFMA.

//go:noescape
func amm52x20x2(out, a, b, m *[2]limbs, k0 *[2]uint64)

//go:noescape
func select16(out *limbs, table *[16]limbs, k uint64)

func cpuid(leaf, subleaf uint32) (eax, ebx, ecx, edx uint32)

func xgetbv() (eax, edx uint32)

// haveIFMA says whether this CPU and its operating system can run them: asked on first use, so that no aadx
// command pays for it at start (golang.org/x/sys/cpu would ask at package initialisation).
var haveIFMA = sync.OnceValue(func() bool {
	if maxLeaf, _, _, _ := cpuid(0, 0); maxLeaf < 7 {
		return false
	}
	if _, _, ecx, _ := cpuid(1, 0); ecx&(1<<27) == 0 { // OSXSAVE: XGETBV is there
		return false
	}
	// The operating system saves the SSE, AVX, opmask and both halves of the ZMM registers.
	const zmmState = 1<<1 | 1<<2 | 1<<5 | 1<<6 | 1<<7
	if xcr0, _ := xgetbv(); xcr0&zmmState != zmmState {
		return false
	}
	_, ebx, _, _ := cpuid(7, 0)
	return ebx&(1<<16) != 0 && ebx&(1<<21) != 0 // AVX512F, AVX512IFMA
})
