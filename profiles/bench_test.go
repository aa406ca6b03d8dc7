package profiles

import (
	"fmt"
	"testing"
)

// benchStore returns a store holding n profiles.
func benchStore(b *testing.B, n int) *Store {
	b.Helper()
	store := NewStore(b.TempDir())
	for i := range n {
		p := contoso()
		p.Name = fmt.Sprintf("customer-%03d", i)
		if err := store.Save(p); err != nil {
			b.Fatal(err)
		}
	}
	return store
}

// BenchmarkStoreSelect is what every `aadx run --profile` and TUI start pays: read the file and find a profile.
func BenchmarkStoreSelect(b *testing.B) {
	for _, n := range []int{10, 100} {
		b.Run(fmt.Sprintf("profiles=%d", n), func(b *testing.B) {
			store := benchStore(b, n)
			for b.Loop() {
				if _, ok, err := store.Select("customer-007"); err != nil || !ok {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkStoreSave is one `aadx profiles save`: validate, check for secrets, rewrite the file atomically.
func BenchmarkStoreSave(b *testing.B) {
	for _, n := range []int{10, 100} {
		b.Run(fmt.Sprintf("profiles=%d", n), func(b *testing.B) {
			store := benchStore(b, n)
			p := contoso()
			p.Name = "customer-007"
			for b.Loop() {
				if err := store.Save(p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
