package sqlplatform

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"slices"
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/graph"
	"github.com/datasurface/datasurface-go/internal/safetext"
)

// CredentialStore resolves the model's credential references into secrets
// at run time. The model only names a credential (credential("crm_reader"));
// the host decides where its secret lives by giving the platform a store.
// EnvCredentials, which reads environment variables, is the default.
//
// Resolve must not put the secret, or any part of it, into the error it
// returns: errors are printed, logged and kept in batch records.
type CredentialStore interface {
	Resolve(ctx context.Context, c *ecosystem.Credential) (Secret, error)
}

// CredentialChecker is implemented by credential stores that can check, before
// anything runs, that the credentials a pipeline uses can be told apart (see
// EnvCredentials.CheckCredentials).
type CredentialChecker interface {
	CheckCredentials(creds []*ecosystem.Credential) error
}

// redacted replaces a secret wherever one would be printed.
const redacted = "[redacted]"

// Secret is a resolved credential: a user name, a password and a token, any
// of which may be empty. Its values are read only through the accessors;
// every way of printing or encoding it (fmt verbs, String, GoString, JSON,
// text, slog) gives "[redacted]", so a Secret that ends up in a log line or
// an error by mistake shows nothing. The values are held by a closure, not
// in fields: fmt's reflection fallback (a bad verb such as %p, or a Secret
// in an unexported field of another struct, where its methods are not
// called) prints a function's address, never what it captured.
type Secret struct {
	get func() secretValues
}

type secretValues struct {
	user, password, token string
}

// NewSecret returns a secret holding the given values; a CredentialStore
// other than EnvCredentials builds its results with it.
func NewSecret(user, password, token string) Secret {
	v := secretValues{user: user, password: password, token: token}
	return Secret{get: func() secretValues { return v }}
}

// values returns the secret's values; all empty for the zero Secret.
func (s Secret) values() secretValues {
	if s.get == nil {
		return secretValues{}
	}
	return s.get()
}

// User returns the user name, or "".
func (s Secret) User() string { return s.values().user }

// Password returns the password, or "".
func (s Secret) Password() string { return s.values().password }

// Token returns the token, or "".
func (s Secret) Token() string { return s.values().token }

// IsZero reports whether the secret holds no value at all.
func (s Secret) IsZero() bool { return s.User() == "" && s.Password() == "" && s.Token() == "" }

// String returns "[redacted]".
func (Secret) String() string { return redacted }

// GoString returns a redacted Go form, for %#v.
func (Secret) GoString() string { return "sqlplatform.Secret{" + redacted + "}" }

// Format writes "[redacted]" for every verb and flag, so %x or %q cannot
// reveal the values either.
func (Secret) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, redacted) }

// MarshalJSON encodes the secret as the JSON string "[redacted]".
func (Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }

// MarshalText encodes the secret as "[redacted]".
func (Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// LogValue makes log/slog print "[redacted]".
func (Secret) LogValue() slog.Value { return slog.StringValue(redacted) }

// scrub replaces every occurrence of the secret's values in text by
// "[redacted]", as they are and escaped for a URL: drivers sometimes echo a
// connection string or a user name in their errors, and those errors must
// not carry the secret on. Longer forms are replaced first so that a value
// containing another is replaced whole.
func (s Secret) scrub(text string) string {
	v := s.values()
	var forms []string
	for _, x := range []string{v.password, v.token, v.user} {
		if x != "" {
			forms = append(forms, x, url.QueryEscape(x), url.PathEscape(x))
		}
	}
	slices.SortStableFunc(forms, func(a, b string) int { return len(b) - len(a) })
	for _, f := range forms {
		text = strings.ReplaceAll(text, f, redacted)
	}
	return text
}

// The environment variable rule of EnvCredentials.
const (
	credentialEnvPrefix = "DSL_CREDENTIAL_"
	envUser             = "_USER"
	envPassword         = "_PASSWORD"
	envToken            = "_TOKEN"
)

// The credential kinds EnvCredentials resolves (see the credential builtin).
const (
	kindUserPassword = "user_password"
	kindAPIToken     = "api_token"
)

// ErrCredentialNotSet is wrapped by the errors of EnvCredentials when a
// variable a credential needs is not set.
var ErrCredentialNotSet = errors.New("credential not set in the environment")

// EnvCredentials is the default CredentialStore: it reads a credential from
// environment variables by one rule (docs/SQL_PLATFORM.md, "Credentials").
// The variables of a credential start with CredentialEnvPrefix(name), such
// as DSL_CREDENTIAL_CRM_READER for credential("crm_reader"), followed by
// _USER, _PASSWORD or _TOKEN:
//
//   - kind user_password (the default): _USER and _PASSWORD must be set
//     (the password may be set to the empty string); _TOKEN is read if set.
//   - kind api_token: _TOKEN must be set; _USER is read if set.
//   - other kinds (certificate, iam_role, kerberos) cannot be held in
//     environment variables: Resolve refuses them.
//
// The zero value reads the process environment.
type EnvCredentials struct {
	// LookupEnv returns an environment variable's value and whether it is
	// set; nil means os.LookupEnv. Tests inject a fake.
	LookupEnv func(key string) (string, bool)
}

var _ CredentialStore = EnvCredentials{}
var _ CredentialChecker = EnvCredentials{}

// CredentialEnvPrefix returns the prefix of the environment variables that
// hold credential name: "DSL_CREDENTIAL_" then the name with ASCII letters
// upper-cased, ASCII digits kept and every other character (one per Unicode
// character) turned into '_'. "prod/crm-reader" gives
// DSL_CREDENTIAL_PROD_CRM_READER. Two names can give one prefix
// (crm-reader and crm_reader); CheckCredentials reports that.
func CredentialEnvPrefix(name string) string {
	var b strings.Builder
	b.Grow(len(credentialEnvPrefix) + len(name))
	b.WriteString(credentialEnvPrefix)
	for _, r := range name {
		switch {
		case 'a' <= r && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
		case 'A' <= r && r <= 'Z', '0' <= r && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}

// Resolve reads credential c from the environment. A variable that must be
// set and is not is an error naming the credential, where the model declares
// it and every variable to set; it never contains a value.
func (e EnvCredentials) Resolve(ctx context.Context, c *ecosystem.Credential) (Secret, error) {
	if err := ctx.Err(); err != nil {
		return Secret{}, err
	}
	if c == nil {
		return Secret{}, errors.New("no credential to resolve: the capture names none")
	}
	if c.Name == "" {
		return Secret{}, fmt.Errorf("%s: the credential has an empty name: give credential(...) the name of its secret", describeCredential(c))
	}
	lookup := e.LookupEnv
	if lookup == nil {
		lookup = os.LookupEnv
	}
	prefix := CredentialEnvPrefix(c.Name)
	var required []string
	switch c.Kind {
	case kindUserPassword, "":
		required = []string{prefix + envUser, prefix + envPassword}
	case kindAPIToken:
		required = []string{prefix + envToken}
	default:
		return Secret{}, fmt.Errorf("%s: the environment credential store cannot hold a credential of kind %q: use kind %q or %q, or give the platform a CredentialStore that resolves this kind",
			describeCredential(c), c.Kind, kindUserPassword, kindAPIToken)
	}
	var missing []string
	for _, k := range required {
		if _, ok := lookup(k); !ok {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return Secret{}, fmt.Errorf("%s: %w: %s not set: set %s in the environment of the process running the platform%s",
			describeCredential(c), ErrCredentialNotSet, strings.Join(missing, " and "), strings.Join(required, " and "), emptyNote(c.Kind))
	}
	user, _ := lookup(prefix + envUser)
	password, _ := lookup(prefix + envPassword)
	token, _ := lookup(prefix + envToken)
	return NewSecret(user, password, token), nil
}

// emptyNote tells how to say "no password", which differs from "not set".
func emptyNote(kind string) string {
	if kind == kindAPIToken {
		return ""
	}
	return " (an empty password is allowed, but the variable must be set)"
}

// CheckCredentials reports credentials whose names differ but map to the
// same variables, which would silently share one secret: the error names
// both, with their model positions. The same name used twice is fine.
func (EnvCredentials) CheckCredentials(creds []*ecosystem.Credential) error {
	byPrefix := map[string]*ecosystem.Credential{}
	var problems []string
	for _, c := range sortedCredentials(creds) {
		p := CredentialEnvPrefix(c.Name)
		first, seen := byPrefix[p]
		switch {
		case !seen:
			byPrefix[p] = c
		case first.Name != c.Name:
			problems = append(problems, fmt.Sprintf("%s and %s both read the variables %s_*: rename one of them so that their names differ in more than punctuation and letter case",
				describeCredential(first), describeCredential(c), p))
		}
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "\n"))
	}
	return nil
}

// PipelineCredentials returns the credentials the captures of pipeline p's
// ingest nodes name, sorted by name then model position, each object once.
func PipelineCredentials(p *graph.Pipeline) []*ecosystem.Credential {
	var out []*ecosystem.Credential
	for _, n := range p.Nodes {
		if n.Kind != graph.KindIngest || n.Model.Store.Store == nil {
			continue
		}
		if c := n.Model.Store.Store.Capture; c != nil && c.Credential != nil && !slices.Contains(out, c.Credential) {
			out = append(out, c.Credential)
		}
	}
	return sortedCredentials(out)
}

// sortedCredentials returns the non-nil credentials sorted by name, then
// position, so reports do not depend on map or model order.
func sortedCredentials(creds []*ecosystem.Credential) []*ecosystem.Credential {
	out := make([]*ecosystem.Credential, 0, len(creds))
	for _, c := range creds {
		if c != nil {
			out = append(out, c)
		}
	}
	slices.SortStableFunc(out, func(a, b *ecosystem.Credential) int {
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return a.Pos.Compare(b.Pos)
	})
	return out
}

// describeCredential names a credential for an error: its name, kind and,
// when known, where the model declares it.
func describeCredential(c *ecosystem.Credential) string {
	kind := c.Kind
	if kind == "" {
		kind = kindUserPassword
	}
	s := fmt.Sprintf("credential %q (kind %q", c.Name, kind)
	if c.Pos.IsValid() {
		s += ", declared at " + safetext.Line(c.Pos.String())
	}
	return s + ")"
}
