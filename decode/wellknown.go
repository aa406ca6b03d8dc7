package decode

// consumerTenant is the tenant of personal Microsoft accounts (MSA), fixed across Entra.
const consumerTenant = "9188040d-6c67-4c5b-b112-36a304b66dad"

// builtinRoles names common Entra built-in directory roles by template ID, as they appear in wids
// (the "Template ID" column of Microsoft's permissions reference).
var builtinRoles = map[string]string{
	"62e90394-69f5-4237-9190-012177145e10": "Global Administrator",
	"f2ef992c-3afb-46b9-b7cf-a126ee74c451": "Global Reader",
	"e8611ab8-c189-46e8-94e1-60213ab1f814": "Privileged Role Administrator",
	"7be44c8a-adaf-4e2a-84d6-ab2649e08a13": "Privileged Authentication Administrator",
	"c4e39bd9-1100-46d3-8c65-fb160da0071f": "Authentication Administrator",
	"fe930be7-5e62-47db-91af-98c3a49a38b1": "User Administrator",
	"729827e3-9c14-49f7-bb1b-9608f156bbb8": "Helpdesk Administrator",
	"966707d0-3269-4727-9be2-8c3a10f19b9d": "Password Administrator",
	"9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3": "Application Administrator",
	"158c047a-c907-4556-b7ef-446551a6b5f7": "Cloud Application Administrator",
	"cf1c38e5-3621-4004-a7cb-879624dced7c": "Application Developer",
	"194ae4cb-b126-40b2-bd5b-6091b380977d": "Security Administrator",
	"5d6b6bb7-de71-4623-b4af-96380a352509": "Security Reader",
	"b1be1c3e-b65d-4f19-8427-f6fa0d97feb9": "Conditional Access Administrator",
	"29232cdf-9323-42fd-ade2-1d097af3e4de": "Exchange Administrator",
	"f28a1f50-f6e7-4571-818b-6a12f2af6b6c": "SharePoint Administrator",
	"69091246-20e8-4a56-aa4d-066075b2a7a8": "Teams Administrator",
	"3a2c62db-5318-420d-8d74-23affee5d9d5": "Intune Administrator",
	"fdd7a751-b60b-444a-984c-02652fe8fa1c": "Groups Administrator",
	"b0f54661-2d74-4c50-afa3-1ec803f12efe": "Billing Administrator",
	"8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2": "Hybrid Identity Administrator",
	"e3973bdf-4987-49ae-837a-ba8e231c7286": "Azure DevOps Administrator",
	"95e79109-95c0-4d8e-aee3-d01accf2d47b": "Guest Inviter",
	"88d8e3e3-8f55-4a1e-953a-9b9898b8876b": "Directory Readers",
	"b79fbf4d-3ef9-4689-8143-76b194e85509": "User (the default role of every member)",
	"10dae51f-b6af-4016-8d66-8c2a99b929b3": "Guest User",
	"2af84b1e-32c8-42b7-82bc-daa82404023b": "Restricted Guest User",
}

// wellKnownApps names Microsoft first-party applications and resources by app ID, as they appear in aud,
// appid and azp.
var wellKnownApps = map[string]string{
	"00000003-0000-0000-c000-000000000000": "Microsoft Graph",
	"https://graph.microsoft.com":          "Microsoft Graph",
	"00000002-0000-0000-c000-000000000000": "Azure AD Graph (retired)",
	"https://management.azure.com/":        "Azure Resource Manager",
	"https://management.core.windows.net/": "Azure Resource Manager",
	"797f4846-ba00-4fd7-ba43-dac1f8f63013": "Azure Resource Manager",
	"04b07795-8ddb-461a-bbee-02f9e1bf7b46": "Azure CLI",
	"1950a258-227b-4e31-a9cf-717495945fc2": "Azure PowerShell",
	"de8bc8b5-d9f9-48b1-a8ad-b748da725064": "Graph Explorer",
	"14d82eec-204b-4c2f-b7e8-296a70dab67e": "Microsoft Graph Command Line Tools",
	"c44b4083-3bb0-49c1-b47d-974e53cbdf3c": "Azure portal",
}

// amrMethods explains authentication method references (RFC 8176 §2 and the values Entra documents).
var amrMethods = map[string]string{
	"pwd":      "password",
	"rsa":      "RSA key (e.g. Microsoft Authenticator or Windows Hello)",
	"otp":      "one-time passcode (email or text)",
	"fed":      "federated identity provider",
	"wia":      "Windows Integrated Authentication",
	"mfa":      "multifactor authentication",
	"ngcmfa":   "Windows Hello / passkey (counts as MFA)",
	"wiaormfa": "Windows Integrated Authentication or MFA",
	"none":     "no authentication method",
	"sms":      "text message",
	"tel":      "phone call",
	"face":     "face biometrics",
	"fpt":      "fingerprint",
	"hwk":      "hardware-bound key (e.g. FIDO2 security key)",
	"swk":      "software-bound key",
	"pin":      "PIN",
	"kba":      "knowledge-based questions",
	"sc":       "smart card",
	"mca":      "multiple-channel authentication",
}
