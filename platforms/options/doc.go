// Package options reads the options of a platform declaration
// (platform(..., options = {...}) in the model) for a platform factory:
// typed getters that record what is wrong instead of failing at the first
// problem, and, at the end, an error for every option the factory did not
// ask for, with a did-you-mean. The platforms registry turns the errors into
// PLATFORM_OPTION_INVALID diagnostics at the options argument.
//
// A factory reads every option it knows, then returns Err:
//
//	r := options.New(decl)
//	mode, _ := r.String("milestoning", "live", "forensic")
//	if err := r.Err(); err != nil {
//		return nil, err
//	}
//
// The package is separate from platforms so that platform implementations
// the platforms package itself registers (legacy) can use it too.
package options
