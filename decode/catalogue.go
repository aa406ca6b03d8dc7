package decode

// claimCatalogue explains, in our own words, the claims that Entra ID v1 and v2 access and ID tokens carry,
// the OpenID Connect standard claims (OIDC Core §5.1), the Entra optional claims and the claims of a client
// assertion. Value-aware detail is added by explain.go.
var claimCatalogue = map[string]string{
	// Registered claims (RFC 7519 §4.1) as Entra uses them.
	"iss": "Issuer: the security token service that minted the token and the tenant it did so for. v2 Entra tokens use https://login.microsoftonline.com/{tid}/v2.0, v1 tokens https://sts.windows.net/{tid}/.",
	"sub": "Subject: who the token is about. In Entra it is pairwise: the same user has a different sub in each app, so use oid to recognise a user across apps.",
	"aud": "Audience: who the token is for. An API must reject a token whose aud is not its own client ID or App ID URI.",
	"exp": "Expiry time. The token must be refused after it (resources usually allow a few minutes of clock skew).",
	"nbf": "Not-before time: the token must be refused before it.",
	"iat": "Issued-at time: when the token was minted.",
	"jti": "Token identifier, unique per token; lets a receiver detect replays.",

	// Entra access and ID token claims.
	"idp":                      "Identity provider that authenticated the user. It equals iss unless the user is a guest or came from another directory (live.com or the consumer tenant for personal accounts).",
	"aio":                      "Opaque data Entra uses internally to reuse the token. Ignore it.",
	"rh":                       "Opaque data Entra uses to revalidate the token. Ignore it.",
	"uti":                      "Token identifier Entra adds (like jti); quote it in support cases. Case-sensitive.",
	"ver":                      "Token format version.",
	"oid":                      "Object ID of the user or service principal in this tenant: the same in every app of the tenant. Use oid (with tid) as the key for a user's data.",
	"tid":                      "Tenant ID: the directory the user or app signed in to.",
	"name":                     "Display name of the user. It can change and is not unique: show it, never key on it.",
	"preferred_username":       "Primary username (usually an email address or UPN). It can change and may be set by the user: display only, never authorise on it.",
	"upn":                      "User principal name. It can change: display only.",
	"unique_name":              "Human-readable name of the user in v1 tokens. It can change: display only.",
	"given_name":               "First name of the user.",
	"family_name":              "Last name of the user.",
	"email":                    "Email address of the user, when the account has one. It can be changed by the user in some tenants; do not authorise on it.",
	"appid":                    "Application (client) ID of the app that asked for the token (v1 tokens; v2 tokens call it azp).",
	"azp":                      "Authorized party: application (client) ID of the app that asked for the token (v2 tokens; v1 tokens call it appid).",
	"appidacr":                 "How the client app proved who it is when it asked for the token (v1 tokens).",
	"azpacr":                   "How the client app proved who it is when it asked for the token (v2 tokens).",
	"scp":                      "Delegated permissions (scopes) the user, or an admin for them, granted to the client app, separated by spaces. Present only when a user is involved.",
	"roles":                    "Roles: application permissions granted to the client app (app-only tokens), or app roles assigned to the user (user tokens).",
	"wids":                     "Tenant-wide directory roles of the user, as role template IDs.",
	"groups":                   "Object IDs of the groups the subject belongs to (if the app asked for group claims).",
	"hasgroups":                "The user is in groups, but the list was left out to keep the token short (implicit flow). Query Microsoft Graph for them.",
	"_claim_names":             "Claims that were too big for the token and must be fetched from the source named in _claim_sources.",
	"_claim_sources":           "Where to fetch the claims named in _claim_names.",
	"acr":                      "Authentication context class (v1 tokens).",
	"amr":                      "Authentication methods the user used to sign in.",
	"acrs":                     "Conditional Access authentication contexts the user satisfied.",
	"xms_cc":                   "Client capabilities the app declared when it asked for the token.",
	"nonce":                    "Echo of the nonce the app sent on the authorize request. The app must compare it with the one it sent, to stop replayed ID tokens.",
	"c_hash":                   "Hash of the authorization code issued with this ID token (OIDC Core §3.3.2.11): left half of its SHA-256, base64url.",
	"at_hash":                  "Hash of the access token issued with this ID token (OIDC Core §3.2.2.9): left half of its SHA-256, base64url.",
	"sid":                      "Session ID, for per-session sign-out.",
	"auth_time":                "When the user last entered credentials (not when this token was issued).",
	"login_hint":               "Opaque, reliable hint to sign this user in or out again without asking which account. Pass it back as login_hint or logout_hint.",
	"ipaddr":                   "IP address the user signed in from.",
	"onprem_sid":               "Security identifier of the user in on-premises Active Directory.",
	"pwd_exp":                  "Seconds until the user's password expires.",
	"pwd_url":                  "Where the user can change their password.",
	"in_corp":                  "The user signed in from inside the corporate network (from the named-locations setting).",
	"ctry":                     "Country or region of the user (two-letter code).",
	"tenant_ctry":              "Country or region of the tenant (two-letter code).",
	"tenant_region_scope":      "Region of the tenant.",
	"xms_pdl":                  "Preferred data location of the user (multi-geo tenants).",
	"xms_pl":                   "Preferred language of the user.",
	"xms_tpl":                  "Preferred language of the tenant.",
	"xms_edov":                 "The domain of the user's email address has been verified by the tenant.",
	"verified_primary_email":   "Primary email address of the user, from a source the tenant trusts.",
	"verified_secondary_email": "Secondary email addresses of the user, from a source the tenant trusts.",
	"acct":                     "Account status in the tenant.",
	"idtyp":                    "Token type: who the subject is.",
	"fwd":                      "IP address of the client as forwarded by a proxy.",
	"vnet":                     "Virtual network the request came from.",
	"ztdid":                    "Device identity used for Windows Autopilot.",
	"xms_tcdt":                 "Undocumented; generally read as the tenant's creation time (Unix seconds).",
	"app_displayname":          "Display name of the client app (first-party tokens; undocumented).",
	"platf":                    "Device platform (first-party tokens; undocumented).",
	"puid":                     "Internal user ID used by Microsoft services (undocumented).",
	"xms_st":                   "Subject of the original token in an on-behalf-of chain (undocumented).",
	"signin_state":             "Sign-in state flags such as kmsi (keep me signed in) or dvc_mngd (managed device); undocumented.",
	"xms_idrel":                "Undocumented internal claim about the identity relationship.",
	"deviceid":                 "ID of the device the user signed in on.",
	"family_name_phonetic":     "Phonetic last name of the user.",
	"xms_ftd":                  "Undocumented internal claim.",
	"xms_sub_fct":              "Undocumented internal claim.",
	"cnf":                      "Confirmation: the key the token is bound to (proof of possession, RFC 7800).",
	"cloud_instance_name":      "Cloud the token comes from (e.g. microsoftonline.com, microsoftonline.us).",

	// OpenID Connect standard claims (OIDC Core §5.1) not listed above.
	"middle_name":           "Middle name of the user.",
	"nickname":              "Casual name of the user.",
	"profile":               "URL of the user's profile page.",
	"picture":               "URL of the user's picture.",
	"website":               "URL of the user's web page or blog.",
	"email_verified":        "The provider checked that the user controls the email address.",
	"gender":                "Gender of the user.",
	"birthdate":             "Birthday of the user (YYYY-MM-DD).",
	"zoneinfo":              "Time zone of the user.",
	"locale":                "Locale of the user.",
	"phone_number":          "Phone number of the user.",
	"phone_number_verified": "The provider checked that the user controls the phone number.",
	"address":               "Postal address of the user.",
	"updated_at":            "When the user's profile was last updated.",
	"azp_name":              "Name of the authorized party.",
	"client_id":             "Client ID of the app the token was issued to (RFC 9068 access tokens).",
	"scope":                 "Scopes granted, separated by spaces (RFC 9068 access tokens).",
}

// headerCatalogue explains JOSE header parameters (RFC 7515 §4.1, RFC 7516 §4.1) as Entra uses them.
var headerCatalogue = map[string]string{
	"alg":      "Signature algorithm. Entra signs its tokens with RS256.",
	"typ":      "Media type of the token: JWT.",
	"kid":      "Key ID: which key of the issuer's JWKS signed the token.",
	"x5t":      "SHA-1 thumbprint of the signing certificate, base64url. Entra v1 tokens carry it beside kid; client assertions use it with RS256.",
	"x5t#S256": "SHA-256 thumbprint of the signing certificate, base64url: how a client assertion names its certificate with PS256.",
	"x5c":      "The signing certificate chain itself (base64 DER).",
	"nonce":    "A nonce in the header: Microsoft Graph and other first-party APIs sign over a transformed value, so nobody else can verify the token.",
	"jku":      "URL of the signer's JWKS. Never fetch keys from a URL the token chose itself.",
	"cty":      "Content type of the payload.",
	"enc":      "Content encryption algorithm: the token is encrypted (JWE).",
	"zip":      "Compression applied before encryption.",
	"crit":     "Header parameters the receiver must understand, or reject the token.",
}

// knownNames interns catalogued names so that decoding them does not allocate.
var knownNames = func() map[string]string {
	m := make(map[string]string, len(claimCatalogue)+len(headerCatalogue))
	for k := range claimCatalogue {
		m[k] = k
	}
	for k := range headerCatalogue {
		m[k] = k
	}
	return m
}()
