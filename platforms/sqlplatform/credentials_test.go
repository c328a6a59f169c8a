package sqlplatform

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// fakeEnv is an environment for EnvCredentials.LookupEnv.
type fakeEnv map[string]string

func (e fakeEnv) lookup(k string) (string, bool) { v, ok := e[k]; return v, ok }

func cred(name, kind string) *ecosystem.Credential {
	return &ecosystem.Credential{Name: name, Kind: kind, Source: ecosystem.Source{Pos: ecosystem.Pos{File: "eco.star", Line: 7, Col: 12}}}
}

func TestCredentialEnvPrefix(t *testing.T) {
	for name, want := range map[string]string{
		"crm_reader":      "DSL_CREDENTIAL_CRM_READER",
		"CRM_Reader":      "DSL_CREDENTIAL_CRM_READER",
		"prod/crm-reader": "DSL_CREDENTIAL_PROD_CRM_READER",
		"vault:db.key2":   "DSL_CREDENTIAL_VAULT_DB_KEY2",
		"été":             "DSL_CREDENTIAL__T_", // one '_' per character, not per byte
		"a b":             "DSL_CREDENTIAL_A_B",
	} {
		if got := CredentialEnvPrefix(name); got != want {
			t.Errorf("CredentialEnvPrefix(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestEnvCredentialsResolvesUserPassword(t *testing.T) {
	env := fakeEnv{
		"DSL_CREDENTIAL_PROD_CRM_READER_USER":     "reader",
		"DSL_CREDENTIAL_PROD_CRM_READER_PASSWORD": "s3cret-pw",
		"DSL_CREDENTIAL_OTHER_USER":               "someone else",
	}
	s, err := EnvCredentials{LookupEnv: env.lookup}.Resolve(context.Background(), cred("prod/crm-reader", "user_password"))
	if err != nil {
		t.Fatal(err)
	}
	if s.User() != "reader" || s.Password() != "s3cret-pw" || s.Token() != "" {
		t.Errorf("secret = user %q password %q token %q", s.User(), s.Password(), s.Token())
	}
	// The default kind (empty) is user_password too.
	if _, err := (EnvCredentials{LookupEnv: env.lookup}).Resolve(context.Background(), cred("prod/crm-reader", "")); err != nil {
		t.Errorf("empty kind: %v", err)
	}
}

func TestEnvCredentialsEmptyPasswordIsNotMissing(t *testing.T) {
	env := fakeEnv{"DSL_CREDENTIAL_LOCAL_USER": "me", "DSL_CREDENTIAL_LOCAL_PASSWORD": ""}
	s, err := EnvCredentials{LookupEnv: env.lookup}.Resolve(context.Background(), cred("local", "user_password"))
	if err != nil {
		t.Fatal(err)
	}
	if s.User() != "me" || s.Password() != "" {
		t.Errorf("secret = user %q password %q", s.User(), s.Password())
	}
}

func TestEnvCredentialsResolvesToken(t *testing.T) {
	env := fakeEnv{"DSL_CREDENTIAL_API_TOKEN": "tok-123"}
	s, err := EnvCredentials{LookupEnv: env.lookup}.Resolve(context.Background(), cred("api", "api_token"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Token() != "tok-123" || s.User() != "" || s.Password() != "" {
		t.Errorf("secret = user %q password %q token %q", s.User(), s.Password(), s.Token())
	}
}

func TestEnvCredentialsMissingNamesVariablesNotValues(t *testing.T) {
	env := fakeEnv{"DSL_CREDENTIAL_CRM_READER_USER": "reader-name-value"}
	_, err := EnvCredentials{LookupEnv: env.lookup}.Resolve(context.Background(), cred("crm_reader", "user_password"))
	if err == nil {
		t.Fatal("Resolve succeeded without a password variable")
	}
	if !errors.Is(err, ErrCredentialNotSet) {
		t.Errorf("error %v does not wrap ErrCredentialNotSet", err)
	}
	msg := err.Error()
	for _, want := range []string{`credential "crm_reader"`, "eco.star:7:12", "DSL_CREDENTIAL_CRM_READER_PASSWORD not set",
		"set DSL_CREDENTIAL_CRM_READER_USER and DSL_CREDENTIAL_CRM_READER_PASSWORD"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not contain %q", msg, want)
		}
	}
	if strings.Contains(msg, "reader-name-value") {
		t.Errorf("error %q shows a variable's value", msg)
	}

	_, err = EnvCredentials{LookupEnv: fakeEnv{}.lookup}.Resolve(context.Background(), cred("api", "api_token"))
	if err == nil || !strings.Contains(err.Error(), "DSL_CREDENTIAL_API_TOKEN not set") {
		t.Errorf("missing token: %v", err)
	}
}

func TestEnvCredentialsRefusesKindsItCannotHold(t *testing.T) {
	_, err := EnvCredentials{LookupEnv: fakeEnv{}.lookup}.Resolve(context.Background(), cred("cert", "certificate"))
	if err == nil || !strings.Contains(err.Error(), `kind "certificate"`) || !strings.Contains(err.Error(), "CredentialStore") {
		t.Errorf("certificate kind: %v", err)
	}
	if _, err := (EnvCredentials{}).Resolve(context.Background(), nil); err == nil {
		t.Error("nil credential resolved")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := (EnvCredentials{}).Resolve(ctx, cred("x", "")); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
}

func TestEnvCredentialsDefaultReadsProcessEnvironment(t *testing.T) {
	t.Setenv("DSL_CREDENTIAL_PROC_TEST_USER", "u")
	t.Setenv("DSL_CREDENTIAL_PROC_TEST_PASSWORD", "p")
	s, err := EnvCredentials{}.Resolve(context.Background(), cred("proc-test", ""))
	if err != nil {
		t.Fatal(err)
	}
	if s.User() != "u" || s.Password() != "p" {
		t.Errorf("secret = %q %q", s.User(), s.Password())
	}
}

func TestCheckCredentialsReportsPrefixCollisions(t *testing.T) {
	a := cred("crm-reader", "")
	b := cred("crm_reader", "")
	b.Pos.Line = 9
	same := cred("crm-reader", "") // the same name twice is one secret, not a collision
	err := EnvCredentials{}.CheckCredentials([]*ecosystem.Credential{b, a, same, nil, cred("other", "")})
	if err == nil {
		t.Fatal("collision not reported")
	}
	msg := err.Error()
	for _, want := range []string{`credential "crm-reader"`, `credential "crm_reader"`, "eco.star:7:12", "eco.star:9:12", "DSL_CREDENTIAL_CRM_READER_*", "rename one"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not contain %q", msg, want)
		}
	}
	if n := strings.Count(msg, "\n") + 1; n != 1 {
		t.Errorf("%d problems reported, want 1:\n%s", n, msg)
	}
	if err := (EnvCredentials{}).CheckCredentials([]*ecosystem.Credential{a, same, cred("other", "")}); err != nil {
		t.Errorf("no collision, but: %v", err)
	}
}

// TestSecretNeverPrints formats a secret every way a program might by
// mistake: none shows a value.
func TestSecretNeverPrints(t *testing.T) {
	s := NewSecret("alice-user", "hunter2-password", "tok-xyz-token")
	type holder struct {
		Name   string
		Secret Secret
		hidden Secret
	}
	h := holder{"n", s, s}
	var outs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10.3v", "%T", "%p", "%t", "%08x"} {
		outs = append(outs, fmt.Sprintf(verb, s), fmt.Sprintf(verb, h), fmt.Sprintf(verb, &h), fmt.Sprintf(verb, []Secret{s}))
	}
	outs = append(outs, s.String(), s.GoString(), fmt.Sprint(s), fmt.Sprintln(s, h))
	j, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	outs = append(outs, string(j))
	txt, _ := s.MarshalText()
	outs = append(outs, string(txt))
	m, _ := json.Marshal(map[string]Secret{"k": s})
	outs = append(outs, string(m))
	var logged bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logged, nil))
	log.Info("connect", "secret", s, "holder", h)
	jl := slog.New(slog.NewJSONHandler(&logged, nil))
	jl.Info("connect", "secret", s, "holder", h)
	outs = append(outs, logged.String())
	err = fmt.Errorf("wrapped: %v / %w", s, errors.New("x"))
	outs = append(outs, err.Error())

	for _, out := range outs {
		for _, secret := range []string{"alice", "hunter2", "tok-xyz", "616c696365" /* hex of alice */} {
			if strings.Contains(out, secret) {
				t.Errorf("output %q shows %q", out, secret)
			}
		}
	}
	if got := fmt.Sprintf("%v", s); got != "[redacted]" {
		t.Errorf("%%v = %q, want [redacted]", got)
	}
	if string(j) != `{"Name":"n","Secret":"[redacted]"}` {
		t.Errorf("JSON = %s", j)
	}
}

func TestSecretAccessorsAndZero(t *testing.T) {
	var zero Secret
	if !zero.IsZero() || zero.User() != "" || zero.Password() != "" || zero.Token() != "" {
		t.Error("zero secret is not empty")
	}
	if NewSecret("", "", "t").IsZero() {
		t.Error("secret with a token is zero")
	}
}

func TestSecretScrub(t *testing.T) {
	s := NewSecret("bob", "pass-bob-word", "")
	got := s.scrub(`failed: user=bob password=pass-bob-word host=x`)
	if strings.Contains(got, "bob") || strings.Contains(got, "pass-") {
		t.Errorf("scrub left a value: %q", got)
	}
	if want := `failed: user=[redacted] password=[redacted] host=x`; got != want {
		t.Errorf("scrub = %q, want %q", got, want)
	}
	if got := NewSecret("", "p@ss word/x", "").scrub("postgres://u:p%40ss+word%2Fx@h/db and p@ss%20word%2Fx"); strings.Contains(got, "ss") {
		t.Errorf("scrub left an escaped password: %q", got)
	}
	if got := (Secret{}).scrub("text"); got != "text" {
		t.Errorf("zero secret scrub = %q", got)
	}
}
