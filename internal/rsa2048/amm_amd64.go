//go:build !purego

package rsa2048

import "golang.org/x/sys/cpu"

// Written in amm_amd64.s; they need AVX-512 F and IFMA.

//go:noescape
func amm52x20x2(out, a, b, m *[2]limbs, k0 *[2]uint64)

//go:noescape
func select16(out *limbs, table *[16]limbs, k uint64)

// haveIFMA says whether this CPU (and its operating system) can run them.
var haveIFMA = cpu.X86.HasAVX512F && cpu.X86.HasAVX512IFMA
