//go:build !amd64 || purego

package rsa2048

func haveIFMA() bool { return false }

func amm52x20x2(out, a, b, m *[2]limbs, k0 *[2]uint64) { panic("rsa2048: no AVX-512 IFMA here") }

func select16(out *limbs, table *[16]limbs, k uint64) { panic("rsa2048: no AVX-512 IFMA here") }
