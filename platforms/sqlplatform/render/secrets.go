package render

import (
	"fmt"
	"slices"
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
	"github.com/datasurface/datasurface-go/graph"
	"github.com/datasurface/datasurface-go/platforms/sqlplatform"
)

// SecretRef is one environment variable of a rendered container, read from
// a key of a Kubernetes Secret by name: manifests and DAGs name Secrets,
// they never hold a value.
type SecretRef struct {
	// Var is the environment variable, such as DSL_STORE_WAREHOUSE.
	Var string
	// Secret and Key say where its value is.
	Secret, Key string
	// Optional is set for a variable the platform reads when set but does
	// not need (the token of a user_password credential, the user of an
	// api_token one): a missing key then leaves the variable unset instead
	// of keeping the container from starting.
	Optional bool
	// For names what needs the variable, for comments and documentation:
	// "the merge store of platform Warehouse", "credential crm_reader".
	For string
}

// target is what both renderers know of the platform they render.
type target struct {
	platform string
	// mirrorOf is the primary a mirror platform copies, "" for none.
	mirrorOf string
	pipeline *graph.Pipeline
	streams  []sqlplatform.StreamInfo
	secrets  []SecretRef
	names    Names
}

// newTarget checks that decl is the declaration of pl's platform and of
// kind sql, binds it (which checks its options) and gathers its streams
// and the Secrets its containers read.
func newTarget(pl *graph.Pipeline, decl *ecosystem.Platform) (*target, error) {
	if pl == nil || decl == nil {
		return nil, fmt.Errorf("render: no pipeline or no platform declaration to render")
	}
	if decl.Name != pl.Platform {
		return nil, fmt.Errorf("render: the declaration is of platform %s but the pipeline of platform %s: pass the declaration of the pipeline's platform", decl.Name, pl.Platform)
	}
	if decl.Kind != sqlplatform.Kind {
		return nil, fmt.Errorf("platform %s is of kind %s: only platforms of kind %s are rendered for Kubernetes and Airflow, whose containers run dsl", decl.Name, decl.Kind, sqlplatform.Kind)
	}
	p, err := sqlplatform.New(decl)
	if err != nil {
		return nil, fmt.Errorf("platform %s: %w", decl.Name, err)
	}
	streams, err := p.Streams(pl)
	if err != nil {
		return nil, err
	}
	t := &target{platform: decl.Name, mirrorOf: p.MirrorOf(), pipeline: pl, streams: streams, names: NamesOf(decl.Name)}
	t.secrets, err = secretRefs(t.platform, t.mirrorOf, pl)
	if err != nil {
		return nil, err
	}
	return t, nil
}

// SecretRefs returns the environment variables the containers of platform
// decl read from Secrets, in the order they are rendered: the merge
// store's address (DSL_STORE_<PLATFORM>), a mirror's primary store too,
// then the variables of each credential the pipeline's captures name,
// sorted by credential name. A mirror reads no source, so it needs no
// credential. It is what Kubernetes and Airflow render, for a deploy that
// creates the Secrets.
func SecretRefs(pl *graph.Pipeline, decl *ecosystem.Platform) ([]SecretRef, error) {
	t, err := newTarget(pl, decl)
	if err != nil {
		return nil, err
	}
	return slices.Clone(t.secrets), nil
}

func secretRefs(platform, mirrorOf string, pl *graph.Pipeline) ([]SecretRef, error) {
	refs := []SecretRef{storeRef(platform)}
	if mirrorOf != "" {
		// The mirror reads the primary's committed batches from the
		// primary's store.
		refs = append(refs, storeRef(mirrorOf))
		return refs, nil
	}
	creds := sqlplatform.PipelineCredentials(pl)
	if err := (sqlplatform.EnvCredentials{}).CheckCredentials(creds); err != nil {
		return nil, fmt.Errorf("platform %s: %w", platform, err)
	}
	seen := map[string]bool{}
	for _, c := range creds {
		if seen[c.Name] {
			continue
		}
		seen[c.Name] = true
		prefix := sqlplatform.CredentialEnvPrefix(c.Name)
		secret := CredentialSecretName(c.Name)
		what := "credential " + c.Name
		switch c.Kind {
		case "user_password", "":
			refs = append(refs,
				SecretRef{Var: prefix + "_USER", Secret: secret, Key: UserSecretKey, For: what},
				SecretRef{Var: prefix + "_PASSWORD", Secret: secret, Key: PasswordSecretKey, For: what},
				SecretRef{Var: prefix + "_TOKEN", Secret: secret, Key: TokenSecretKey, Optional: true, For: what})
		case "api_token":
			refs = append(refs,
				SecretRef{Var: prefix + "_TOKEN", Secret: secret, Key: TokenSecretKey, For: what},
				SecretRef{Var: prefix + "_USER", Secret: secret, Key: UserSecretKey, Optional: true, For: what})
		default:
			where := ""
			if c.Pos.IsValid() {
				where = " (declared at " + c.Pos.String() + ")"
			}
			return nil, fmt.Errorf("platform %s: credential %q%s is of kind %q, which the sql platform cannot read from environment variables: use kind \"user_password\" or \"api_token\"",
				platform, c.Name, where, c.Kind)
		}
	}
	return refs, nil
}

func storeRef(platform string) SecretRef {
	return SecretRef{Var: sqlplatform.StoreEnvVar(platform), Secret: StoreSecretName(platform), Key: StoreSecretKey,
		For: "the merge store of platform " + platform}
}

// secretNames returns the distinct Secrets refs read, sorted.
func secretNames(refs []SecretRef) []string {
	var out []string
	for _, r := range refs {
		out = append(out, r.Secret)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// describeSecrets is the comment that lists the Secrets and keys a deploy
// must create, one line each.
func describeSecrets(refs []SecretRef) []string {
	keys := map[string][]string{}
	for _, r := range refs {
		k := r.Key
		if r.Optional {
			k += " (optional)"
		}
		keys[r.Secret] = append(keys[r.Secret], k)
	}
	var out []string
	for _, s := range secretNames(refs) {
		out = append(out, s+": "+strings.Join(keys[s], ", "))
	}
	return out
}
