package profiles

import (
	"errors"
	"os"
	"testing"
)

// FuzzLoad: whatever the profiles file holds, reading it returns profiles or a CorruptError, never a panic, and
// what it returns can be written back and read again unchanged.
func FuzzLoad(f *testing.F) {
	f.Add(`{"version":1,"active":"a","profiles":[{"name":"a","tenant":"contoso.onmicrosoft.com","secret":{"kind":"env","env":"X"}}]}`)
	f.Add(`{"profiles":[{"name":"a"},{"name":"a"}]}`)
	f.Add(`{"profiles":{}}`)
	f.Add(`[`)
	f.Add(``)
	f.Fuzz(func(t *testing.T, content string) {
		store := NewStore(t.TempDir())
		if err := os.WriteFile(store.Path(), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		got, active, err := store.List()
		if err != nil {
			var ce *CorruptError
			if !errors.As(err, &ce) {
				t.Fatalf("List error %v is not a CorruptError", err)
			}
			return
		}
		if err := store.SetActive(active); err != nil {
			t.Fatalf("writing back what was read: %v", err)
		}
		again, active2, err := store.List()
		if err != nil || len(again) != len(got) || active2 != active {
			t.Fatalf("round trip changed the store: %v", err)
		}
	})
}
