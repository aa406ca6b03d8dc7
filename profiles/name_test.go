package profiles

import (
	"errors"
	"strings"
	"testing"

	"github.com/aadx/aadx/flows"
)

func TestValidateName(t *testing.T) {
	tests := []struct {
		name    string
		wantErr string // "" means valid
	}{
		{name: "contoso-prod"},
		{name: "Fabrikam_2.eu"},
		{name: strings.Repeat("a", 64)},
		{name: "", wantErr: "name is required"},
		{name: strings.Repeat("a", 65), wantErr: "longer than 64"},
		{name: "has space", wantErr: `name "has space" has characters other than`},
		{name: "slash/name", wantErr: "has characters other than"},
		{name: "ünïcode", wantErr: "has characters other than"},
		{name: "line\nbreak", wantErr: "has characters other than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateName(tt.name)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("ValidateName(%q) = %v, want nil", tt.name, err)
				}
				return
			}
			var fe *flows.FieldError
			if !errors.As(err, &fe) || fe.Field != "name" {
				t.Fatalf("ValidateName(%q) = %v, want a FieldError for name", tt.name, err)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %q does not contain %q", err, tt.wantErr)
			}
		})
	}
}
