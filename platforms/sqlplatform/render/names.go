package render

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// Object names follow one rule, the rule of the platform's environment
// variables (sqlplatform.StoreEnvVar, sqlplatform.CredentialEnvPrefix) in
// DNS form: ASCII letters lower-cased, ASCII digits kept, every other
// character (one per Unicode character) turned into '-'. Two names give
// one object name exactly when they give one environment variable, which
// the platform already refuses for credentials (CheckCredentials). A name
// that would end in '-' or be longer than a Kubernetes name may be (63
// characters: a DNS-1123 label, and a DNS-1035 label thanks to the "dsl-"
// prefix) is cut and given a hash of the whole name, so it stays valid and
// distinct.

// maxNameLen is the length of a DNS label, the strictest name an object
// rendered here has (Services, and the label values that repeat names).
const maxNameLen = 63

// hashLen is how many hex digits of a SHA-256 end a name that had to be cut.
const hashLen = 8

// dnsForm returns name under the rule above, before any cut.
func dnsForm(name string) string {
	var b strings.Builder
	b.Grow(len(name))
	for _, r := range name {
		switch {
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
			b.WriteRune(r)
		case 'A' <= r && r <= 'Z':
			b.WriteRune(r - 'A' + 'a')
		default:
			b.WriteByte('-')
		}
	}
	return b.String()
}

// objectName returns prefix + dnsForm(name) + suffix as a valid DNS label.
// prefix must be empty or start with a letter, and suffix must be empty or
// end in a letter or digit. When the result would be too long, or would
// start or end in '-', the name part is cut, trimmed of the '-' at its
// ends, and followed by "-" and a hash of name.
func objectName(prefix, name, suffix string) string {
	mid := dnsForm(name)
	full := prefix + mid + suffix
	if len(full) <= maxNameLen && mid != "" && !strings.HasPrefix(full, "-") && !strings.HasSuffix(full, "-") {
		return full
	}
	room := maxNameLen - len(prefix) - len(suffix) - 1 - hashLen
	if len(mid) > room {
		mid = mid[:max(room, 0)]
	}
	mid = strings.TrimRight(mid, "-")
	if prefix == "" {
		mid = strings.TrimLeft(mid, "-")
	}
	if mid != "" {
		mid += "-"
	}
	return prefix + mid + shortHash(name) + suffix
}

// shortHash is the first hashLen hex digits of the SHA-256 of s.
func shortHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])[:hashLen]
}

// Names are the names of the Kubernetes objects rendered for one platform.
type Names struct {
	// Instance is "dsl-" and the platform's name: the value of the
	// app.kubernetes.io/instance label of every object, and the name of
	// the ServiceAccount.
	Instance string
	// Worker names the Deployment of workers.
	Worker string
	// Migrate starts the name of the migration Job, which ends in a hash
	// of the Job's pod template so that a changed Job is a new Job
	// (a Job's template cannot be changed in place).
	Migrate string
	// Model names the ConfigMap of the model's files.
	Model string
	// Metrics names the Service in front of the workers' metrics port.
	Metrics string
	// StoreSecret names the Secret holding the merge store's address.
	StoreSecret string
	// Dir is the folder, inside the output folder, of the platform's
	// manifests: "kubernetes/" and the platform's name in DNS form.
	Dir string
	// WorkerManifest is the file of the Deployment, in Dir: its comment
	// lists the Secrets to create.
	WorkerManifest string
	// DAGFile is Airflow's DAG file, "airflow/dsl_" and the platform's
	// name in DNS form with '_' for '-', ".py"; DAGModel is the model's
	// ConfigMap beside it.
	DAGFile, DAGModel string
}

// NamesOf returns the object names of platform (its name in the model).
func NamesOf(platform string) Names {
	dir := "kubernetes/" + objectName("", platform, "")
	dag := pythonIdent("dsl_", platform)
	return Names{
		Instance:       objectName("dsl-", platform, ""),
		Worker:         objectName("dsl-", platform, "-worker"),
		Migrate:        objectName("dsl-", platform, "-migrate"),
		Model:          objectName("dsl-", platform, "-model"),
		Metrics:        objectName("dsl-", platform, "-metrics"),
		StoreSecret:    StoreSecretName(platform),
		Dir:            dir,
		WorkerManifest: dir + "/" + fileWorker,
		DAGFile:        "airflow/" + dag + ".py",
		DAGModel:       "airflow/" + dag + "_model.yaml",
	}
}

// The keys of the Secrets the rendered workloads read. A store Secret
// holds the merge store's address (a PostgreSQL URL with its password)
// under StoreSecretKey; a credential Secret holds the credential's parts
// under the keys below, one for each of the platform's environment
// variables _USER, _PASSWORD and _TOKEN.
const (
	StoreSecretKey    = "dsn"
	UserSecretKey     = "user"
	PasswordSecretKey = "password"
	TokenSecretKey    = "token"
)

// StoreSecretName returns the name of the Secret holding platform's merge
// store address: "dsl-store-" and the platform's name in DNS form, such as
// dsl-store-warehouse for Warehouse.
func StoreSecretName(platform string) string { return objectName("dsl-store-", platform, "") }

// CredentialSecretName returns the name of the Secret holding credential
// name's values: "dsl-credential-" and the name in DNS form, such as
// dsl-credential-prod-crm-reader for "prod/crm_reader". Credentials are
// named by the model, not by a platform, so platforms that use one
// credential share its Secret.
func CredentialSecretName(name string) string { return objectName("dsl-credential-", name, "") }

// pythonIdent returns prefix + the DNS form of name with '_' for '-', a
// valid Python identifier and Airflow DAG id (prefix must start with a
// letter).
func pythonIdent(prefix, name string) string {
	return strings.ReplaceAll(objectName(strings.ReplaceAll(prefix, "_", "-"), name, ""), "-", "_")
}

// taskID returns an Airflow task id: prefix then name with every character
// but ASCII letters, digits, '_' and '-' turned into '_', followed by a
// hash of name when that changed anything, so that ids stay distinct.
// Airflow allows 250 characters; longer names are cut before the hash.
func taskID(prefix, name string) string {
	const maxTaskID = 250
	var b strings.Builder
	changed := false
	for _, r := range name {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9', r == '_', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
			changed = true
		}
	}
	id := prefix + b.String()
	if !changed && len(id) <= maxTaskID {
		return id
	}
	if room := maxTaskID - 1 - hashLen; len(id) > room {
		id = id[:room]
	}
	return id + "_" + shortHash(name)
}
