package profiles

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/aadx/aadx/flows"
)

func TestStoreRoundTrip(t *testing.T) {
	store := NewStore(t.TempDir())
	fabrikam := Profile{Name: "fabrikam", Issuer: "https://idp.fabrikam.example/realms/main", ClientID: "fabrikam-cli",
		Secret: SecretSource{Kind: SecretKeyring}}
	gov := Profile{Name: "agency.gov", Cloud: flows.CloudUSGov, Tenant: "agency.onmicrosoft.us", ClientID: testClient,
		CertFile: "/etc/aadx/agency.pfx", AssertionAlg: "RS256"}
	for _, p := range []Profile{contoso(), fabrikam, gov} {
		if err := store.Save(p); err != nil {
			t.Fatalf("Save(%s): %v", p.Name, err)
		}
	}
	if err := store.SetActive("fabrikam"); err != nil {
		t.Fatal(err)
	}

	// A fresh store reads what the first wrote.
	reopened := NewStore(filepath.Dir(store.Path()))
	got, active, err := reopened.List()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range got {
		names = append(names, p.Name)
	}
	if want := []string{"agency.gov", "contoso-prod", "fabrikam"}; !reflect.DeepEqual(names, want) {
		t.Errorf("List names = %v, want %v (sorted)", names, want)
	}
	if active != "fabrikam" {
		t.Errorf("active = %q, want fabrikam", active)
	}
	c, err := reopened.Get("contoso-prod")
	if err != nil {
		t.Fatal(err)
	}
	if want := contoso(); !reflect.DeepEqual(c, want) {
		t.Errorf("Get(contoso-prod) =\n%+v\nwant\n%+v", c, want)
	}
	if f, _ := reopened.Get("fabrikam"); f.Secret != (SecretSource{Kind: SecretKeyring}) {
		t.Errorf("fabrikam secret source = %+v, want keyring", f.Secret)
	}
	if g, _ := reopened.Get("agency.gov"); g.Secret.Kind != SecretNone {
		t.Errorf("a profile saved without a source reads back as %q, want none", g.Secret.Kind)
	}

	// Save replaces a profile of the same name.
	edited := contoso()
	edited.Note = "ticket 4712"
	if err := store.Save(edited); err != nil {
		t.Fatal(err)
	}
	if c, _ := store.Get("contoso-prod"); c.Note != "ticket 4712" {
		t.Errorf("after replace, note = %q", c.Note)
	}
	if all, _, _ := store.List(); len(all) != 3 {
		t.Errorf("replace added a profile: %d profiles", len(all))
	}
}

func TestStoreEnvSourceDefaultsToAzureClientSecret(t *testing.T) {
	store := NewStore(t.TempDir())
	p := contoso()
	p.Secret = SecretSource{Kind: SecretEnv}
	if err := store.Save(p); err != nil {
		t.Fatal(err)
	}
	got, _ := store.Get(p.Name)
	if got.Secret.Env != DefaultSecretEnv {
		t.Errorf("env source without a name reads %q, want %s", got.Secret.Env, DefaultSecretEnv)
	}
}

func TestStoreNormalizesSpelling(t *testing.T) {
	store := NewStore(t.TempDir())
	p := contoso()
	p.Cloud, p.Platform, p.AssertionAlg = "USGov", "SPA", "rs256"
	p.Authority = ""
	if err := store.Save(p); err != nil {
		t.Fatal(err)
	}
	got, _ := store.Get(p.Name)
	if got.Cloud != flows.CloudUSGov || got.Platform != flows.PlatformSPA || got.AssertionAlg != flows.AssertionRS256 {
		t.Errorf("saved %q %q %q, want usgov spa RS256", got.Cloud, got.Platform, got.AssertionAlg)
	}
	if got.Cloud.Authority() != "https://login.microsoftonline.us" {
		t.Errorf("the saved cloud signs in at %s", got.Cloud.Authority())
	}
}

func TestStoreFileModes(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix permissions")
	}
	dir := filepath.Join(t.TempDir(), "config", "aadx")
	store := NewStore(dir)
	if err := store.Save(contoso()); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]os.FileMode{dir: 0o700, store.Path(): 0o600} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s has mode %o, want %o", path, got, want)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != FileName {
		t.Errorf("directory holds %v, want only %s (no temp files left)", entries, FileName)
	}
}

func TestStoreDeleteAndActive(t *testing.T) {
	store := NewStore(t.TempDir())
	if _, ok, err := store.Active(); ok || err != nil {
		t.Fatalf("empty store: Active ok=%v err=%v, want none", ok, err)
	}
	if err := store.Save(contoso()); err != nil {
		t.Fatal(err)
	}
	if err := store.SetActive("contoso-prod"); err != nil {
		t.Fatal(err)
	}
	if p, ok, err := store.Select(""); err != nil || !ok || p.Name != "contoso-prod" {
		t.Errorf("Select(\"\") = %q, %v, %v; want the active profile", p.Name, ok, err)
	}
	if err := store.Delete("contoso-prod"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := store.Active(); ok {
		t.Error("deleting the active profile left it active")
	}
	for name, call := range map[string]func() error{
		"Get":       func() error { _, err := store.Get("missing"); return err },
		"Delete":    func() error { return store.Delete("missing") },
		"SetActive": func() error { return store.SetActive("missing") },
		"Select":    func() error { _, _, err := store.Select("missing"); return err },
	} {
		err := call()
		if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), `"missing"`) {
			t.Errorf("%s(missing) = %v, want ErrNotFound naming the profile", name, err)
		}
	}
}

func TestStoreRejectsInvalidProfiles(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*Profile)
		field string
	}{
		{"bad name", func(p *Profile) { p.Name = "contoso prod" }, "name"},
		{"missing tenant", func(p *Profile) { p.Tenant = "" }, "tenant"},
		{"malformed tenant", func(p *Profile) { p.Tenant = "not a tenant" }, "tenant"},
		{"client id not a GUID", func(p *Profile) { p.ClientID = "my-app" }, "client-id"},
		{"redirect on remote http", func(p *Profile) { p.RedirectURI = "http://example.com/cb" }, "redirect-uri"},
		{"unknown platform", func(p *Profile) { p.Platform = "desktop" }, "platform"},
		{"unknown cloud", func(p *Profile) { p.Cloud = "mars" }, "cloud"},
		{"authority over http", func(p *Profile) { p.Authority = "http://login.example.com" }, "authority"},
		{"bad assertion alg", func(p *Profile) { p.AssertionAlg = "HS256" }, "assertion-alg"},
		{"bad env name", func(p *Profile) { p.Secret.Env = "NOT-A-VAR" }, "secret-env"},
		{"unknown secret kind", func(p *Profile) { p.Secret = SecretSource{Kind: "file"} }, "secret"},
		{"scope with space", func(p *Profile) { p.Scopes = []string{"openid profile"} }, "scope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := NewStore(t.TempDir())
			p := contoso()
			tt.edit(&p)
			err := store.Save(p)
			var fe *flows.FieldError
			if !errors.As(err, &fe) || fe.Field != tt.field {
				t.Fatalf("Save = %v, want a FieldError for %s", err, tt.field)
			}
			if _, statErr := os.Stat(store.Path()); !errors.Is(statErr, os.ErrNotExist) {
				t.Error("an invalid profile was written")
			}
		})
	}
}

func TestStoreCorruptFile(t *testing.T) {
	tests := []struct {
		name    string
		content string
		want    string
	}{
		{"not JSON", "{\n  \"profiles\": [\n    {\"name\": \"a\",,}\n]}", "line 3"},
		{"wrong types", `{"profiles": {"name": "a"}}`, "cannot unmarshal"},
		{"bad name", `{"profiles": [{"name": "a b"}]}`, "profile 1: name"},
		{"duplicate", `{"profiles": [{"name": "a"}, {"name": "a"}]}`, `"a" appears twice`},
		{"newer version", `{"version": 9, "profiles": []}`, "format version 9"},
		{"too large", `{"profiles": [], "x": "` + strings.Repeat("a", maxFileSize) + `"}`, "larger than 1 MiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := NewStore(t.TempDir())
			if err := os.WriteFile(store.Path(), []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, _, err := store.List()
			var ce *CorruptError
			if !errors.As(err, &ce) {
				t.Fatalf("List = %v, want a CorruptError", err)
			}
			msg := err.Error()
			if !strings.Contains(msg, store.Path()) || !strings.Contains(msg, tt.want) || strings.Contains(msg, "\n") {
				t.Errorf("error %q should be one line naming the file and saying %q", msg, tt.want)
			}
			// A write must not replace the corrupt file silently.
			if err := store.Save(contoso()); !errors.As(err, &ce) {
				t.Errorf("Save over a corrupt file = %v, want the CorruptError", err)
			}
		})
	}
}

func TestStoreEmptyOrMissingFileIsEmpty(t *testing.T) {
	for name, setup := range map[string]func(path string){
		"missing": func(string) {},
		"empty":   func(path string) { os.WriteFile(path, nil, 0o600) },
	} {
		t.Run(name, func(t *testing.T) {
			store := NewStore(t.TempDir())
			setup(store.Path())
			got, active, err := store.List()
			if err != nil || len(got) != 0 || active != "" {
				t.Errorf("List = %v, %q, %v; want an empty store", got, active, err)
			}
		})
	}
}

func TestStoreConcurrentSaves(t *testing.T) {
	store := NewStore(t.TempDir())
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			p := contoso()
			p.Name = "p" + string(rune('a'+i))
			if err := store.Save(p); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if all, _, _ := store.List(); len(all) != 20 {
		t.Errorf("%d profiles after 20 concurrent saves, want 20", len(all))
	}
}

func TestDefaultDirHonoursXDG(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("XDG_CONFIG_HOME is a Linux convention")
	}
	t.Setenv("XDG_CONFIG_HOME", "/tmp/xdg-test")
	dir, err := DefaultDir()
	if err != nil || dir != "/tmp/xdg-test/aadx" {
		t.Errorf("DefaultDir = %q, %v; want /tmp/xdg-test/aadx", dir, err)
	}
}

func TestStoreReadsHandEditedFile(t *testing.T) {
	store := NewStore(t.TempDir())
	content := `{"active": "gone", "profiles": [{"name": "zeta", "tenant": "z.example"}, {"name": "alpha", "tenant": "a.example", "extra": 1}]}`
	if err := os.WriteFile(store.Path(), []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	got, active, err := store.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Name != "alpha" || got[1].Name != "zeta" {
		t.Errorf("List = %+v, want alpha then zeta", got)
	}
	if active != "" {
		t.Errorf("active = %q; an active name with no profile should read as none", active)
	}
}
