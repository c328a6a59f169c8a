package lint

import (
	"strings"

	"github.com/datasurface/datasurface-go/ecosystem"
)

// checkVendorDocs implements VENDOR_UNDOCUMENTED: every vendor says what it
// is, since policies allow or deny vendors by name and reviewers of those
// policies need to know what a name stands for.
func checkVendorDocs(p *pass, r *reporter) {
	for _, v := range p.m.Vendors {
		if strings.TrimSpace(v.Doc) == "" {
			d := r.diag(ecosystem.VendorPath(v.Name), v.ArgPos("doc"), "vendor %q has no documentation", v.Name)
			d.Hint = `describe the vendor, for example vendor("` + v.Name + `", doc = "Amazon Web Services, our main cloud", ...)`
			r.add(d)
		}
	}
}
