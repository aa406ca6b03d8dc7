//go:build tools

// This file pins the project's dependencies in go.mod while the packages that use them are written.
package main

import (
	_ "charm.land/bubbles/v2/textinput"
	_ "charm.land/bubbletea/v2"
	_ "charm.land/lipgloss/v2"
	_ "github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	_ "github.com/AzureAD/microsoft-authentication-library-for-go/apps/confidential"
	_ "github.com/atotto/clipboard"
	_ "github.com/charmbracelet/x/exp/teatest/v2"
	_ "github.com/coreos/go-oidc/v3/oidc"
	_ "github.com/go-jose/go-jose/v4"
	_ "github.com/spf13/cobra"
	_ "github.com/zalando/go-keyring"
	_ "golang.org/x/oauth2"
	_ "rsc.io/qr"
	_ "software.sslmate.com/src/go-pkcs12"
)
